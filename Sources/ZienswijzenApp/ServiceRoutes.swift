import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension App {
    /// `/healthz` (the process answers), `/readyz` (the database answers) and `/metrics`.
    func registerServiceRoutes(_ routes: inout RouteTable, openConnections: @escaping @Sendable () -> Int) {
        let render: ErrorRenderer = { [logger] error, request in internalError(error, request, logger: logger).response }
        routes.add(.get, "/healthz", render: render, inline: { _ in .text(200, "ok") }) { _ in .text(200, "ok") }
        routes.add(.get, "/readyz", render: render) { [ops] _ in
            ops.isReady() ? .text(200, "ok") : .text(503, "database unavailable")
        }
        routes.add(.get, "/metrics", render: render) { [self] _ in
            var text = metrics.render(authenticationFailures: ops.authenticationFailures.current)
            text += "# HELP zienswijzen_open_connections Open HTTP connections.\n# TYPE zienswijzen_open_connections gauge\n"
            text += "zienswijzen_open_connections \(openConnections())\n"
            text += try databaseGauges()
            return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", text: text)
        }
    }

    /// Submissions by status and seconds to each deadline, read at scrape time.
    private func databaseGauges() throws -> String {
        let overviews = try ops.statusOfAll()
        let now = ops.clock.now()
        var text = "# HELP zienswijzen_gemeenten_by_status Gemeenten per status of their current zienswijze.\n"
        text += "# TYPE zienswijzen_gemeenten_by_status gauge\n"
        for overview in overviews {
            for state in GemeenteStatus.State.allCases {
                text += "zienswijzen_gemeenten_by_status{raadpleging=\"\(overview.raadpleging.id)\",status=\"\(state.rawValue)\"} \(overview.count(state))\n"
            }
        }
        text += "# HELP zienswijzen_deadline_seconds Seconds until the deadline (negative once past).\n"
        text += "# TYPE zienswijzen_deadline_seconds gauge\n"
        for overview in overviews {
            if let seconds = overview.raadpleging.deadlineState(at: now).resterendeSeconden {
                text += "zienswijzen_deadline_seconds{raadpleging=\"\(overview.raadpleging.id)\"} \(seconds)\n"
            }
        }
        return text
    }
}
