import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    /// The catalogue: gemeenten and consultations, readable without a code. A coordinator's code
    /// also shows consultations that are still a concept; any code shows the documents griffies see.
    func registerCatalog(_ routes: inout RouteTable) {
        route(&routes, .get, "/api/v1/gemeenten", caller: .anyone) { [ops] _ in
            .json(200, .array(try ops.gemeenten().map(Representation.gemeente)))
        }
        route(&routes, .get, "/api/v1/gemeenten/{code}", caller: .anyone) { [ops] request in
            guard let gemeente = try ops.gemeente(request.parameters["code"] ?? "") else { throw Refusal.notFound(.gemeente) }
            return .json(200, Representation.gemeente(gemeente))
        }
        route(&routes, .get, "/api/v1/raadplegingen", caller: .anyone) { [ops] request in
            .json(200, .array(try ops.raadplegingen(by: optionalCaller(request)).map(Representation.raadplegingSummary)))
        }
        route(&routes, .get, "/api/v1/raadplegingen/{id}", caller: .anyone) { [ops] request in
            let actor = try optionalCaller(request)
            let id = request.parameters["id"] ?? ""
            let raadpleging = try ops.raadpleging(id, by: actor)
            return .json(200, Representation.raadpleging(raadpleging, now: ops.clock.now(),
                                                         documenten: try ops.documenten(raadpleging: id, by: actor)))
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

    /// The caller when the request carries `Authorization` (401 for a bad code), else nil: on
    /// public routes a code only widens what is shown.
    func optionalCaller(_ request: HTTPRequest) throws -> Actor? {
        guard request.headers["Authorization"] != nil else { return nil }
        return try caller(request)
    }
}
