import Foundation
import HTTP
import Logging
import ZienswijzenDomain
import ZienswijzenOperations

/// A handler that may throw: a `Problem`, a `Refusal`, or anything else (a logged 500).
package typealias ThrowingHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// Renders what a handler threw, in the edge's own format (problem+json, or an HTML page).
package typealias ErrorRenderer = @Sendable (_ error: any Error, _ request: HTTPRequest) -> HTTPResponse

/// Called once per route when it is registered; returns what is called once per handled request
/// of that route with its status and time in the handler, for the metrics.
package typealias RouteInstrument = @Sendable (_ method: String, _ pattern: String)
    -> @Sendable (_ status: Int, _ nanoseconds: Int) -> Void

/// The router as the edges fill it: every route's errors rendered once by its edge, and every
/// request counted under its route pattern.
package struct RouteTable {
    package var router = Router()
    package let instrument: RouteInstrument

    package init(instrument: @escaping RouteInstrument = { _, _ in { _, _ in } }) {
        self.instrument = instrument
    }

    /// Registers a handler, and optionally an `inline` one that may answer first from memory on
    /// the I/O queue (`Router.InlineHandler`). When a request with a body arrives, `head` judges it before a byte of
    /// the body is read (`HeadRule`); a refusal is rendered by `render` and sent at once.
    package mutating func add(_ method: HTTPMethod, _ pattern: String, bodyLimit: Int = 1 << 20,
                              head: HeadRule = .anyone, render: @escaping ErrorRenderer,
                              inline: Router.InlineHandler? = nil, _ handler: @escaping ThrowingHandler) {
        let record = instrument(method.rawValue, pattern)
        let decide: Router.HeadDecider = { requestHead, remoteAddress, parameters in
            let policy = BodyLimits.policy(for: requestHead, routeLimit: bodyLimit)
            let path = (try? RequestTarget.parse(requestHead.target))?.path ?? requestHead.target
            do {
                try head.check(requestHead, path, remoteAddress, parameters)
                return .accept(policy)
            } catch {
                let request = HTTPRequest(head: requestHead, path: path, query: nil, remoteAddress: remoteAddress,
                                          parameters: parameters)
                return .refuse(render(error, request))
            }
        }
        // An answer from memory is counted like any other; a declined one is counted by `handler`.
        var counted: Router.InlineHandler?
        if let inline {
            counted = { request -> HTTPResponse? in
                let started = ContinuousClock.now
                guard let response = inline(request) else { return nil }
                record(response.status, nanoseconds(since: started))
                return response
            }
        }
        router.add(method, pattern, bodyLimit: bodyLimit, decide: decide, inline: counted) { request in
            let started = ContinuousClock.now
            let response: HTTPResponse
            do {
                response = try handler(request)
            } catch {
                response = render(error, request)
            }
            record(response.status, nanoseconds(since: started))
            return response
        }
    }
}

/// Time since `start` in whole nanoseconds, for the metrics.
private func nanoseconds(since start: ContinuousClock.Instant) -> Int {
    Int(clamping: start.duration(to: .now).nanoseconds)
}

/// Who may send a body to a route: checked on the request head, before the body is read, so an
/// unknown caller's upload is refused at once and never read.
package struct HeadRule: Sendable {
    package typealias Check = @Sendable (_ head: RequestHead, _ path: String, _ remoteAddress: String,
                                         _ parameters: [String: String]) throws -> Void
    let check: Check

    package init(_ check: @escaping Check) {
        self.check = check
    }

    /// No check (a login form, the catalogue, the service's own endpoints).
    package static let anyone = HeadRule { _, _, _, _ in }
}

extension BodyLimits {
    /// How a body is read: JSON and urlencoded bodies at most 1 MiB, others (multipart, PDF) up
    /// to the route's limit; all but the smallest spooled to a file rather than held in memory.
    package static func policy(for head: RequestHead, routeLimit: Int) -> BodyPolicy {
        let type = mediaType(head.headers["Content-Type"])
        let structured = type == "application/json" || type == "application/merge-patch+json"
            || type == "application/x-www-form-urlencoded"
        let limit = structured ? min(routeLimit, BodyLimits.structured) : routeLimit
        return BodyPolicy(limit: limit, memoryLimit: min(limit, BodyLimits.inMemory))
    }
}

/// What both edges need to know about the deployment.
package struct EdgeConfiguration: Sendable {
    /// Where the web assets, templates and `openapi.json` live (`Public/`).
    package var publicDirectory: String = "Public"
    /// Mark the session cookie `Secure` (set when served over HTTPS, directly or behind a proxy).
    package var secureCookies: Bool = false
    /// The site's public address (`https://zienswijzen.example.nl`), without a trailing slash, for
    /// every absolute link the service writes (`--public-url`). Nil: not configured, and pages say
    /// that a link they show is a guess.
    package var publicURL: String?
    /// The RSIV contact every page's footer names (`--contact-naam`, `--contact-email`,
    /// `--contact-telefoon`); empty parts are left out.
    package var contact = Contact()
    /// The full API version, sent as `API-Version` on every API response.
    package var apiVersion: String = "1.0.0"

    package init() {}
}

extension HTTPRequest {
    /// Who is asking, as an operation's actor: `who` through `channel`, from the request's client
    /// address (which the application's responder has already resolved behind a trusted proxy).
    package func actor(_ who: Actor.Who, _ channel: Actor.Channel) -> Actor {
        Actor(who, address: remoteAddress, channel: channel)
    }
}

/// The problem an unexpected error becomes, after it was logged with the request's path.
package func internalError(_ error: any Error, _ request: HTTPRequest, logger: Logger) -> Problem {
    logger.error("request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
    return .internalError
}

/// Who to ask about a consultation, as the footer shows it.
package struct Contact: Sendable {
    package var naam: String
    package var email: String
    package var telefoon: String

    package init(naam: String = "", email: String = "", telefoon: String = "") {
        self.naam = naam.trimmingCharacters(in: .whitespaces)
        self.email = email.trimmingCharacters(in: .whitespaces)
        self.telefoon = telefoon.trimmingCharacters(in: .whitespaces)
    }

    package var isEmpty: Bool { naam.isEmpty && email.isEmpty && telefoon.isEmpty }
}
