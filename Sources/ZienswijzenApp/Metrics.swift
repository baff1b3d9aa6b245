import Foundation
import Synchronization

/// Request counts by route and status, and a latency histogram, rendered in the Prometheus text
/// format (version 0.0.4). Gauges that live in the database (submissions, deadline) are added by
/// the `/metrics` handler at scrape time.
package final class Metrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    package static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var requests: [RequestKey: Int] = [:]
        var bucketCounts = [Int](repeating: 0, count: Metrics.buckets.count)
        var latencySum: Double = 0
        var latencyCount = 0
    }

    private struct RequestKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private let state = Mutex(State())

    package init() {}

    package func record(method: String, route: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests[RequestKey(method: method, route: route, status: status), default: 0] += 1
            for (i, bound) in Metrics.buckets.enumerated() where seconds <= bound { s.bucketCounts[i] += 1 }
            s.latencySum += seconds
            s.latencyCount += 1
        }
    }

    /// The text exposition of what this object holds.
    package func render(authenticationFailures: Int) -> String {
        let s = state.withLock { $0 }
        var out = "# HELP zienswijzen_http_requests_total HTTP requests answered, by method, route pattern and status.\n"
        out += "# TYPE zienswijzen_http_requests_total counter\n"
        for (key, count) in s.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "zienswijzen_http_requests_total{method=\"\(label(key.method))\",route=\"\(label(key.route))\",status=\"\(key.status)\"} \(count)\n"
        }
        out += "# HELP zienswijzen_http_request_duration_seconds Time spent in handlers.\n"
        out += "# TYPE zienswijzen_http_request_duration_seconds histogram\n"
        for (i, bound) in Metrics.buckets.enumerated() {
            out += "zienswijzen_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(s.bucketCounts[i])\n"
        }
        out += "zienswijzen_http_request_duration_seconds_bucket{le=\"+Inf\"} \(s.latencyCount)\n"
        out += "zienswijzen_http_request_duration_seconds_sum \(s.latencySum)\n"
        out += "zienswijzen_http_request_duration_seconds_count \(s.latencyCount)\n"
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
