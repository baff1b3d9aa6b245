import Foundation
import Logging
import Testing
@testable import HTTP

/// Refusals and limits: 413 before the body, Expect handling, parse errors, the connection cap,
/// random bytes; plus IPv6 and the access log.
@Suite struct ServerErrorTests {
    @Test func oversizedContentLengthGets413BeforeTheBodyIsSent() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 413)
        #expect(r.header("Connection") == "close")
        #expect(try c.waitForClose())
    }

    @Test func chunkedBodyPassingTheLimitGets413() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\nX\r\n")
        let r = try c.readResponse()
        #expect(r.status == 413)
        #expect(try c.waitForClose())
    }

    @Test func expectContinueIsAnsweredBeforeTheBody() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = try c.readResponse()
        #expect(interim.status == 100)
        try c.send("ping")
        let final = try c.readResponse()
        #expect(final.status == 200)
        #expect(final.text == "ping")
    }

    @Test func expectContinueRefusedWithFinalStatusAndNo100() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 413)
        #expect(try c.waitForClose())
    }

    @Test func unknownExpectationGets417() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: teapot\r\n\r\nhi")
        let r = try c.readResponse()
        #expect(r.status == 417)
        #expect(try c.waitForClose())
    }

    @Test func parseErrorGets400AndClose() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 400)
        #expect(r.header("Connection") == "close")
        #expect(r.header("Date") != nil)
        #expect(try c.waitForClose())
    }

    @Test func garbageAfterAGoodRequestAnswersTheGoodOneFirst() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n\u{01}\u{02} nonsense\r\n\r\n")
        #expect(try c.readResponse().status == 200)
        #expect(try c.readResponse().status == 400)
        #expect(try c.waitForClose())
    }

    @Test func connectionCapAnswers503() throws {
        let s = try RunningServer { $0.maxConnections = 2 }
        let a = try s.client(), b = try s.client()
        for c in [a, b] {
            try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try c.readResponse().status == 200)
        }
        let third = try s.client()
        let r = try third.readResponse()
        #expect(r.status == 503)
        #expect(r.header("Connection") == "close")
        // The two admitted connections still work.
        try a.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try a.readResponse().status == 200)
    }

    @Test func listensOnIPv6Loopback() throws {
        let s = try RunningServer(host: "::1")
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: [::1]\r\n\r\n")
        #expect(try c.readResponse().text == "hello")
    }

    @Test func invalidHostIsRejectedAtStart() {
        let server = HTTPServer(configuration: { var c = ServerConfiguration(); c.host = "not-an-address"; return c }(),
                                responder: TestResponder(), logger: quietLogger)
        #expect(throws: SocketError.self) { try server.start() }
    }

    @Test func survivesRandomBytesAndStillAnswers() throws {
        let s = try RunningServer {
            $0.headerReadTimeout = .milliseconds(300)
            $0.bodyIdleTimeout = .milliseconds(300)
            $0.lingerTimeout = .milliseconds(300)
        }
        var generator = SplitMix64(seed: 0x5EED)
        for round in 0..<150 {
            let c = try s.client(timeout: 3)
            var bytes = (0..<Int(generator.next() % 2048 + 1)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if round % 3 == 0 { bytes = Array("GET / HTTP/1.1\r\n".utf8) + bytes }  // get past the request line sometimes
            if round % 5 == 0 { bytes = Array("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + bytes }
            try? c.send(bytes)
            if round % 4 != 0 { shutdown(c.fd, Int32(SHUT_WR)) }  // most clients stop sending; some just wait
            _ = try? c.waitForClose()  // answered and closed, or timed out: either way not our concern here
        }
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "hello")
        #expect(s.stop())
    }

    @Test func accessLogAndMetricsHookSeeEachRequest() throws {
        let records = Records()
        let s = try RunningServer { $0.onRequestCompleted = { records.append($0) } }
        let c = try s.client()
        try c.send("GET /path?secret=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try c.readResponse()
        try c.send("GET /nope\u{7F}\u{1B} HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try c.readResponse()
        #expect(eventually { records.count >= 2 })
        let all = records.all
        let first = try #require(all.first)
        #expect(first.method == "GET")
        #expect(first.path == "/path")
        #expect(first.status == 200)
        #expect(first.bytesSent > 0)
        #expect(first.remoteAddress == "127.0.0.1")
        #expect(s.server.openConnections == 1)
    }

    @Test func accessLogEscapesAttackerBytes() {
        #expect(AccessLog.escape("/a\"b\\c\r\n\u{1B}é") == "/a\\\"b\\\\c\\x0D\\x0A\\x1B\\xC3\\xA9")
        let long = AccessLog.escape(String(repeating: "a", count: 1000))
        #expect(long.count == AccessLog.maxPathLength + 3)
        let fields = AccessLog.metadata(RequestLogRecord(method: "GET", path: "/x\n", status: 200, bytesSent: 10,
                                                         duration: .milliseconds(2), remoteAddress: "::1", connectionID: 1,
                                                         requestID: "id\r\n1"))
        #expect(fields.mapValues { "\($0)" } == ["method": "GET", "path": "/x\\x0A", "status": "200", "bytes": "10",
                                                "duration_ms": "2.0", "client": "::1", "request_id": "id\\x0D\\x0A1"])
    }
}

/// Thread-safe collector for the metrics hook.
final class Records: @unchecked Sendable {
    // @unchecked: guarded by the lock.
    private let lock = NSLock()
    private var items: [RequestLogRecord] = []
    func append(_ r: RequestLogRecord) { lock.lock(); items.append(r); lock.unlock() }
    var all: [RequestLogRecord] { lock.lock(); defer { lock.unlock() }; return items }
    var count: Int { all.count }
}
