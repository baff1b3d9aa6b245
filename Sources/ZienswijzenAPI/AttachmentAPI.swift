import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    func registerBijlagen(_ routes: inout RouteTable) {
        let base = "/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}/bijlagen"
        route(&routes, .post, base, bodyLimit: BodyLimits.upload, caller: .griffie) { [ops] request in
            let actor = try caller(request)
            let (id, gemeente) = (request.parameters["id"] ?? "", request.parameters["gemeente"] ?? "")
            _ = try ops.writableRaadpleging(id, gemeente: gemeente, by: actor)
            let upload = try uploadedPDF(request)
            let render = { (attached: Attached) -> HTTPResponse in
                guard case .object(var members) = Representation.bijlage(attached.bijlage) else { return HTTPResponse(status: 500) }
                members.append(("ontvangstbevestiging", Representation.receipt(attached.versie)))
                return .json(201, .object(members), headers: [("Location", "\(request.path)/\(attached.bijlage.id)")])
            }
            let outcome = try ops.attach(upload, raadpleging: id, gemeente: gemeente, by: actor,
                                         idempotency: idempotency(request, actor, render))
            return response(outcome, render)
        }
        route(&routes, .get, base + "/{bijlageId}") { [ops] request in
            let reader = try ops.bijlageReader(request.parameters["bijlageId"] ?? "", raadpleging: request.parameters["id"] ?? "",
                                               gemeente: request.parameters["gemeente"] ?? "", by: caller(request))
            return .download(reader, cacheControl: "private, no-cache")
        }
    }

    /// The PDF of a POST, stored while it is read: a multipart `bestand` part, or a raw
    /// `application/pdf` body named by its Content-Disposition.
    func uploadedPDF(_ request: HTTPRequest) throws -> BijlageUpload {
        switch mediaType(request.headers["Content-Type"]) {
        case "application/pdf":
            let sink = ops.receiveUpload(filename: dispositionFilename(request.headers["Content-Disposition"]) ?? "bijlage.pdf")
            var reader = request.bodyReader()
            while let piece = try reader.next() { try sink.write(piece) }
            return try sink.finish()
        case "multipart/form-data":
            let form = try FormBody.read(request, ops: ops, files: ["bestand"])
            // Only `bestand` counts here; other parts, files or not, are ignored.
            let problems = form.fileProblems.filter { $0.name == "bestand" }
            if !problems.isEmpty { throw Problem.invalid(problems) }
            guard let upload = form.uploads.first(where: { $0.field == "bestand" })?.upload else {
                throw Problem.invalid([InvalidParam(name: "bestand", reason: "verplicht: het PDF-bestand")])
            }
            return upload
        default:
            throw Problem.unsupportedMediaType("Stuur een PDF als multipart/form-data (veld 'bestand') of als application/pdf.")
        }
    }
}
