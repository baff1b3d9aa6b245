import Foundation
import HTTP
import SQLite

extension App {
    func registerCoordinatorAPI(_ router: inout Router) {
        route(&router, .get, "/api/v1/raadplegingen/{id}/zienswijzen") { [self] request in
            _ = try authenticateCoordinator(request)
            let consultation = try consultation(request)
            let query = (try? request.queryFields()) ?? FormFields()
            let format = query.first("formaat") ?? (prefersCSV(request) ? "csv" : "json")
            switch format {
            case "csv":
                let bytes = try exportCSV(consultation)
                var response = HTTPResponse(status: 200, contentType: "text/csv; charset=utf-8", body: bytes)
                response.headers.add("Content-Disposition", contentDisposition(filename: "zienswijzen-\(consultation.id).csv"))
                return response
            case "json":
                let versions = try read { try VersionStore.currentOfAll($0, raadpleging: consultation.id) }
                return .json(200, .array(versions.map { $0.json(sha256: $0.digest) }))
            default:
                throw Problem.invalid([InvalidParam(name: "formaat", reason: "moet 'json' of 'csv' zijn")])
            }
        }
        route(&router, .get, "/api/v1/raadplegingen/{id}/status") { [self] request in
            _ = try authenticateCoordinator(request)
            let id = request.parameters["id"] ?? ""
            var filter: GemeenteStatus.State?
            if let value = try? request.queryFields().first("status") {
                guard let state = GemeenteStatus.State(rawValue: value) else {
                    throw Problem.invalid([InvalidParam(name: "status", reason: "moet een van ontbreekt, ingediend, te-laat, ingetrokken zijn")])
                }
                filter = state
            }
            guard let overview = try read({ try StatusStore.overview($0, raadpleging: id) }) else {
                throw Problem.notFound("Deze raadpleging bestaat niet.")
            }
            return .json(200, Representation.status(overview, now: clock.now(), filter: filter))
        }
        route(&router, .get, "/api/v1/audit") { [self] request in
            _ = try authenticateCoordinator(request)
            let query = (try? request.queryFields()) ?? FormFields()
            var problems: [InvalidParam] = []
            let limitText = query.first("limiet")
            let limit = min(max(limitText.flatMap { Int($0) } ?? 100, 1), 1000)
            if let limitText, Int(limitText) == nil { problems.append(InvalidParam(name: "limiet", reason: "moet een geheel getal zijn")) }
            let beforeText = query.first("voor")
            let before = beforeText.flatMap { Int64($0) }
            if beforeText != nil && before == nil { problems.append(InvalidParam(name: "voor", reason: "moet een geheel getal zijn")) }
            if !problems.isEmpty { throw Problem.invalid(problems) }
            let entries = try read { try AuditStore.entries($0, limit: limit, before: before) }
            return .json(200, .array(entries.map(Representation.auditEntry)))
        }
        route(&router, .get, "/api/v1/toegangscodes") { [self] request in
            _ = try authenticateCoordinator(request)
            return .json(200, .array(try read { try AccessCodeStore.list($0) }.map(Representation.accessCode)))
        }
        route(&router, .post, "/api/v1/toegangscodes", bodyLimit: 16 * 1024) { [self] request in
            let principal = try authenticateCoordinator(request)
            let (role, gemeente, naam) = try decodeCodeRequest(request)
            let now = clock.now()
            let issued = try write { db in
                if let gemeente, try CatalogStore.gemeente(db, code: gemeente) == nil {
                    throw Problem.invalid([InvalidParam(name: "gemeente", reason: "onbekende gemeentecode")])
                }
                let issued = try AccessCodeStore.issue(db, role: role, gemeente: gemeente, naam: naam, at: now)
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "toegangscode-uitgegeven", onderwerp: "toegangscode:\(issued.record.id)",
                                      details: "\(role.rawValue) \(gemeente ?? "")", adres: request.remoteAddress)
                return issued
            }
            guard case .object(var members) = Representation.accessCode(issued.record) else { throw Problem.internalError }
            members.append(("code", .string(issued.code)))
            return .json(201, .object(members), headers: [("Cache-Control", "no-store")])
        }
        route(&router, .delete, "/api/v1/toegangscodes/{codeId}") { [self] request in
            let principal = try authenticateCoordinator(request)
            guard let codeID = Int64(request.parameters["codeId"] ?? "") else { throw Problem.notFound("Deze toegangscode bestaat niet.") }
            let now = clock.now()
            let revoked = try write { db in
                let revoked = try AccessCodeStore.revoke(db, id: codeID, at: now)
                if revoked {
                    try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                          actie: "toegangscode-ingetrokken", onderwerp: "toegangscode:\(codeID)",
                                          adres: request.remoteAddress)
                }
                return revoked
            }
            guard revoked else { throw Problem.notFound("Deze toegangscode bestaat niet of is al ingetrokken.") }
            return HTTPResponse(status: 204)
        }
    }

    func exportCSV(_ consultation: Consultation) throws -> [UInt8] {
        try read { db in
            CSVExport.make(consultation: consultation, gemeenten: try CatalogStore.gemeenten(db),
                           versions: try VersionStore.currentOfAll(db, raadpleging: consultation.id))
        }
    }

    private func prefersCSV(_ request: HTTPRequest) -> Bool {
        (request.headers["Accept"] ?? "").lowercased().contains("text/csv")
    }

    private func decodeCodeRequest(_ request: HTTPRequest) throws -> (Role, String?, String) {
        try requireJSON(request)
        guard let value = try? JSONValue.parse(request.body), let members = value.objectValue else {
            throw Problem.badRequest("De body is geen geldig JSON-object.")
        }
        var problems: [InvalidParam] = []
        var role: Role?
        var gemeente: String?
        var naam = ""
        for (name, member) in members {
            switch name {
            case "rol": role = member.stringValue.flatMap(Role.init(rawValue:))
                if role == nil { problems.append(InvalidParam(name: name, reason: "moet 'griffie' of 'coordinator' zijn")) }
            case "gemeente": gemeente = member.stringValue
                if gemeente == nil && !member.isNull { problems.append(InvalidParam(name: name, reason: "moet een CBS-code zijn, zoals GM0518")) }
            case "naam": naam = (member.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if member.stringValue == nil { problems.append(InvalidParam(name: name, reason: "moet een tekst zijn")) }
            default: problems.append(InvalidParam(name: name, reason: "onbekend veld"))
            }
        }
        if role == nil && !problems.contains(where: { $0.name == "rol" }) { problems.append(InvalidParam(name: "rol", reason: "verplicht")) }
        if role == .griffie && gemeente == nil { problems.append(InvalidParam(name: "gemeente", reason: "verplicht voor een griffiecode")) }
        if role == .coordinator && gemeente != nil { problems.append(InvalidParam(name: "gemeente", reason: "hoort niet bij een coördinatorcode")) }
        if role == .coordinator && naam.isEmpty { problems.append(InvalidParam(name: "naam", reason: "verplicht voor een coördinatorcode")) }
        if !naam.isEmpty, let problem = TextRules.nameProblem(naam, max: SubmissionRules.maxNaam) {
            problems.append(InvalidParam(name: "naam", reason: problem))
        }
        guard problems.isEmpty, let role else { throw Problem.invalid(problems) }
        return (role, gemeente, naam)
    }
}
