import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    func registerBijlagen(_ routes: inout RouteTable) {
        let base = "/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}/bijlagen"
        route(&routes, .post, base, bodyLimit: maxAttachmentBytes + 1024 * 1024) { [ops] request in
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
            let (bijlage, bytes) = try ops.bijlage(request.parameters["bijlageId"] ?? "", raadpleging: request.parameters["id"] ?? "",
                                                   gemeente: request.parameters["gemeente"] ?? "", by: caller(request))
            var response = HTTPResponse(status: 200, contentType: bijlage.mediatype, body: bytes)
            response.headers.add("Content-Disposition", contentDisposition(filename: bijlage.bestandsnaam))
            response.headers.add("ETag", "\"\(bijlage.sha256)\"")
            response.headers.add("Cache-Control", "private, no-cache")
            return response
        }
    }

    /// The PDF of a POST: a multipart `bestand` part, or a raw `application/pdf` body.
    func uploadedPDF(_ request: HTTPRequest) throws -> BijlageUpload {
        switch mediaType(request.headers["Content-Type"]) {
        case "application/pdf":
            return try checkedPDF(request.body, filename: dispositionFilename(request.headers["Content-Disposition"]) ?? "bijlage.pdf")
        case "multipart/form-data":
            guard let part = try uploadParts(request).first(where: { $0.name == "bestand" }) else {
                throw Problem.invalid([InvalidParam(name: "bestand", reason: "verplicht: het PDF-bestand")])
            }
            return try checkedPDF(part.body, filename: part.filename ?? "bijlage.pdf")
        default:
            throw Problem.unsupportedMediaType("Stuur een PDF als multipart/form-data (veld 'bestand') of als application/pdf.")
        }
    }
}
