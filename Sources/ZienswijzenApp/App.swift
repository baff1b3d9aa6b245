import Foundation
import HTTP
import Logging
import Synchronization
import ZienswijzenAPI
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations
import ZienswijzenWeb

package struct AppConfiguration: Sendable {
    /// What the API and the web pages need to know (public directory, cookies, public URL, API version).
    package var edge = EdgeConfiguration()
    /// Peers whose `X-Forwarded-For` is believed (the reverse proxy's addresses).
    package var trustedProxies: Set<String> = []

    package init() {}
}

/// The running service: the operations, the two edges wired to one router, and what every
/// response gets (the client address behind a trusted proxy, a request id, security headers).
/// Immutable after start, so handlers on any thread share one instance.
package final class App: Sendable {
    package let ops: Operations
    package let configuration: AppConfiguration
    package let metrics = Metrics()
    let api: API
    package let web: Web
    /// Set once a trusted proxy sent an `X-Forwarded-For` that is not an IP address (logged once).
    let invalidForwardedForLogged = Atomic<Bool>(false)

    package init(ops: Operations, configuration: AppConfiguration = AppConfiguration()) {
        self.ops = ops
        self.configuration = configuration
        let web = Web(ops: ops, configuration: configuration.edge)
        self.web = web
        self.api = API(ops: ops, configuration: configuration.edge, printableReactienota: { web.printableReactienota($0) })
    }

    var logger: Logger { ops.logger }

    /// Builds the router with every route of the API, the web pages, the assets and the service's
    /// own endpoints (`/healthz`, `/readyz`, `/metrics`).
    package func makeResponder(openConnections: @escaping @Sendable () -> Int = { 0 }) -> AppResponder {
        let metrics = self.metrics
        var routes = RouteTable(instrument: { method, pattern in
            let route = metrics.route(method: method, pattern: pattern)
            return { status, nanoseconds in route.record(status: status, nanoseconds: nanoseconds) }
        })
        routes.router.fallback = { [web = self.web] status, request, allow in
            let problem: Problem = switch status {
            case 405: .methodNotAllowed(allow)
            case 404: .notFound("Deze bron bestaat niet.")
            default: .badRequest("Het verzoek kon niet worden gelezen.")
            }
            let wantsHTML = (request.headers["Accept"] ?? "").contains("text/html")
            if request.path.hasPrefix("/api/") || status == 405 || !wantsHTML { return problem.response }
            return web.renderErrorPage(status: status, request: request)
        }
        api.register(&routes)
        web.register(&routes)
        registerServiceRoutes(&routes, openConnections: openConnections)
        return AppResponder(app: self, router: routes.router)
    }
}
