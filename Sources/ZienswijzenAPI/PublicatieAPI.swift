import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    /// The published result (issue 15): read by anyone, published (again) and withdrawn by coordinators.
    func registerPublicatie(_ routes: inout RouteTable) {
        let path = "/api/v1/raadplegingen/{id}/publicatie"
        route(&routes, .get, path, caller: .anyone) { [ops] request in
            let publicatie = try ops.publicatie(raadpleging: request.parameters["id"] ?? "", by: optionalCaller(request))
            return .json(200, publicatie.inhoud, headers: [("Cache-Control", "public, no-cache")])
        }
        route(&routes, .put, path, bodyLimit: 1024, caller: .coordinator) { [ops] request in
            let publicatie = try ops.publish(raadpleging: request.parameters["id"] ?? "", by: coordinator(request))
            return .json(200, publicatie.inhoud)
        }
        route(&routes, .delete, path, caller: .coordinator) { [ops] request in
            try ops.withdrawPublication(raadpleging: request.parameters["id"] ?? "", by: coordinator(request))
            return HTTPResponse(status: 204)
        }
    }
}
