import Foundation
import HTTP
import SQLite

extension App {
    func registerAttachmentAPI(_ router: inout Router) {
        let base = "/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}/bijlagen"
        route(&router, .post, base, bodyLimit: maxAttachmentBytes + 1024 * 1024) { [self] request in
            let principal = try authenticate(request)
            let (id, gemeente) = try target(request, principal, write: true)
            let attachment = try uploadedPDF(request)
            let now = clock.now()
            return try idempotent(request, principal) { db in
                let ctx = VersionStore.Context(raadpleging: id, gemeente: gemeente, now: now, toegangscodeID: principal.codeID)
                let (version, bijlage) = try VersionStore.attach(db, ctx, attachment)
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "bijlage-toegevoegd", onderwerp: "\(id)/\(gemeente)",
                                      details: "\(bijlage.id) \(version.kenmerk)", adres: request.remoteAddress)
                guard case .object(var members) = Representation.bijlage(bijlage) else { throw Problem.internalError }
                members.append(("ontvangstbevestiging", Representation.receipt(version)))
                return .json(201, .object(members), headers: [("Location", "\(request.path)/\(bijlage.id)")])
            }
        }
        route(&router, .get, base + "/{bijlageId}") { [self] request in
            let principal = try authenticate(request)
            let (id, gemeente) = try target(request, principal, write: false)
            let bijlageID = request.parameters["bijlageId"] ?? ""
            guard let (info, bytes) = try read({
                try VersionStore.attachment($0, raadpleging: id, gemeente: gemeente, id: bijlageID)
            }) else { throw Problem.notFound("Deze bijlage bestaat niet.") }
            var response = HTTPResponse(status: 200, contentType: info.mediatype, body: bytes)
            response.headers.add("Content-Disposition", contentDisposition(filename: info.bestandsnaam))
            response.headers.add("ETag", "\"\(info.sha256)\"")
            response.headers.add("Cache-Control", "private, no-cache")
            return response
        }
    }

    /// The PDF of a POST: a multipart `bestand` part, or a raw `application/pdf` body.
    func uploadedPDF(_ request: HTTPRequest) throws -> NewAttachment {
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

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266), safe for any name.
func contentDisposition(filename: String) -> String {
    let ascii = String(filename.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
    let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    let encoded = filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
    return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
}

/// The `filename` parameter of a Content-Disposition request header, if any.
func dispositionFilename(_ header: String?) -> String? {
    guard let header else { return nil }
    for parameter in header.split(separator: ";").dropFirst() {
        let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingHTTPWhitespace() }
        guard pair.count == 2, pair[0].lowercased() == "filename" else { continue }
        var value = pair[1]
        if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        return value
    }
    return nil
}
