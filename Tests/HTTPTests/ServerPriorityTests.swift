import Foundation
import Synchronization
import Testing
@testable import HTTP

/// Under overload, a connection the server already answered well is served before new ones.
@Suite struct ServerPriorityTests {
    /// Records the order in which requests reach a handler; `/wait` blocks until the gate opens.
    struct OrderResponder: HTTPResponder {
        let gate = Gate()
        let order = Order()

        final class Order: Sendable {
            let paths = Mutex<[String]>([])
            func append(_ path: String) { paths.withLock { $0.append(path) } }
            var all: [String] { paths.withLock { $0 } }
        }

        func bodyLimit(for head: RequestHead) -> Int { 1 << 20 }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            if request.path == "/wait" { gate.wait() }
            order.append(request.path)
            return HTTPResponse(status: request.path.hasPrefix("/bad") ? 401 : 200, contentType: "text/plain", text: request.path)
        }
    }

    @Test func establishedConnectionsGoBeforeNewAndFailingOnes() throws {
        let responder = OrderResponder()
        let s = try RunningServer(responder: responder) {
            $0.maxConcurrentHandlers = 1
            $0.awakeHandlers = 1
        }
        defer { responder.gate.release(); s.stop() }
        // `served` was answered 200 before; `failed` got a 401 last; `fresh` is new.
        let served = try s.client()
        try served.send("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try served.readResponse().status == 200)
        let failed = try s.client()
        try failed.send("GET /bad HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try failed.readResponse().status == 401)
        // The only handler thread blocks; then the three queue up, the established one last.
        let blocker = try s.client()
        try blocker.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { responder.gate.waiters == 1 })
        let fresh = try s.client()
        try fresh.send("GET /fresh HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { s.server.queuedHandlerJobs == 1 })
        try failed.send("GET /after-failure HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { s.server.queuedHandlerJobs == 2 })
        try served.send("GET /established HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { s.server.queuedHandlerJobs == 3 })
        responder.gate.release()
        for client in [served, fresh, failed] { #expect(try client.readResponse().status == 200) }
        #expect(responder.order.all == ["/warm", "/bad", "/wait", "/established", "/fresh", "/after-failure"])
    }
}
