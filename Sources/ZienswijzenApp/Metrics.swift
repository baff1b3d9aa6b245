import Foundation
import Synchronization

/// Request counts by route and status, and a latency histogram, rendered in the Prometheus text
/// format (version 0.0.4). Gauges that live in the database (submissions, deadline) are added by
/// the `/metrics` handler at scrape time.
///
/// Counting a request takes no lock: every route gets its own `RouteMetrics` when it is
/// registered, with an atomic counter per usual status; only a status outside that list takes a
/// (rarely touched) lock.
package final class Metrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    package static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private static let bucketNanoseconds: [Int] = buckets.map { Int(($0 * 1e9).rounded()) }

    /// Per bucket (not cumulative; summed when rendered), then +Inf, then the count, then the
    /// sum in nanoseconds.
    private let latency = AtomicCounters(count: Metrics.buckets.count + 3)
    private let routes = Mutex<[RouteMetrics]>([])

    package init() {}

    /// The counters of one route, made once when the route is registered.
    package func route(method: String, pattern: String) -> RouteMetrics {
        let route = RouteMetrics(method: method, pattern: pattern, metrics: self)
        routes.withLock { $0.append(route) }
        return route
    }

    fileprivate func recordLatency(nanoseconds: Int) {
        var bucket = Metrics.buckets.count
        for (i, bound) in Metrics.bucketNanoseconds.enumerated() where nanoseconds <= bound {
            bucket = i
            break
        }
        latency.add(bucket)
        latency.add(Metrics.buckets.count + 1)
        latency.add(Metrics.buckets.count + 2, nanoseconds)
    }

    /// The text exposition of what this object holds.
    package func render(authenticationFailures: Int) -> String {
        var rows: [(route: String, method: String, status: Int, count: Int)] = []
        for route in routes.withLock({ $0 }) {
            for (status, count) in route.counts() where count > 0 {
                rows.append((route.pattern, route.method, status, count))
            }
        }
        rows.sort { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        var out = "# HELP zienswijzen_http_requests_total HTTP requests answered, by method, route pattern and status.\n"
        out += "# TYPE zienswijzen_http_requests_total counter\n"
        for row in rows {
            out += "zienswijzen_http_requests_total{method=\"\(label(row.method))\",route=\"\(label(row.route))\",status=\"\(row.status)\"} \(row.count)\n"
        }
        out += "# HELP zienswijzen_http_request_duration_seconds Time spent in handlers.\n"
        out += "# TYPE zienswijzen_http_request_duration_seconds histogram\n"
        var cumulative = 0
        for (i, bound) in Metrics.buckets.enumerated() {
            cumulative += latency[i]
            out += "zienswijzen_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        let count = latency[Metrics.buckets.count + 1]
        out += "zienswijzen_http_request_duration_seconds_bucket{le=\"+Inf\"} \(count)\n"
        out += "zienswijzen_http_request_duration_seconds_sum \(Double(latency[Metrics.buckets.count + 2]) / 1e9)\n"
        out += "zienswijzen_http_request_duration_seconds_count \(count)\n"
        out += "# HELP zienswijzen_authentication_failures_total Failed authentications.\n"
        out += "# TYPE zienswijzen_authentication_failures_total counter\n"
        out += "zienswijzen_authentication_failures_total \(authenticationFailures)\n"
        return out
    }

    /// Escapes a label value (backslash, quote, newline) per the exposition format.
    private func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// The request counters of one route (method + pattern).
package final class RouteMetrics: Sendable {
    /// The statuses counted without a lock; any other goes to `others`.
    private static let usual: [Int] = [200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308,
                                       400, 401, 403, 404, 405, 406, 409, 410, 412, 413, 415, 422, 428, 429,
                                       500, 503]
    private static let slots: [Int: Int] = Dictionary(uniqueKeysWithValues: usual.enumerated().map { ($1, $0) })

    let method: String
    let pattern: String
    private let metrics: Metrics
    private let usualCounts = AtomicCounters(count: RouteMetrics.usual.count)
    private let others = Mutex<[Int: Int]>([:])

    fileprivate init(method: String, pattern: String, metrics: Metrics) {
        self.method = method
        self.pattern = pattern
        self.metrics = metrics
    }

    /// Counts one answered request and its time in the handler.
    package func record(status: Int, nanoseconds: Int) {
        if let slot = Self.slot(status) {
            usualCounts.add(slot)
        } else {
            others.withLock { $0[status, default: 0] += 1 }
        }
        metrics.recordLatency(nanoseconds: nanoseconds)
    }

    private static func slot(_ status: Int) -> Int? {
        switch status {
        case 200: 0
        case 201...599: slots[status]
        default: nil
        }
    }

    fileprivate func counts() -> [(Int, Int)] {
        Self.usual.indices.map { (Self.usual[$0], usualCounts[$0]) } + others.withLock { $0.map { ($0.key, $0.value) } }
    }
}
