import Foundation
import Synchronization
import Testing
@testable import HTTP

/// `HTTPResponder.respondInline`: answers from memory given on the I/O queue, without a handler
/// thread, in order with everything else on the connection.
@Suite struct ServerInlineTests {
    /// Answers `/inline…` on the I/O queue (and counts where it ran); everything else, and any
    /// request with a body, goes to `respond` on a handler thread.
    struct InlineResponder: HTTPResponder {
        let inlineOnIOQueue = Counter()
        let inlineElsewhere = Counter()
        let handled = Counter()

        func bodyLimit(for head: RequestHead) -> Int { 1 << 20 }

        func respondInline(to request: HTTPRequest) -> HTTPResponse? {
            guard request.path.hasPrefix("/inline") else { return nil }
            if IOLoop.isOnIOQueue { inlineOnIOQueue.increment() } else { inlineElsewhere.increment() }
            return HTTPResponse(status: 200, contentType: "text/plain", text: "inline \(request.path)")
        }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            handled.increment()
            return HTTPResponse(status: 200, contentType: "text/plain", text: "handler \(request.path) \(request.body.count)")
        }
    }

    @Test func inlineAnswersComeFromTheIOQueueAndOthersFromHandlers() throws {
        let responder = InlineResponder()
        let s = try RunningServer(responder: responder)
        defer { s.stop() }
        let c = try s.client()
        try c.send("GET /inline/a HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "inline /inline/a")
        try c.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "handler /other 0")
        // A body always goes to the handler, whatever the path.
        try c.send("POST /inline/b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        #expect(try c.readResponse().text == "handler /inline/b 3")
        #expect(responder.inlineOnIOQueue.value == 1)
        #expect(responder.inlineElsewhere.value == 0)
        #expect(responder.handled.value == 2)
    }

    /// 300 pipelined requests in one write, inline and handled mixed: every answer, in order
    /// (an inline answer must not overtake a handler's, nor nest inside the one before it).
    @Test func pipelinedMixOfInlineAndHandledKeepsOrder() throws {
        let responder = InlineResponder()
        let s = try RunningServer(responder: responder)
        defer { s.stop() }
        let c = try s.client(timeout: 20)
        var batch = ""
        for i in 0..<300 {
            batch += (i % 3 == 0 ? "GET /other/\(i)" : "GET /inline/\(i)") + " HTTP/1.1\r\nHost: x\r\n\r\n"
        }
        try c.send(batch)
        for i in 0..<300 {
            let expected = i % 3 == 0 ? "handler /other/\(i) 0" : "inline /inline/\(i)"
            let text = try c.readResponse().text
            #expect(text == expected)
            if text != expected { break }
        }
        #expect(responder.inlineOnIOQueue.value == 200)
        #expect(responder.handled.value == 100)
    }

    @Test func headOfAnInlineAnswerHasNoBody() throws {
        let s = try RunningServer(responder: InlineResponder())
        defer { s.stop() }
        let c = try s.client()
        try c.send("HEAD /inline/h HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try c.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "16")
        try c.send("GET /inline/next HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "inline /inline/next")
    }
}

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
