import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    /// Setting up and changing consultations (coordinators): create, change (settings, status,
    /// themes, invited gemeenten), copy.
    func registerRaadplegingen(_ routes: inout RouteTable) {
        route(&routes, .post, "/api/v1/raadplegingen", caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let created = try ops.createRaadpleging(try RaadplegingDraft.decode(request), by: actor)
            return .json(201, Representation.raadpleging(created, now: ops.clock.now(), documenten: []),
                         headers: [("Location", "/api/v1/raadplegingen/\(created.id)")])
        }
        route(&routes, .patch, "/api/v1/raadplegingen/{id}", bodyLimit: 64 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let id = request.parameters["id"] ?? ""
            let updated = try ops.change(raadpleging: id, try RaadplegingChange.decode(request), by: actor)
            return .json(200, Representation.raadpleging(updated, now: ops.clock.now(),
                                                         documenten: try ops.documenten(raadpleging: id, by: actor)))
        }
        route(&routes, .post, "/api/v1/raadplegingen/{id}/kopie", bodyLimit: 64 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let copy = try ops.copyRaadpleging(request.parameters["id"] ?? "", as: try RaadplegingKopie.decode(request), by: actor)
            return .json(201, Representation.raadpleging(copy, now: ops.clock.now(), documenten: []),
                         headers: [("Location", "/api/v1/raadplegingen/\(copy.id)")])
        }
    }
}
