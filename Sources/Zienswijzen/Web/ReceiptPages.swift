import Foundation
import HTTP

struct ReceiptView {
    var version: VersionView
    var gemeente: String
    var consultatie: String
    /// Whether this is the newest version (older receipts say so and point to the newest).
    var isCurrent: Bool
    var currentHref: String?
    var canWithdraw: Bool
    var canRevise: Bool
}

struct WithdrawView {
    var csrf: String
    var gemeente: String
    var version: VersionView
}

extension App {
    /// The receipt after a submit (PRG target), withdrawing with confirmation, and attachment downloads.
    func registerReceiptPages(_ router: inout Router) {
        web(&router, .get, "/zienswijze/ontvangstbevestiging/{versie}") { [self] request in
            let (session, gemeente) = try griffie(request)
            let consultation = try currentConsultation()
            guard let n = Int(request.parameters["versie"] ?? ""), n >= 1 else {
                throw WebFailure.notFound("Deze ontvangstbevestiging bestaat niet.")
            }
            let (version, current) = try read { db in
                (try VersionStore.one(db, raadpleging: consultation.id, gemeente: gemeente.code, versie: n),
                 try VersionStore.current(db, raadpleging: consultation.id, gemeente: gemeente.code))
            }
            guard let version, let current else { throw WebFailure.notFound("Deze ontvangstbevestiging bestaat niet.") }
            let isCurrent = current.versie == version.versie
            let open = consultation.status == .open
            let view = ReceiptView(
                version: griffieVersionView(version, consultation), gemeente: gemeente.naam, consultatie: consultation.titel,
                isCurrent: isCurrent, currentHref: isCurrent ? nil : "/zienswijze/ontvangstbevestiging/\(current.versie)",
                canWithdraw: open && isCurrent && current.status != .ingetrokken, canRevise: open)
            return page("ontvangstbevestiging", title: "Ontvangstbevestiging \(version.kenmerk)", session: session,
                        content: view)
        }
        web(&router, .get, "/zienswijze/intrekken") { [self] request in
            let (session, gemeente) = try griffie(request)
            let consultation = try currentConsultation()
            let current = try withdrawable(consultation, gemeente)
            return page("intrekken", title: "Zienswijze intrekken", session: session,
                        content: WithdrawView(csrf: session.csrfToken, gemeente: gemeente.naam,
                                              version: griffieVersionView(current, consultation)))
        }
        web(&router, .post, "/zienswijze/intrekken", bodyLimit: 16 * 1024) { [self] request in
            let (session, gemeente) = try griffie(request)
            _ = try checkedForm(request, expected: session.csrfToken)
            let consultation = try currentConsultation()
            let now = clock.now()
            let principal = session.principal
            let version: StoredVersion = try write { db in
                let ctx = VersionStore.Context(raadpleging: consultation.id, gemeente: gemeente.code, now: now,
                                               toegangscodeID: principal.codeID)
                do {
                    let version = try VersionStore.withdraw(db, ctx)
                    try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                          actie: "zienswijze-ingetrokken", onderwerp: "\(consultation.id)/\(gemeente.code)",
                                          details: "\(version.kenmerk) (web)", adres: request.remoteAddress)
                    return version
                } catch SubmissionRefusal.alreadyWithdrawn {
                    // A second click: nothing changes; show the withdrawal that exists.
                    guard let current = try VersionStore.current(db, raadpleging: consultation.id, gemeente: gemeente.code)
                    else { throw SubmissionRefusal.noZienswijze }
                    return current
                } catch SubmissionRefusal.noZienswijze {
                    throw WebFailure.conflict("Uw gemeente heeft (nog) geen zienswijze ingediend, dus er is niets om in te trekken.")
                }
            }
            return .redirect(to: "/zienswijze/ontvangstbevestiging/\(version.versie)")
        }
        web(&router, .get, "/zienswijze/bijlagen/{bijlage}") { [self] request in
            let (_, gemeente) = try griffie(request)
            return try attachmentDownload(gemeente: gemeente.code, id: request.parameters["bijlage"] ?? "")
        }
    }

    private func withdrawable(_ consultation: Consultation, _ gemeente: Gemeente) throws -> StoredVersion {
        guard consultation.status == .open else {
            throw WebFailure.conflict("De raadpleging is gesloten: een zienswijze kan niet meer worden ingetrokken.")
        }
        guard let current = try read({ try VersionStore.current($0, raadpleging: consultation.id, gemeente: gemeente.code) }),
              current.status != .ingetrokken
        else { throw WebFailure.conflict("Er is geen ingediende zienswijze om in te trekken.") }
        return current
    }

    /// An attachment of `gemeente` as a download (never shown inline: it is a file from outside).
    func attachmentDownload(gemeente: String, id: String) throws -> HTTPResponse {
        guard let (info, bytes) = try read({
            try VersionStore.attachment($0, raadpleging: App.defaultConsultation, gemeente: gemeente, id: id)
        }) else { throw WebFailure.notFound("Deze bijlage bestaat niet.") }
        var response = HTTPResponse(status: 200, contentType: info.mediatype, body: bytes)
        response.headers.add("Content-Disposition", contentDisposition(filename: info.bestandsnaam))
        response.headers.add("Cache-Control", "private, no-store")
        return response
    }
}
