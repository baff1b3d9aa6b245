import Foundation
import Testing
@testable import HTTP

/// Requests and responses over real loopback sockets: methods, bodies, framing, keep-alive.
@Suite struct ServerFramingTests {
    @Test func getAnswersWithDateAndContentLength() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.text == "hello")
        #expect(r.header("Content-Length") == "5")
        #expect(r.headerCount("Date") == 1)
        #expect(r.header("Date")?.hasSuffix(" GMT") == true)
        #expect(r.header("Connection") == nil)
    }

    @Test func pathAndQueryAreSplit() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /path?a=1&b=2 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "GET /path a=1&b=2")
    }

    @Test func headHasGetsContentLengthButNoBody() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try c.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "5")
        // If a body had been sent, it would be read as the start of the next response.
        try c.send("GET /path HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "GET /path -")
    }

    @Test func postBodiesWithContentLengthAndChunked() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world")
        #expect(try c.readResponse().text == "hello world")
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        #expect(try c.readResponse().text == "hello world")
    }

    @Test func keepAliveServesSeveralRequests() throws {
        let s = try RunningServer()
        let c = try s.client()
        for i in 0..<5 {
            try c.send("GET /path?\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.text == "GET /path \(i)")
        }
        #expect(s.server.openConnections == 1)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /slow?300 HTTP/1.1\r\nHost: x\r\n\r\nGET /slow?0 HTTP/1.1\r\nHost: x\r\n\r\nGET /path?third HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "slow 300")
        #expect(try c.readResponse().text == "slow 0")
        #expect(try c.readResponse().text == "GET /path third")
    }

    @Test func pipelinedRequestsThenHalfCloseStillAnswered() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /path?1 HTTP/1.1\r\nHost: x\r\n\r\nGET /path?2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        shutdown(c.fd, Int32(SHUT_WR))
        #expect(try c.readResponse().text == "GET /path 1")
        let second = try c.readResponse()
        #expect(second.text == "GET /path 2")
        #expect(second.header("Connection") == "close")
        #expect(try c.waitForClose())
    }

    @Test func http10ClosesUnlessKeepAliveAsked() throws {
        let s = try RunningServer()
        let plain = try s.client()
        try plain.send("GET /hello HTTP/1.0\r\n\r\n")
        let r = try plain.readResponse()
        #expect(r.status == 200)
        #expect(r.header("Connection") == "close")
        #expect(try plain.waitForClose())

        let kept = try s.client()
        try kept.send("GET /hello HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        let first = try kept.readResponse()
        #expect(first.header("Connection") == "keep-alive")
        try kept.send("GET /path HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().text == "GET /path -")
    }

    @Test func connectionCloseIsHonouredCaseInsensitively() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: foo, CLOSE\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.header("Connection") == "close")
        #expect(try c.waitForClose())
    }

    @Test func noBodyFor204And304() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /204 HTTP/1.1\r\nHost: x\r\n\r\n")
        let r204 = try c.readResponse()
        #expect(r204.status == 204)
        #expect(r204.header("Content-Length") == nil)
        #expect(r204.header("Transfer-Encoding") == nil)
        try c.send("GET /304 HTTP/1.1\r\nHost: x\r\n\r\n")
        let r304 = try c.readResponse()
        #expect(r304.status == 304)
        // The next response must start right after the 304's head: no stray body bytes.
        try c.send("GET /path HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "GET /path -")
    }

    @Test func streamIsChunkedOnHTTP11AndCloseDelimitedOnHTTP10() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.header("Transfer-Encoding") == "chunked")
        #expect(r.header("Content-Length") == nil)
        #expect(r.text == "part0;part1;part2;")
        try c.send("GET /path HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "GET /path -")

        let old = try s.client()
        try old.send("GET /stream HTTP/1.0\r\n\r\n")
        let r10 = try old.readResponse()
        #expect(r10.header("Transfer-Encoding") == nil)
        #expect(r10.header("Connection") == "close")
        #expect(r10.text == "part0;part1;part2;")
    }

    @Test func unsafeResponseHeadersAreDropped() throws {
        let s = try RunningServer()
        let c = try s.client()
        try c.send("GET /unsafe-header HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.header("X-Good") == "fine")
        #expect(r.header("X-Evil") == nil)
        #expect(r.header("Set-Cookie") == nil)
        #expect(r.text == "ok")
    }

    @Test func largeResponseToSlowReaderArrivesIntact() throws {
        memoryHeavyTests.lock()
        defer { memoryHeavyTests.unlock() }
        let s = try RunningServer()
        let c = try s.client(timeout: 20)
        var small: Int32 = 16 * 1024
        setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        try c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        // Read the first megabyte slowly so the server meets a full socket (EAGAIN, partial writes).
        let head = try c.readSlowly(count: 1, piece: 1, pauseMicroseconds: 0)
        #expect(head == Array("H".utf8))
        let rest = try c.readSlowly(count: 1024 * 1024, piece: 16 * 1024, pauseMicroseconds: 500)
        let headEnd = try #require(find(Array("\r\n\r\n".utf8), in: rest))
        let remaining = bigBody.count - (rest.count - headEnd - 4)
        let tail = try c.readSlowly(count: remaining, piece: 256 * 1024, pauseMicroseconds: 0)
        #expect(Array(rest[(headEnd + 4)...]) + tail == bigBody)

        try c.send("GET /big-stream HTTP/1.1\r\nHost: x\r\n\r\n")
        let streamed = try c.readResponse()
        #expect(streamed.body == bigBody)
    }
}
