import Foundation
import HTTP
import Logging
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// The REST API (`/api/v1`): requests become operations, results and refusals become JSON and
/// RFC 9457 problems. Nothing here decides a rule; it translates.
package struct API: Sendable {
    let ops: Operations
    let configuration: EdgeConfiguration
    let snapshots = CatalogSnapshots()
    /// The reactienota as the printable web page (`formaat=html`), rendered by the web front's
    /// templates; nil where there are none (then `html` is 422 like an unknown format).
    let printableReactienota: (@Sendable (ReactienotaDocument) -> HTTPResponse)?

    package init(ops: Operations, configuration: EdgeConfiguration,
                 printableReactienota: (@Sendable (ReactienotaDocument) -> HTTPResponse)? = nil) {
        self.ops = ops
        self.configuration = configuration
        self.printableReactienota = printableReactienota
    }

    /// Registers every API route.
    package func register(_ routes: inout RouteTable) {
        registerCatalog(&routes)
        registerRaadplegingen(&routes)
        registerDocumenten(&routes)
        registerRegister(&routes)
        registerZienswijzen(&routes)
        registerBijlagen(&routes)
        registerCoordinator(&routes)
        registerNotifications(&routes)
        registerReacties(&routes)
        registerPublicatie(&routes)
    }

    /// Who may send a body to an API route; judged on the head, before the body is read.
    enum Caller {
        /// Anyone (the catalogue).
        case anyone
        /// Any valid access code.
        case code
        /// A coordinator's code.
        case coordinator
        /// The code of the griffie of the path's `{gemeente}`.
        case griffie
    }

    /// Registers a route whose errors become problem+json. A request with a body from a caller
    /// the route does not take is answered at once (401, 403 or 429), its body never read.
    func route(_ routes: inout RouteTable, _ method: HTTPMethod, _ pattern: String, bodyLimit: Int = 1 << 20,
               caller: Caller = .code, inline: Router.InlineHandler? = nil, _ handler: @escaping ThrowingHandler) {
        let logger = ops.logger
        routes.add(method, pattern, bodyLimit: bodyLimit, head: headRule(caller), render: { error, request in
            API.problem(for: error, request, logger: logger).response
        }, inline: inline, handler)
    }

    private func headRule(_ caller: Caller) -> HeadRule {
        if case .anyone = caller { return .anyone }
        return HeadRule { [ops] head, path, address, parameters in
            let principal = try ops.authenticate(authorization: head.headers["Authorization"], address: address, path: path)
            let actor = Actor(.code(principal), address: address, channel: .api)
            switch caller {
            case .anyone, .code: break
            case .coordinator: guard principal.role == .coordinator else { throw Refusal.forbidden(.coordinatorOnly) }
            case .griffie:
                // Also the consultation (404, a concept too) and whether the gemeente takes part (403).
                _ = try ops.writableRaadpleging(parameters["id"] ?? "", gemeente: parameters["gemeente"] ?? "", by: actor)
            }
        }
    }

    /// The problem for whatever a handler threw: a problem as it is, a refusal mapped, anything
    /// else a logged 500.
    package static func problem(for error: any Error, _ request: HTTPRequest, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem: problem
        case let refusal as Refusal: Problem(refusal)
        default: internalError(error, request, logger: logger)
        }
    }

    // MARK: Who is calling

    /// The caller of `Authorization: Bearer <code>`, as an actor of the API.
    func caller(_ request: HTTPRequest) throws -> Actor {
        let principal = try ops.authenticate(authorization: request.headers["Authorization"],
                                             address: request.remoteAddress, path: request.path)
        return request.actor(.code(principal), .api)
    }

    /// A coordinator caller; a griffie gets 403 before anything else about the request is judged.
    func coordinator(_ request: HTTPRequest) throws -> Actor {
        let actor = try caller(request)
        guard actor.principal?.role == .coordinator else { throw Refusal.forbidden(.coordinatorOnly) }
        return actor
    }
}
