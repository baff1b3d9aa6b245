import Dispatch
import Foundation
import Testing
@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// Issue 10 over real loopback sockets: decide before the body, refusals while the client still
/// sends, `100 Continue` only after an accept, spooled bodies, strict line endings and tolerant
/// trailers.
@Suite struct ServerDecisionTests {
    @Test func refusedUploadIsAnsweredAtOnceWhileTheClientStillSends() throws {
        let s = try RunningServer(responder: HostileResponder())
        let before = s.server.bytesReadSoFar
        let c = try s.client(timeout: 5)
        let started = DispatchTime.now()
        try c.send("POST /upload?code=wrong HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nContent-Length: 26214400\r\n\r\n")
        // Keep sending the 25 MB body from another thread, as a client that does not wait would.
        let fd = c.fd
        let piece = [UInt8](repeating: 0x41, count: 64 * 1024)
        let sender = SenderThread {
            piece.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } > 0
        }
        defer { sender.stop(); withExtendedLifetime(c) {} }  // the socket outlives the thread
        let r = try c.readResponse()
        let elapsed = millis(since: started)
        #expect(r.status == 403)
        #expect(r.header("Content-Type") == "application/problem+json")
        #expect(r.header("X-Refused") == "code")
        #expect(r.header("Connection") == "close")
        #expect(r.text.contains("Verkeerde code"))
        #expect(elapsed < 100, "answered after \(elapsed) ms")
        #expect(try c.waitForClose())
        // What the server read: the head, what came with it, and at most the linger limit.
        let read = s.server.bytesReadSoFar - before
        #expect(read <= 256 * 1024 + 2 * 64 * 1024 + 1024, "server read \(read) bytes")
    }

    @Test func expectContinueGetsTheRefusalAndNo100() throws {
        let s = try RunningServer(responder: HostileResponder())
        let c = try s.client()
        try c.send("POST /upload?code=wrong HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 403)
        #expect(try c.waitForClose())
    }

    @Test func expectContinueGets100OnlyAfterAnAccept() throws {
        let responder = HostileResponder()
        let s = try RunningServer(responder: responder)
        let c = try s.client()
        let body = pattern(0..<100_000)
        try c.send("POST /upload?code=ok HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\nExpect: 100-continue\r\n\r\n")
        let interim = try c.readResponse()
        #expect(interim.status == 100)
        #expect(responder.decisions.value == 1)
        try c.send(body)
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.text == "100000 \(SHA256.hex(body)) true 100000")
    }

    @Test func decideRunsOnAHandlerThreadAndOnlyForRequestsWithABody() throws {
        let responder = HostileResponder()
        let s = try RunningServer(responder: responder)
        let c = try s.client()
        for _ in 0..<3 {
            try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try c.readResponse().text == "hello")
        }
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        #expect(try c.readResponse().status == 200)
        #expect(responder.decisions.value == 0)
        // A small body that came with its head (decide and respond in one job) and a larger one.
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        #expect(try c.readResponse().text == "hello||false")
        try c.send("POST /upload?code=ok HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n")
        try c.send(pattern(0..<200_000))
        #expect(try c.readResponse().status == 200)
        #expect(responder.decisions.value == 2)
        #expect(responder.decidedOffIOQueue.value == 2)
    }

    @Test func smallBodyOverItsLimitStillGets413() throws {
        let s = try RunningServer(responder: HostileResponder())
        let c = try s.client()
        try c.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n01234567890123456789")
        let r = try c.readResponse()
        #expect(r.status == 413)
        #expect(try c.waitForClose())
    }

    /// 24 MiB through a 64 KiB memory limit: spooled, read back through `BodyReader` intact,
    /// while resident memory grows by far less than the body. Measured in a process of its own
    /// (an exit test): in this one, tests running beside it allocate too and blur the figure.
    @Test func largeBodyIsSpooledAndArrivesIntact() async {
        await #expect(processExitsWith: .success) {
            let s = try RunningServer(responder: HostileResponder())
            let total = 24 << 20
            let c = try s.client(timeout: 30)
            let rssBefore = residentBytes()
            try c.send("POST /upload?code=ok HTTP/1.1\r\nHost: x\r\nContent-Length: \(total)\r\n\r\n")
            var hash = SHA256()
            var offset = 0
            while offset < total {
                let piece = pattern(offset..<min(total, offset + 256 * 1024))
                hash.update(piece)
                try c.send(piece)
                offset += piece.count
            }
            let r = try c.readResponse()
            let growth = residentBytes() - rssBefore
            let expected = "\(total) \(hash.finish()) true \(total)"
            guard r.status == 200, r.text == expected, growth < 12 << 20 else {
                FileHandle.standardError.write(Data("status \(r.status), body \(r.text), RSS grew by \(growth >> 20) MiB\n".utf8))
                exit(1)
            }
        }
    }

    @Test func chunkedBodyMovesToTheSpoolWhenItPassesTheMemoryLimit() throws {
        let s = try RunningServer(responder: HostileResponder())
        let c = try s.client(timeout: 10)
        try c.send("POST /upload?code=ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let body = pattern(0..<300_000)
        var offset = 0
        while offset < body.count {
            let piece = body[offset..<min(body.count, offset + 7_000)]
            try c.send(Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10])
            offset += piece.count
        }
        try c.send("0\r\n\r\n")
        #expect(try c.readResponse().text == "300000 \(SHA256.hex(body)) true 300000")
        // The connection stays usable.
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "hello")
    }

    @Test func bodyWithinTheMemoryLimitStaysInMemory() throws {
        let s = try RunningServer(responder: HostileResponder())
        let c = try s.client()
        let body = pattern(0..<500_000)
        try c.send("POST /upload-mem HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
        try c.send(body)
        #expect(try c.readResponse().text == "500000 \(SHA256.hex(body)) false 500000")
    }

    @Test func spoolThatCannotBeCreatedAnswers503AndCloses() throws {
        let s = try RunningServer(responder: HostileResponder()) { $0.spoolDirectory = "/nonexistent-spool-directory" }
        let c = try s.client()
        try c.send("POST /upload?code=ok HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
        try? c.send(pattern(0..<100_000))
        let r = try c.readResponse()
        #expect(r.status == 503)
        #expect(try c.waitForClose())
        // The server goes on.
        let d = try s.client()
        try d.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try d.readResponse().text == "hello")
    }

    @Test func spoolFilesHaveNoName() throws {
        let directory = NSTemporaryDirectory() + "spool-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try SpooledBody(directory: directory)
        try spool.append(Array("hello".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(try spool.read(at: 1, count: 3) == Array("ell".utf8))
        #expect(try spool.read(at: 4, count: 100) == Array("o".utf8))
        #expect(try spool.read(at: 5, count: 100) == [])
    }

    /// Copies of a request share its spool; the file is closed when the last copy is gone.
    @Test func spoolIsClosedWithTheLastCopyOfTheRequest() throws {
        func target(_ fd: Int32) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)") }
        var request: HTTPRequest? = HTTPRequest(head: RequestHead(method: .post, target: "/", version: .http1_1, headers: HTTPHeaders(),
                                                                  framing: .contentLength(3)),
                                                path: "/", query: nil, spooledBody: try SpooledBody(directory: NSTemporaryDirectory()))
        try request!.spooledBody!.append(Array("abc".utf8))
        let fd = request!.spooledBody!.fd
        let before = try #require(target(fd))
        var copy = request
        request = nil
        #expect(target(fd) == before)
        do {
            var reader = copy!.bodyReader()  // a reader holds the spool too, while it lives
            #expect(try reader.readAll(limit: 10) == Array("abc".utf8))
        }
        #expect(copy!.bodyLength == 3)
        copy = nil
        #expect(target(fd) != before)  // closed (or, in a parallel test, reused for something else)
    }

    @Test func bareLFInTheHeadGets400AndClose() throws {
        let s = try RunningServer(responder: HostileResponder())
        for raw in ["POST /echo HTTP/1.1\r\nHost: x\r\nDummy: x\nContent-Length: 23\r\n\r\nGET /hello HTTP/1.1\r\n\r\n",
                    "GET /hello HTTP/1.1\nHost: x\r\n\r\n",
                    "GET /hello HTTP/1.1\r\nHost: x\r\n\n",
                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n"] {
            let c = try s.client()
            try c.send(raw)
            let r = try c.readResponse()
            #expect(r.status == 400, "\(raw.debugDescription)")
            #expect(r.header("Connection") == "close")
            #expect(try c.waitForClose())
        }
    }

    @Test func forbiddenTrailersAreDiscardedAndTheRequestServed() throws {
        let s = try RunningServer(responder: HostileResponder())
        let c = try s.client()
        try c.send("POST /trailers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum, Vary\r\n\r\n"
                   + "5\r\nhello\r\n0\r\nVary: *\r\nContent-Type: text/evil\r\nX-Sum: 42\r\nContent-Length: 3\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.text == "hello|X-Sum=42|false")
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "hello")
    }
}
