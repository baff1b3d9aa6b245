import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    /// Changes to the register of gemeenten (coordinators): a new gemeente, or a merger.
    func registerRegister(_ routes: inout RouteTable) {
        route(&routes, .post, "/api/v1/gemeenten", bodyLimit: 16 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            var body = try JSONBody(request)
            body.refuseUnknown(["code", "naam", "regio"])
            let gemeente = Gemeente(code: body.string("code", required: true) ?? "", naam: body.string("naam", required: true) ?? "",
                                    regio: body.string("regio", required: true) ?? "")
            try body.finish()
            let added = try ops.addGemeente(gemeente, by: actor)
            return .json(201, Representation.gemeente(added), headers: [("Location", "/api/v1/gemeenten/\(added.code)")])
        }
        route(&routes, .patch, "/api/v1/gemeenten/{code}", bodyLimit: 16 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            var body = try JSONBody(request)
            body.refuseUnknown(["samengevoegdIn", "samengevoegdOp"])
            var into: String?
            switch body["samengevoegdIn"] {
            case nil: body.report("samengevoegdIn", "is verplicht (een CBS-code, of null om een samenvoeging ongedaan te maken)")
            case .null?: break
            case .string(let code)?: into = code
            case .some: body.report("samengevoegdIn", "moet een CBS-code zijn, zoals GM0518, of null")
            }
            let from = body.has("samengevoegdOp") ? body.date("samengevoegdOp") ?? nil : nil
            try body.finish()
            let gemeente = try ops.mergeGemeente(request.parameters["code"] ?? "", into: into, from: from, by: actor)
            return .json(200, Representation.gemeente(gemeente))
        }
    }
}
