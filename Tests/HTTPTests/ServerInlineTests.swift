import Foundation
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
