import Foundation
import HTTP
import ZienswijzenDomain

/// The largest attachment accepted (the route's body limit adds room for the multipart framing).
package let maxAttachmentBytes = 25 * 1024 * 1024

/// A decoded PUT body: the zienswijze, and any PDF that came with it in a multipart `bestand` part.
package struct SubmissionBody: Sendable {
    package var input: ZienswijzeInput
    package var attachments: [BijlageUpload]

    /// Decodes JSON, urlencoded or multipart by Content-Type; other types are 415.
    /// `ignoring` names form fields that are not part of the zienswijze (the web form's CSRF token).
    package static func decode(_ request: HTTPRequest, rules: SubmissionRules, ignoring: Set<String> = []) throws -> SubmissionBody {
        switch mediaType(request.headers["Content-Type"]) {
        case "application/json":
            return SubmissionBody(input: try unwrap(SubmissionDecoder.fromJSON(request.body, rules: rules)), attachments: [])
        case "application/x-www-form-urlencoded":
            let fields: FormFields
            do { fields = try request.formFields() } catch { throw Problem.badRequest("Het formulier kon niet worden gelezen.") }
            let pairs = fields.map { ($0.name, $0.value) }
            return SubmissionBody(input: try unwrap(SubmissionDecoder.fromForm(pairs, rules: rules, ignoring: ignoring)),
                                  attachments: [])
        case "multipart/form-data":
            let parts = try uploadParts(request)
            var pairs: [(String, String)] = []
            var attachments: [BijlageUpload] = []
            var fileProblems: [InvalidParam] = []
            for part in parts {
                if part.name == "bestand" {
                    if part.filename == nil || (part.filename == "" && part.body.isEmpty) { continue } // no file chosen
                    do { attachments.append(try checkedPDF(part.body, filename: part.filename ?? "")) }
                    catch let problem as Problem { fileProblems += problem.invalidParams }
                } else if part.filename == nil {
                    pairs.append((part.name, String(decoding: part.body, as: UTF8.self)))
                } else {
                    fileProblems.append(InvalidParam(name: part.name, reason: "onbekend bestandsveld; gebruik 'bestand'"))
                }
            }
            switch SubmissionDecoder.fromForm(pairs, rules: rules, ignoring: ignoring.union(["bestand"])) {
            case .success(let input):
                if !fileProblems.isEmpty { throw Problem.invalid(fileProblems) }
                return SubmissionBody(input: input, attachments: attachments)
            case .failure(.invalid(let params)):
                throw Problem.invalid(params + fileProblems)
            case .failure(.malformed(let detail)):
                throw Problem.badRequest(detail)
            }
        default:
            throw Problem.unsupportedMediaType(
                "Stuur de zienswijze als application/json, application/x-www-form-urlencoded of multipart/form-data.")
        }
    }

    private static func unwrap(_ result: Result<ZienswijzeInput, SubmissionError>) throws -> ZienswijzeInput {
        switch result {
        case .success(let input): return input
        case .failure(.malformed(let detail)): throw Problem.badRequest(detail)
        case .failure(.invalid(let params)): throw Problem.invalid(params)
        }
    }
}

/// The problem for a multipart body the parser refused: 413 when a part or the whole is over
/// the limits (a file over 25 MiB), 415 when it is not form data, 400 when it is malformed.
/// The parts of a multipart upload (at most one 25 MiB file), or the problem that says why not.
package func uploadParts(_ request: HTTPRequest) throws -> [MultipartPart] {
    do {
        return try Multipart.parse(body: request.body, contentType: request.headers["Content-Type"] ?? "", limits: .upload)
    } catch {
        throw multipartProblem(error)
    }
}

package func multipartProblem(_ error: any Error) -> Problem {
    switch (error as? MultipartError)?.status {
    case 413: .tooLarge("Het bestand of het formulier is te groot: een bijlage is ten hoogste 25 MiB.")
    case 415: .unsupportedMediaType("Stuur het formulier als multipart/form-data.")
    default: .badRequest("Het multipart-bericht kon niet worden gelezen.")
    }
}

/// A PDF as judged by its content (`%PDF-` at the start), at most 25 MiB, with a safe file name.
package func checkedPDF(_ bytes: [UInt8], filename: String, field: String = "bestand") throws -> BijlageUpload {
    guard !bytes.isEmpty else { throw Problem.invalid([InvalidParam(name: field, reason: "het bestand is leeg")]) }
    guard bytes.count <= maxAttachmentBytes else {
        throw Problem.invalid([InvalidParam(name: field, reason: "het bestand is groter dan 25 MiB")])
    }
    guard bytes.starts(with: Array("%PDF-".utf8)) else {
        throw Problem.invalid([InvalidParam(name: field, reason: "alleen PDF-bestanden zijn toegestaan; dit bestand is geen PDF")])
    }
    return BijlageUpload(bestandsnaam: sanitizedFilename(filename), bytes: bytes,
                         sha256: sha256Hex(bytes))
}

extension MultipartLimits {
    /// Limits for a form that carries one PDF of at most 25 MiB.
    package static var upload: MultipartLimits {
        var limits = MultipartLimits()
        limits.maxPartSize = maxAttachmentBytes
        limits.maxTotalSize = maxAttachmentBytes + 1024 * 1024
        return limits
    }
}
