import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge

/// The application's `HTTPResponder`: the router, with what every response needs wrapped around
/// it — the real client address behind a trusted proxy, a request id, `API-Version` on API
/// responses, and security headers on every response.
package struct AppResponder: HTTPResponder {
    let app: App
    package let router: Router

    package func bodyLimit(for head: RequestHead) -> Int { router.bodyLimit(for: head) }

    /// The route's verdict on a request with a body, from the client's real address; a refusal
    /// carries the usual headers like any other answer.
    package func decide(_ head: RequestHead, remoteAddress: String) -> HeadDecision {
        switch router.decide(head, remoteAddress: clientAddress(headers: head.headers, peer: remoteAddress)) {
        case .accept(let policy):
            return .accept(policy)
        case .refuse(var response):
            finish(&response, requestID: validRequestID(head.headers["X-Request-ID"]) ?? RequestID.next(),
                   api: head.target.hasPrefix("/api/"), overHTTPS: false)
            return .refuse(response)
        }
    }

    package func respond(to incoming: HTTPRequest) -> HTTPResponse {
        var request = incoming
        request.remoteAddress = clientAddress(headers: request.headers, peer: request.remoteAddress)
        var response = router.respond(to: request)
        finish(&response, requestID: validRequestID(request.headers["X-Request-ID"]) ?? RequestID.next(),
               api: request.path.hasPrefix("/api/"), overHTTPS: arrivedOverHTTPS(incoming))
        return response
    }

    /// The router's answer from memory (`Router.InlineHandler`), finished like any other.
    package func respondInline(to incoming: HTTPRequest) -> HTTPResponse? {
        var request = incoming
        request.remoteAddress = clientAddress(headers: request.headers, peer: request.remoteAddress)
        guard var response = router.respondInline(to: request) else { return nil }
        finish(&response, requestID: validRequestID(request.headers["X-Request-ID"]) ?? RequestID.next(),
               api: request.path.hasPrefix("/api/"), overHTTPS: arrivedOverHTTPS(incoming))
        return response
    }

    /// What every answer gets: `Secure` cookies over HTTPS, the request id, `API-Version` on the
    /// API, the security headers.
    private func finish(_ response: inout HTTPResponse, requestID: String, api: Bool, overHTTPS: Bool) {
        if !app.configuration.edge.secureCookies && overHTTPS { markCookiesSecure(&response) }
        response.headers.set("X-Request-ID", requestID)
        if api { response.headers.set("API-Version", app.configuration.edge.apiVersion) }
        addSecurityHeaders(&response)
    }

    /// A request refused before routing (a body over the route's limit, a body that came too
    /// slowly, an unsupported `Expect`) still gets a problem+json body and the usual headers, so
    /// no API error is ever an empty body.
    package func refusal(status: Int, head: RequestHead?) -> HTTPResponse? {
        if status == 413, let head, !head.target.hasPrefix("/api/"), (head.headers["Accept"] ?? "").contains("text/html") {
            // A browser's form over the route's hard cap: a page with the way back, not problem+json.
            var response = app.web.renderTooLargePage(path: (try? RequestTarget.parse(head.target))?.path ?? "/")
            finish(&response, requestID: validRequestID(head.headers["X-Request-ID"]) ?? RequestID.next(), api: false,
                   overHTTPS: false)
            return response
        }
        let problem: Problem = switch status {
        case 413: .tooLarge("De body is groter dan deze bron aanneemt (ten hoogste \(head.map { BodyLimits.policy(for: $0, routeLimit: bodyLimit(for: $0)).limit } ?? 0) bytes).")
        case 408: Problem(408, "time-out", "Time-out", "Het verzoek kwam niet op tijd binnen.")
        case 417: Problem(417, "verwachting-niet-ondersteund", "Verwachting niet ondersteund",
                          "Alleen Expect: 100-continue wordt ondersteund.")
        case 414: Problem(414, "url-te-lang", "URL te lang", "De URL is langer dan 8 KiB.")
        case 431: Problem(431, "headers-te-groot", "Headers te groot",
                          "De headers zijn samen groter dan 64 KiB, of het zijn er meer dan 100.")
        case 501: Problem(501, "niet-ondersteund", "Niet ondersteund", "Deze Transfer-Encoding wordt niet ondersteund.")
        case 505: Problem(505, "http-versie-niet-ondersteund", "HTTP-versie niet ondersteund", "Gebruik HTTP/1.1 of HTTP/1.0.")
        case 503: Problem(503, "niet-beschikbaar", "Niet beschikbaar",
                          "De server kon het verzoek nu niet aannemen. Probeer het over een minuut opnieuw.")
        default: .badRequest("Het verzoek kon niet worden gelezen: het is geen geldig HTTP/1.1-verzoek.")
        }
        var response = problem.response
        finish(&response, requestID: validRequestID(head?.headers["X-Request-ID"]) ?? RequestID.next(),
               api: head?.target.hasPrefix("/api/") == true, overHTTPS: false)
        return response
    }

    /// True when a trusted proxy says the client spoke HTTPS to it (`X-Forwarded-Proto: https`).
    private func arrivedOverHTTPS(_ request: HTTPRequest) -> Bool {
        app.configuration.trustedProxies.contains(request.remoteAddress)
            && request.headers["X-Forwarded-Proto"]?.trimmingHTTPWhitespace().lowercased() == "https"
    }

    /// Adds `Secure` to every cookie of a response that goes out over HTTPS, so the session cookie
    /// is never sent over plain HTTP later even when `--secure-cookies` was not given.
    private func markCookiesSecure(_ response: inout HTTPResponse) {
        let cookies = response.headers.values("Set-Cookie")
        guard !cookies.isEmpty else { return }
        response.headers.remove("Set-Cookie")
        for cookie in cookies {
            let attributes = cookie.split(separator: ";").map { $0.trimmingHTTPWhitespace().lowercased() }
            response.headers.add("Set-Cookie", attributes.contains("secure") ? cookie : cookie + "; Secure")
        }
    }

    /// `X-Forwarded-For` is believed only when the peer is a trusted proxy; then the client is the
    /// right-most address that is not itself a trusted proxy. Every entry must be an IP address
    /// (kept in its canonical form): a chain with anything else is ignored as a whole, the peer
    /// stands as the client, and the first such value is logged once; free text never reaches
    /// the audit log or the throttle as an "address".
    private func clientAddress(headers: HTTPHeaders, peer: String) -> String {
        guard app.configuration.trustedProxies.contains(peer) else { return peer }
        let chain = headers.values("X-Forwarded-For").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingHTTPWhitespace() }.filter { !$0.isEmpty }
        var canonical: [String] = []
        for entry in chain {
            guard let address = IPAddressText.canonical(entry) else {
                if app.invalidForwardedForLogged.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
                    app.logger.warning("ignoring X-Forwarded-For from a trusted proxy: not an IP address (logged once)",
                                       metadata: ["value": "\(entry.prefix(100))", "proxy": "\(peer)"])
                }
                return peer
            }
            canonical.append(address)
        }
        for address in canonical.reversed() where !app.configuration.trustedProxies.contains(address) {
            return address
        }
        return peer
    }

    private func validRequestID(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128,
              value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") })
        else { return nil }
        return value
    }

    private static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]

    private func addSecurityHeaders(_ response: inout HTTPResponse) {
        for (name, value) in Self.securityHeaders where !response.headers.contains(name) {
            response.headers.add(name, value)
        }
    }
}

