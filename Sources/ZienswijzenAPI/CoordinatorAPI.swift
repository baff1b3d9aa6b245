import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    func registerCoordinator(_ routes: inout RouteTable) {
        route(&routes, .get, "/api/v1/raadplegingen/{id}/zienswijzen") { [ops] request in
            let actor = try coordinator(request)
            let export = try ops.export(raadpleging: request.parameters["id"] ?? "", by: actor)
            let query = (try? request.queryFields()) ?? FormFields()
            let prefersCSV = (request.headers["Accept"] ?? "").lowercased().contains("text/csv")
            switch query.first("formaat") ?? (prefersCSV ? "csv" : "json") {
            case "csv":
                var response = HTTPResponse(status: 200, contentType: "text/csv; charset=utf-8", body: export.csv)
                response.headers.add("Content-Disposition", contentDisposition(filename: "zienswijzen-\(export.raadpleging.id).csv"))
                return response
            case "excel":
                // For people: Dutch titles, labels and dates; the same framing as the CSV (`ReadableCSV`).
                var response = HTTPResponse(status: 200, contentType: "text/csv; charset=utf-8", body: export.excelCSV)
                response.headers.add("Content-Disposition",
                                     contentDisposition(filename: "zienswijzen-\(export.raadpleging.id)-excel.csv"))
                return response
            case "json":
                return .json(200, export.json)
            default:
                throw Problem.invalid([InvalidParam(name: "formaat", reason: "moet 'json', 'csv' of 'excel' zijn")])
            }
        }
        route(&routes, .get, "/api/v1/raadplegingen/{id}/status") { [ops] request in
            let actor = try coordinator(request)
            var filter: GemeenteStatus.State?
            if let value = try? request.queryFields().first("status") {
                guard let state = GemeenteStatus.State(rawValue: value) else {
                    throw Problem.invalid([InvalidParam(name: "status", reason: "moet een van ontbreekt, ingediend, te-laat, ingetrokken zijn")])
                }
                filter = state
            }
            let overview = try ops.status(raadpleging: request.parameters["id"] ?? "", by: actor)
            return .json(200, Representation.status(overview, now: ops.clock.now(), filter: filter))
        }
        route(&routes, .get, "/api/v1/audit") { [ops] request in
            let actor = try coordinator(request)
            let query = (try? request.queryFields()) ?? FormFields()
            var problems: [InvalidParam] = []
            let limitText = query.first("limiet")
            let limit = min(max(limitText.flatMap { Int($0) } ?? 100, 1), 1000)
            if let limitText, Int(limitText) == nil { problems.append(InvalidParam(name: "limiet", reason: "moet een geheel getal zijn")) }
            let beforeText = query.first("voor")
            let before = beforeText.flatMap { Int64($0) }
            if beforeText != nil && before == nil { problems.append(InvalidParam(name: "voor", reason: "moet een geheel getal zijn")) }
            if !problems.isEmpty { throw Problem.invalid(problems) }
            return .json(200, .array(try ops.auditEntries(limit: limit, before: before, by: actor).map(Representation.auditEntry)))
        }
        route(&routes, .get, "/api/v1/toegangscodes") { [ops] request in
            .json(200, .array(try ops.toegangscodes(by: coordinator(request)).map(Representation.toegangscode)))
        }
        route(&routes, .post, "/api/v1/toegangscodes", bodyLimit: 16 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let (role, gemeente, naam, email) = try decodeCodeRequest(request)
            let issued = try ops.issueCode(role: role, gemeente: gemeente, naam: naam, email: email, by: actor)
            guard case .object(var members) = Representation.toegangscode(issued.record) else { throw Problem.internalError }
            members.append(("code", .string(issued.code)))
            return .json(201, .object(members), headers: [("Cache-Control", "no-store")])
        }
        route(&routes, .delete, "/api/v1/toegangscodes/{codeId}", caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            guard let codeID = Int64(request.parameters["codeId"] ?? "") else { throw Refusal.notFound(.toegangscode) }
            try ops.revokeCode(id: codeID, by: actor)
            return HTTPResponse(status: 204)
        }
    }

    /// The body of `POST /api/v1/toegangscodes`: `rol`, `gemeente`, `naam`, `email`, as JSON. Shapes
    /// are checked here (every problem at once); the rules by the operation.
    private func decodeCodeRequest(_ request: HTTPRequest) throws -> (Role, String?, String, String?) {
        try requireJSON(request)
        guard let value = try? JSONValue.parse(request.body), let members = value.objectValue else {
            throw Problem.badRequest("De body is geen geldig JSON-object.")
        }
        var problems: [InvalidParam] = []
        var role: Role?
        var gemeente: String?
        var naam = ""
        var email: String?
        for (name, member) in members {
            switch name {
            case "rol": role = member.stringValue.flatMap(Role.init(rawValue:))
                if role == nil { problems.append(InvalidParam(name: name, reason: "moet 'griffie' of 'coordinator' zijn")) }
            case "gemeente": gemeente = member.stringValue
                if gemeente == nil && !member.isNull { problems.append(InvalidParam(name: name, reason: "moet een CBS-code zijn, zoals GM0518")) }
            case "naam": naam = member.stringValue ?? ""
                if member.stringValue == nil { problems.append(InvalidParam(name: name, reason: "moet een tekst zijn")) }
            case "email": email = member.stringValue
                if email == nil && !member.isNull { problems.append(InvalidParam(name: name, reason: "moet een e-mailadres of null zijn")) }
            default: problems.append(InvalidParam(name: name, reason: "onbekend veld"))
            }
        }
        if role == nil && !problems.contains(where: { $0.name == "rol" }) { problems.append(InvalidParam(name: "rol", reason: "verplicht")) }
        guard problems.isEmpty, let role else { throw Problem.invalid(problems) }
        return (role, gemeente, naam, email)
    }
}
