import HTTP
import ZienswijzenDomain
import ZienswijzenOperations

/// An RFC 9457 problem: the one shape every API error takes. Thrown by edge code (a body that
/// cannot be read) or made from an operation's `Refusal`; rendered once, as problem+json by the
/// API and as an error page by the web. Titles and details are Dutch; nothing internal (SQL,
/// stack) goes in.
package struct Problem: Error, Sendable {
    package var status: Int
    package var slug: String
    package var title: String
    package var detail: String
    package var invalidParams: [InvalidParam] = []
    package var headers: [(String, String)] = []

    package init(_ status: Int, _ slug: String, _ title: String, _ detail: String,
                 invalidParams: [InvalidParam] = [], headers: [(String, String)] = []) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.invalidParams = invalidParams
        self.headers = headers
    }

    /// `type` is a URN per problem kind, so scripts can branch on it without a web lookup.
    package var type: String { "urn:zienswijzen:probleem:\(slug)" }

    package var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string(type)), ("title", .string(title)), ("status", .int(status)), ("detail", .string(detail)),
        ]
        if !invalidParams.isEmpty {
            members.append(("invalidParams", .array(invalidParams.map {
                .object([("name", .string($0.name)), ("reason", .string($0.reason))])
            })))
        }
        return .object(members)
    }

    package var response: HTTPResponse {
        var response = HTTPResponse(status: status, contentType: "application/problem+json; charset=utf-8",
                                    body: json.serialized())
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }

    // MARK: The problems the API sends

    package static func badRequest(_ detail: String) -> Problem {
        Problem(400, "ongeldig-verzoek", "Ongeldig verzoek", detail)
    }
    package static func unauthenticated(_ detail: String = "Geef een geldige toegangscode mee als Authorization: Bearer <toegangscode>.") -> Problem {
        Problem(401, "niet-geauthenticeerd", "Niet geauthenticeerd", detail,
                headers: [("WWW-Authenticate", "Bearer realm=\"zienswijzen\"")])
    }
    package static func forbidden(_ detail: String) -> Problem {
        Problem(403, "geen-toegang", "Geen toegang", detail)
    }
    package static func notFound(_ detail: String) -> Problem {
        Problem(404, "niet-gevonden", "Niet gevonden", detail)
    }
    package static func methodNotAllowed(_ allow: [String]) -> Problem {
        Problem(405, "methode-niet-toegestaan", "Methode niet toegestaan",
                "Deze bron ondersteunt: \(allow.joined(separator: ", ")).", headers: [("Allow", allow.joined(separator: ", "))])
    }
    package static func conflict(_ detail: String) -> Problem {
        Problem(409, "conflict", "Conflict", detail)
    }
    package static func tooLarge(_ detail: String) -> Problem {
        Problem(413, "te-groot", "Verzoek te groot", detail)
    }
    package static func unsupportedMediaType(_ detail: String) -> Problem {
        Problem(415, "mediatype-niet-ondersteund", "Mediatype niet ondersteund", detail)
    }
    /// 422 with every problem by field, but at most `maxInvalidParams` of them: a body of
    /// 100,000 bad list items gets a short answer that says how many more there were.
    package static func invalid(_ params: [InvalidParam], detail: String = "Een of meer velden zijn ongeldig.") -> Problem {
        guard params.count > maxInvalidParams else {
            return Problem(422, "ongeldige-invoer", "Ongeldige invoer", detail, invalidParams: params)
        }
        return Problem(422, "ongeldige-invoer", "Ongeldige invoer",
                       detail + " Hieronder de eerste \(maxInvalidParams); er zijn er nog \(params.count - maxInvalidParams) meer.",
                       invalidParams: Array(params.prefix(maxInvalidParams)))
    }

    package static let maxInvalidParams = 100
    package static func tooManyRequests(retryAfter: Int) -> Problem {
        Problem(429, "te-veel-verzoeken", "Te veel verzoeken",
                "Te veel mislukte pogingen vanaf dit adres. Probeer het over \(retryAfter) seconden opnieuw.",
                headers: [("Retry-After", String(retryAfter))])
    }
    package static let internalError = Problem(500, "interne-fout", "Interne fout",
                                               "Er ging iets mis aan onze kant. Probeer het later opnieuw; de fout is gelogd.")
    package static let unavailable = Problem(503, "niet-beschikbaar", "Niet beschikbaar", "De database antwoordt niet.")
}

extension Problem {
    /// The problem for an operation's refusal: 404, 403, 409, 422, 401 (with `WWW-Authenticate`)
    /// or 429 (with `Retry-After`), with the refusal's Dutch sentence.
    package init(_ refusal: Refusal) {
        switch refusal {
        case .notFound: self = .notFound(refusal.detail)
        case .forbidden: self = .forbidden(refusal.detail)
        case .conflict: self = .conflict(refusal.detail)
        case .invalid(let params, let detail): self = .invalid(params, detail: detail)
        case .unauthenticated: self = .unauthenticated(refusal.detail)
        case .throttled(let seconds): self = .tooManyRequests(retryAfter: seconds)
        case .tooLarge(let detail): self = .tooLarge(detail)
        }
    }
}
