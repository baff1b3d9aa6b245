import Foundation
import HTTP
import SQLite

extension App {
    func registerZienswijzeAPI(_ router: inout Router) {
        let base = "/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}"
        route(&router, .put, base, bodyLimit: maxAttachmentBytes + 1024 * 1024) { [self] request in
            let principal = try authenticate(request)
            let (id, gemeente) = try target(request, principal, write: true)
            let consultation = try consultation(request)
            let now = clock.now()
            let rules = SubmissionRules(themas: consultation.themas.map(\.code), today: AmsterdamTime.today(now))
            let body = try SubmissionBody.decode(request, rules: rules)
            return try idempotent(request, principal) { db in
                let ctx = VersionStore.Context(raadpleging: id, gemeente: gemeente, now: now, toegangscodeID: principal.codeID)
                let version = try VersionStore.submit(db, ctx, input: body.input, newAttachments: body.attachments)
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "zienswijze-ingediend", onderwerp: "\(id)/\(gemeente)",
                                      details: "\(version.kenmerk) \(version.status.rawValue)", adres: request.remoteAddress)
                return .json(version.versie == 1 ? 201 : 200, Representation.receipt(version),
                             headers: [("Location", "/api/v1/raadplegingen/\(id)/zienswijzen/\(gemeente)/versies/\(version.versie)")])
            }
        }
        route(&router, .get, base) { [self] request in
            let principal = try authenticate(request)
            let (id, gemeente) = try target(request, principal, write: false)
            guard let version = try read({ try VersionStore.current($0, raadpleging: id, gemeente: gemeente) }) else {
                throw Problem.notFound("Deze gemeente heeft nog geen zienswijze ingediend.")
            }
            return .json(200, version.json(sha256: version.digest))
        }
        route(&router, .delete, base) { [self] request in
            let principal = try authenticate(request)
            let (id, gemeente) = try target(request, principal, write: true)
            let now = clock.now()
            return try idempotent(request, principal) { db in
                let ctx = VersionStore.Context(raadpleging: id, gemeente: gemeente, now: now, toegangscodeID: principal.codeID)
                let version: StoredVersion
                do { version = try VersionStore.withdraw(db, ctx) } catch SubmissionRefusal.alreadyWithdrawn {
                    return HTTPResponse(status: 204) // withdrawing twice changes nothing
                } catch SubmissionRefusal.noZienswijze {
                    throw Problem.notFound("Deze gemeente heeft geen zienswijze om in te trekken.")
                }
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "zienswijze-ingetrokken", onderwerp: "\(id)/\(gemeente)",
                                      details: version.kenmerk, adres: request.remoteAddress)
                return HTTPResponse(status: 204)
            }
        }
        route(&router, .get, base + "/versies") { [self] request in
            let principal = try authenticate(request)
            let (id, gemeente) = try target(request, principal, write: false)
            let versions = try read { try VersionStore.all($0, raadpleging: id, gemeente: gemeente) }
            return .json(200, .array(versions.map { $0.json(sha256: $0.digest) }))
        }
        route(&router, .get, base + "/versies/{n}") { [self] request in
            let principal = try authenticate(request)
            let (id, gemeente) = try target(request, principal, write: false)
            guard let n = Int(request.parameters["n"] ?? ""), n >= 1,
                  let version = try read({ try VersionStore.one($0, raadpleging: id, gemeente: gemeente, versie: n) })
            else { throw Problem.notFound("Deze versie bestaat niet.") }
            return .json(200, version.json(sha256: version.digest))
        }
    }

    /// The (consultation, gemeente) of the path, after checking who may touch it: 403 for a
    /// griffie of another gemeente (or, for writes, a coordinator), 404 for unknown ones.
    func target(_ request: HTTPRequest, _ principal: Principal, write: Bool) throws -> (String, String) {
        let id = request.parameters["id"] ?? ""
        let gemeente = request.parameters["gemeente"] ?? ""
        let allowed = write ? principal.mayWrite(gemeente: gemeente) : principal.mayRead(gemeente: gemeente)
        guard allowed else {
            throw Problem.forbidden(principal.role == .coordinator
                ? "Alleen de griffie van deze gemeente mag haar zienswijze indienen of wijzigen."
                : "Deze toegangscode hoort bij een andere gemeente.")
        }
        try read { db in
            guard try CatalogStore.consultation(db, id: id) != nil else { throw Problem.notFound("Deze raadpleging bestaat niet.") }
            guard try CatalogStore.gemeente(db, code: gemeente) != nil else { throw Problem.notFound("Deze gemeente bestaat niet.") }
        }
        return (id, gemeente)
    }
}
