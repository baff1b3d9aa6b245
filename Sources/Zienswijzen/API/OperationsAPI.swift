import Foundation
import HTTP
import SQLite

extension App {
    func registerOperationsAPI(_ router: inout Router, openConnections: @escaping @Sendable () -> Int) {
        route(&router, .get, "/healthz") { _ in .text(200, "ok") }
        route(&router, .get, "/readyz") { [self] _ in
            do {
                _ = try read { try $0.queryOne("SELECT count(*) AS n FROM gemeenten") }
                return .text(200, "ok")
            } catch {
                logger.error("readiness check failed", metadata: ["error": "\(error)"])
                return .text(503, "database unavailable")
            }
        }
        route(&router, .get, "/metrics") { [self] _ in
            var text = metrics.render()
            text += "# HELP zienswijzen_open_connections Open HTTP connections.\n# TYPE zienswijzen_open_connections gauge\n"
            text += "zienswijzen_open_connections \(openConnections())\n"
            text += try databaseGauges()
            return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", text: text)
        }
        route(&router, .get, "/api/v1/openapi.json") { [self] _ in
            guard let document = openAPIDocument() else { throw Problem.internalError }
            var response = HTTPResponse(status: 200, contentType: "application/json; charset=utf-8", body: document)
            response.headers.add("Access-Control-Allow-Origin", "*")
            response.headers.add("Cache-Control", "public, max-age=300")
            return response
        }
    }

    /// The OpenAPI document, read from `Public/openapi.json`.
    package func openAPIDocument() -> [UInt8]? {
        FileManager.default.contents(atPath: configuration.publicDirectory + "/openapi.json").map { Array($0) }
    }

    /// Submissions by status and seconds to each deadline, read at scrape time.
    private func databaseGauges() throws -> String {
        let overviews = try read { db in
            try CatalogStore.consultations(db).compactMap { try StatusStore.overview(db, raadpleging: $0.id) }
        }
        let now = clock.now()
        var text = "# HELP zienswijzen_gemeenten_by_status Gemeenten per status of their current zienswijze.\n"
        text += "# TYPE zienswijzen_gemeenten_by_status gauge\n"
        for overview in overviews {
            for state in GemeenteStatus.State.allCases {
                text += "zienswijzen_gemeenten_by_status{raadpleging=\"\(overview.consultation.id)\",status=\"\(state.rawValue)\"} \(overview.count(state))\n"
            }
        }
        text += "# HELP zienswijzen_deadline_seconds Seconds until the deadline (negative once past).\n"
        text += "# TYPE zienswijzen_deadline_seconds gauge\n"
        for overview in overviews {
            if let deadline = overview.consultation.deadline {
                text += "zienswijzen_deadline_seconds{raadpleging=\"\(overview.consultation.id)\"} \(Int(deadline.timeIntervalSince(now)))\n"
            }
        }
        return text
    }
}
