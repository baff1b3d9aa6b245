import Foundation
import HTTP
import SQLite

/// A handler that may throw a `Problem` (or anything else, which becomes a logged 500).
package typealias ThrowingHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

extension App {
    /// Registers a route whose errors become problem+json, and whose requests are counted under
    /// their route pattern.
    package func route(_ router: inout Router, _ method: HTTPMethod, _ pattern: String, bodyLimit: Int = 1 << 20,
                       _ handler: @escaping ThrowingHandler) {
        router.add(method, pattern, bodyLimit: bodyLimit) { [self] request in
            let started = ContinuousClock.now
            let response = render(request, handler)
            let elapsed = started.duration(to: .now)
            metrics.record(method: request.method.rawValue, route: pattern, status: response.status,
                           seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            return response
        }
    }

    /// Runs a handler and renders what it throws, once, as a problem.
    package func render(_ request: HTTPRequest, _ handler: ThrowingHandler) -> HTTPResponse {
        do {
            return try handler(request)
        } catch let problem as Problem {
            return problem.response
        } catch let refusal as SubmissionRefusal {
            return Problem(refusal).response
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return Problem.internalError.response
        }
    }

    /// Runs `body` in one write transaction (BEGIN IMMEDIATE); what it throws reaches `render`,
    /// which turns a database error into a logged 500.
    package func write<T>(_ body: (Connection) throws -> T) throws -> T {
        try db.write(body)
    }

    package func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try db.read(body)
    }
}
