import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    func registerCatalog(_ routes: inout RouteTable) {
        route(&routes, .get, "/api/v1/gemeenten", caller: .anyone) { [ops] _ in
            .json(200, .array(try ops.gemeenten().map(Representation.gemeente)))
        }
        route(&routes, .get, "/api/v1/raadplegingen", caller: .anyone) { [ops] _ in
            .json(200, .array(try ops.raadplegingen().map(Representation.raadplegingSummary)))
        }
        route(&routes, .get, "/api/v1/raadplegingen/{id}", caller: .anyone) { [ops] request in
            .json(200, Representation.raadpleging(try ops.raadpleging(request.parameters["id"] ?? ""), now: ops.clock.now()))
        }
        route(&routes, .patch, "/api/v1/raadplegingen/{id}", bodyLimit: 64 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let change = try RaadplegingChange.decode(request)
            let updated = try ops.change(raadpleging: request.parameters["id"] ?? "", change, by: actor)
            return .json(200, Representation.raadpleging(updated, now: ops.clock.now()))
        }
        route(&routes, .get, "/api/v1/openapi.json", caller: .anyone) { [configuration] _ in
            guard let document = FileManager.default.contents(atPath: configuration.publicDirectory + "/openapi.json") else {
                throw Problem.internalError
            }
            var response = HTTPResponse(status: 200, contentType: "application/json; charset=utf-8", body: Array(document))
            response.headers.add("Access-Control-Allow-Origin", "*")
            response.headers.add("Cache-Control", "public, max-age=300")
            return response
        }
    }
}

extension RaadplegingChange {
    /// A PATCH body: any of `deadline` (RFC 3339 or null), `rboVergadering` (date or null),
    /// `status`, `herinneringen` (days before the deadline). Shapes are checked here; the rules (which years) by the operation.
    static func decode(_ request: HTTPRequest) throws -> RaadplegingChange {
        try requireJSON(request)
        guard let value = try? JSONValue.parse(request.body), let members = value.objectValue else {
            throw Problem.badRequest("De body is geen geldig JSON-object.")
        }
        var change = RaadplegingChange()
        var problems: [InvalidParam] = []
        for (name, member) in members {
            switch name {
            case "deadline":
                if member.isNull { change.deadline = .some(nil) }
                else if let text = member.stringValue, let date = AmsterdamTime.parseRFC3339(text) { change.deadline = .some(date) }
                else { problems.append(InvalidParam(name: name, reason: "moet een tijdstip zijn volgens RFC 3339, bijvoorbeeld 2026-12-01T17:00:00+01:00")) }
            case "rboVergadering":
                if member.isNull { change.rboVergadering = .some(nil) }
                else if let text = member.stringValue, let date = LocalDate(iso: text) { change.rboVergadering = .some(date) }
                else { problems.append(InvalidParam(name: name, reason: "moet een datum zijn (JJJJ-MM-DD) of null")) }
            case "status":
                if let text = member.stringValue, let status = RaadplegingStatus(rawValue: text) { change.status = status }
                else { problems.append(InvalidParam(name: name, reason: "moet 'open' of 'gesloten' zijn")) }
            case "herinneringen":
                if let days = member.arrayValue?.compactMap(\.intValue), days.count == member.arrayValue?.count,
                   let schedule = ReminderSchedule(days: days) { change.herinneringen = schedule }
                else { problems.append(InvalidParam(name: name, reason: ReminderSchedule.rule)) }
            default:
                problems.append(InvalidParam(name: name, reason: "onbekend veld"))
            }
        }
        if !problems.isEmpty { throw Problem.invalid(problems) }
        return change
    }
}
