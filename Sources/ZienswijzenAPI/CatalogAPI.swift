import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    /// The catalogue: gemeenten and consultations, readable without a code. A coordinator's code
    /// also shows consultations that are still a concept; any code shows the documents griffies see.
    func registerCatalog(_ routes: inout RouteTable) {
        // The catalogue is the same for everyone: kept in memory until a write changes it.
        // Each kept answer is also given from memory on the I/O queue while it is current (`inline`);
        // the handler builds it again after a write, or reads live for a caller with a code.
        route(&routes, .get, "/api/v1/gemeenten", caller: .anyone, inline: { [ops, snapshots] request in
            snapshots.gemeenten.keptResponse(to: request, version: .init(generation: ops.dataGeneration))
        }) { [ops, snapshots] request in
            try snapshots.gemeenten.response(to: request, version: .init(generation: ops.dataGeneration)) {
                JSONValue.array(try ops.gemeenten().map(Representation.gemeente)).serialized()
            }
        }
        route(&routes, .get, "/api/v1/gemeenten/{code}", caller: .anyone) { [ops] request in
            guard let gemeente = try ops.gemeente(request.parameters["code"] ?? "") else { throw Refusal.notFound(.gemeente) }
            return .json(200, Representation.gemeente(gemeente))
        }
        // Without a code everybody sees the same consultations: that answer is kept in memory. A
        // code widens what is shown (concepts, documents that are not public), so it is read live.
        route(&routes, .get, "/api/v1/raadplegingen", caller: .anyone, inline: { [ops, snapshots] request in
            guard request.headers["Authorization"] == nil else { return nil }
            return snapshots.raadplegingen.keptResponse(to: request, version: .init(generation: ops.dataGeneration))
        }) { [ops, snapshots] request in
            guard let actor = try optionalCaller(request) else {
                return try snapshots.raadplegingen.response(to: request, version: .init(generation: ops.dataGeneration)) {
                    JSONValue.array(try ops.raadplegingen(by: nil).map(Representation.raadplegingSummary)).serialized()
                }
            }
            return .json(200, .array(try ops.raadplegingen(by: actor).map(Representation.raadplegingSummary)))
        }
        route(&routes, .get, "/api/v1/raadplegingen/{id}", caller: .anyone, inline: { [ops, snapshots] request in
            guard request.headers["Authorization"] == nil else { return nil }
            return snapshots.raadpleging.keptResponse(to: request, key: request.parameters["id"] ?? "",
                                                      version: raadplegingVersion(ops))
        }) { [ops, snapshots] request in
            let actor = try optionalCaller(request)
            let id = request.parameters["id"] ?? ""
            let now = ops.clock.now()
            let read = {
                let raadpleging = try ops.raadpleging(id, by: actor)
                return Representation.raadpleging(raadpleging, now: now, documenten: try ops.documenten(raadpleging: id, by: actor))
            }
            guard actor == nil else { return .json(200, try read()) }
            return try snapshots.raadpleging.response(to: request, key: id, version: raadplegingVersion(ops, now: now)) {
                try read().serialized()
            }
        }
        route(&routes, .get, "/api/v1/openapi.json", caller: .anyone, inline: { [configuration, snapshots] request in
            guard let identity = StaticFiles.identity(ofPath: configuration.publicDirectory + "/openapi.json") else { return nil }
            return snapshots.openAPI.keptResponse(to: request, version: .init(generation: 0, tick: identity.hashValue))
        }) { [configuration, snapshots] request in
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

/// The version of a consultation's kept answer: `resterendeSeconden` counts down, so it lasts
/// one second.
private func raadplegingVersion(_ ops: Operations, now: Date? = nil) -> Snapshot.Version {
    Snapshot.Version(generation: ops.dataGeneration, tick: Int((now ?? ops.clock.now()).timeIntervalSince1970.rounded(.down)))
}

/// The catalogue's answers kept in memory (see `Snapshot`).
struct CatalogSnapshots: Sendable {
    let gemeenten = Snapshot()
    let raadplegingen = Snapshot()
    let raadpleging = Snapshot()
    let openAPI = Snapshot(headers: [("Access-Control-Allow-Origin", "*"), ("Cache-Control", "public, max-age=300")])
}

extension API {
    /// The caller when the request carries `Authorization` (401 for a bad code), else nil: on
    /// public routes a code only widens what is shown.
    func optionalCaller(_ request: HTTPRequest) throws -> Actor? {
        guard request.headers["Authorization"] != nil else { return nil }
        return try caller(request)
    }
}
