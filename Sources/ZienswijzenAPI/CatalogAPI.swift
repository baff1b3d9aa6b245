import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    func registerCatalog(_ routes: inout RouteTable) {
        // The catalogue is the same for everyone: kept in memory until a write changes it.
        route(&routes, .get, "/api/v1/gemeenten", caller: .anyone) { [ops, snapshots] request in
            try snapshots.gemeenten.response(to: request, version: .init(generation: ops.dataGeneration)) {
                JSONValue.array(try ops.gemeenten().map(Representation.gemeente)).serialized()
            }
        }
        route(&routes, .get, "/api/v1/raadplegingen", caller: .anyone) { [ops, snapshots] request in
            try snapshots.raadplegingen.response(to: request, version: .init(generation: ops.dataGeneration)) {
                JSONValue.array(try ops.raadplegingen().map(Representation.raadplegingSummary)).serialized()
            }
        }
        route(&routes, .get, "/api/v1/raadplegingen/{id}", caller: .anyone) { [ops, snapshots] request in
            // `resterendeSeconden` counts down: the kept answer lasts one second.
            let now = ops.clock.now()
            let version = Snapshot.Version(generation: ops.dataGeneration, tick: Int(now.timeIntervalSince1970.rounded(.down)))
            let id = request.parameters["id"] ?? ""
            return try snapshots.raadpleging.response(to: request, key: id, version: version) {
                Representation.raadpleging(try ops.raadpleging(id), now: now).serialized()
            }
        }
        route(&routes, .patch, "/api/v1/raadplegingen/{id}", bodyLimit: 64 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let change = try RaadplegingChange.decode(request)
            let updated = try ops.change(raadpleging: request.parameters["id"] ?? "", change, by: actor)
            return .json(200, Representation.raadpleging(updated, now: ops.clock.now()))
        }
        route(&routes, .get, "/api/v1/openapi.json", caller: .anyone) { [configuration, snapshots] request in
            let path = configuration.publicDirectory + "/openapi.json"
            // Kept in memory while the file is unchanged (one stat per request).
            guard let identity = StaticFiles.identity(ofPath: path) else { throw Problem.internalError }
            return try snapshots.openAPI.response(to: request, version: .init(generation: 0, tick: identity.hashValue)) {
                guard let document = FileManager.default.contents(atPath: path) else { throw Problem.internalError }
                return Array(document)
            }
        }
    }
}

/// The catalogue's answers kept in memory (see `Snapshot`).
struct CatalogSnapshots: Sendable {
    let gemeenten = Snapshot()
    let raadplegingen = Snapshot()
    let raadpleging = Snapshot()
    let openAPI = Snapshot(headers: [("Access-Control-Allow-Origin", "*"), ("Cache-Control", "public, max-age=300")])
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
