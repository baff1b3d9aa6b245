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

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266), safe for any name:
/// the quoted fallback holds printable ASCII only (no `"`, `\\` or DEL), and the extended form
/// percent-encodes every UTF-8 byte outside RFC 5987's attr-char.
func contentDisposition(filename: String) -> String {
    let ascii = String(String.UnicodeScalarView(filename.unicodeScalars.map { scalar -> Unicode.Scalar in
        scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\" ? scalar : "_"
    }))
    var encoded = ""
    for byte in filename.utf8 {
        if attrChar(byte) {
            encoded.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }
    return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
}

/// RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~".
private func attrChar(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default:
        Array("!#$&+-.^_`|~".utf8).contains(byte)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// The file name of a Content-Disposition request header (RFC 6266): `filename*=UTF-8''…` when
/// present and decodable, else `filename`, quoted or not. The header is parsed as a whole (a `;`
/// inside a quoted name is part of the name). Nil when there is none or the header is malformed.
func dispositionFilename(_ header: String?) -> String? {
    guard let header, let parsed = MIMEParameters.parse(header) else { return nil }
    if let extended = parsed["filename*"], let decoded = decodeExtendedValue(extended) { return decoded }
    return parsed["filename"]
}

/// `UTF-8'lang'percent-encoded` (RFC 8187) to text; nil for another charset or bad encoding.
private func decodeExtendedValue(_ value: String) -> String? {
    let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
    return String(parts[2]).removingPercentEncoding
}
