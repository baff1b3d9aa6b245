import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenOperations

/// A decoded PUT body: the zienswijze, and any PDF that came with it in a multipart `bestand`
/// part (already stored, in pieces, while the body was read).
package struct SubmissionBody: Sendable {
    package var input: ZienswijzeInput
    package var attachments: [BijlageUpload]
    /// The ids of the current version's attachments the new version carries; nil: all of them.
    package var keeping: [String]? = nil

    /// Decodes JSON, urlencoded or multipart by Content-Type; other types are 415. A multipart
    /// body is read once, front to back: its `bestand` file goes straight into `ops`' store. For
    /// the web form, `form` is the form already read (`FormBody.read`), and `ignoring` names its
    /// fields that are not part of the zienswijze (the CSRF token).
    package static func decode(_ request: HTTPRequest, rules: SubmissionRules, ops: Operations,
                               form: FormBody? = nil, ignoring: Set<String> = []) throws -> SubmissionBody {
        switch mediaType(request.headers["Content-Type"]) {
        case "application/json":
            let (input, keeping) = try unwrap(SubmissionDecoder.fromJSONKeeping(try request.smallBody(), rules: rules))
            return SubmissionBody(input: input, attachments: [], keeping: keeping)
        case "application/x-www-form-urlencoded":
            let pairs = try form?.fields ?? FormBody.read(request, ops: ops).fields
            let input = try unwrap(SubmissionDecoder.fromForm(pairs, rules: rules, ignoring: ignoring.union(["bijlagen"])))
            return SubmissionBody(input: input, attachments: [], keeping: SubmissionDecoder.keeping(fromForm: pairs))
        case "multipart/form-data":
            let body = try form ?? FormBody.read(request, ops: ops, files: ["bestand"])
            switch SubmissionDecoder.fromForm(body.fields, rules: rules, ignoring: ignoring.union(["bestand", "bijlagen"])) {
            case .success(let input):
                if !body.fileProblems.isEmpty { throw Problem.invalid(body.fileProblems) }
                return SubmissionBody(input: input, attachments: body.uploads.map(\.upload),
                                      keeping: SubmissionDecoder.keeping(fromForm: body.fields))
            case .failure(.invalid(let params)):
                throw Problem.invalid(params + body.fileProblems)
            case .failure(.malformed(let detail)):
                throw Problem.badRequest(detail)
            }
        default:
            throw Problem.unsupportedMediaType(
                "Stuur de zienswijze als application/json, application/x-www-form-urlencoded of multipart/form-data.")
        }
    }

    private static func unwrap<T>(_ result: Result<T, SubmissionError>) throws -> T {
        switch result {
        case .success(let input): return input
        case .failure(.malformed(let detail)): throw Problem.badRequest(detail)
        case .failure(.invalid(let params)): throw Problem.invalid(params)
        }
    }
}

/// The limits of request bodies, by kind.
package enum BodyLimits {
    /// JSON and urlencoded bodies of the API and the forms: the largest valid zienswijze is well
    /// under 0.5 MiB, so 1 MiB is room enough and bounds what a parser is ever given.
    package static let structured = 1 << 20
    /// A form or upload that carries one PDF: the file plus room for the other fields and framing.
    package static let upload = Bijlage.maxBytes + (1 << 20)
    /// The griffie's web form: a PDF up to about twice the file limit is still read (its bytes
    /// past 25 MiB dropped, never stored), so the form comes back with an error summary and every
    /// text kept; a larger body is answered 413 before it is read. Bounded: at most this much is
    /// spooled for one request.
    package static let webUpload = 2 * Bijlage.maxBytes + (1 << 20)
    /// Bodies up to this stay in memory; larger ones are spooled to a file by the server.
    package static let inMemory = 64 * 1024
}

extension HTTPRequest {
    /// The whole body of a structured (JSON) request, at most `BodyLimits.structured` bytes
    /// (the route's policy already refused more; this is the second lock).
    package func smallBody() throws -> [UInt8] {
        var reader = bodyReader()
        guard let bytes = try reader.readAll(limit: BodyLimits.structured) else {
            throw Problem.tooLarge("De body is groter dan 1 MiB.")
        }
        return bytes
    }
}

/// The problem for a multipart body the parser refused: 413 when a part or the whole is over
/// the limits (a file over 25 MiB), 415 when it is not form data, 400 when it is malformed.
package func multipartProblem(_ error: MultipartError) -> Problem {
    switch error.status {
    case 413: .tooLarge("Het bestand of het formulier is te groot: een bijlage is ten hoogste 25 MB.")
    case 415: .unsupportedMediaType("Stuur het formulier als multipart/form-data.")
    default: .badRequest("Het multipart-bericht kon niet worden gelezen.")
    }
}

extension MultipartLimits {
    /// Limits for a form that carries one PDF of at most 25 MiB.
    package static var upload: MultipartLimits {
        var limits = MultipartLimits()
        // Above the file's own limit, so an oversized file is refused by its sink (a field problem,
        // the form read on) rather than by the parser (the whole form lost).
        limits.maxPartSize = BodyLimits.upload
        limits.maxTotalSize = BodyLimits.upload
        return limits
    }

    /// Limits for the griffie's web form (`BodyLimits.webUpload`).
    package static var webUpload: MultipartLimits {
        var limits = MultipartLimits()
        limits.maxPartSize = BodyLimits.webUpload
        limits.maxTotalSize = BodyLimits.webUpload
        return limits
    }
}
