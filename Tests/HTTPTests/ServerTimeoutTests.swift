import Foundation
import Testing
@testable import HTTP

/// Deadlines: header read, body idle, keep-alive idle, write stall. Configured short; each test
/// checks the server acts by the deadline (with a generous margin for a busy machine), not speed.
@Suite struct ServerTimeoutTests {
    @Test func tricklingHeaderBytesGet408ByTheTotalDeadline() throws {
        let s = try RunningServer { $0.headerReadTimeout = .milliseconds(600) }
        let c = try s.client()
        let start = Date()
        try c.send("GET /hello HTTP/1.1\r\n")
        var sent = 0
        // One header byte every 150 ms: each byte would reset a per-read timeout, never this one.
        for byte in Array("X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8) {
            usleep(150_000)
            if (try? c.send([byte])) == nil { break }
            sent += 1
            if Date().timeIntervalSince(start) > 4 { break }
        }
        let r = try c.readResponse()
        #expect(r.status == 408)
        #expect(r.header("Connection") == "close")
        #expect(sent < 30)  // cut off long before the header could have completed
        #expect(Date().timeIntervalSince(start) < 5)
    }

    /// On a kept-alive connection, a request line and then silence: the header deadline applies,
    /// not the (longer) keep-alive idle timeout, although the parser has consumed every byte sent.
    @Test func requestLineThenSilenceGets408ByTheHeaderDeadline() throws {
        let s = try RunningServer {
            $0.headerReadTimeout = .milliseconds(500)
            $0.keepAliveIdleTimeout = .seconds(30)
        }
        let c = try s.client(timeout: 10)
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")  // a first request: now the connection is kept alive
        #expect(try c.readResponse().status == 200)
        let start = Date()
        try c.send("GET /hello HTTP/1.1\r\n")
        let r = try c.readResponse()
        #expect(r.status == 408)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func stalledBodyGets408() throws {
        let s = try RunningServer { $0.bodyIdleTimeout = .milliseconds(400) }
        let c = try s.client()
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        let r = try c.readResponse()
        #expect(r.status == 408)
        #expect(try c.waitForClose())
    }

    @Test func idleKeepAliveConnectionIsClosedSilently() throws {
        let s = try RunningServer { $0.keepAliveIdleTimeout = .milliseconds(300) }
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().status == 200)
        #expect(try c.waitForClose())  // closed without sending anything more
        #expect(eventually { s.server.openConnections == 0 })
    }

    @Test func connectionThatNeverSendsIsClosedByTheIdleDeadline() throws {
        let s = try RunningServer { $0.keepAliveIdleTimeout = .milliseconds(300) }
        let c = try s.client()
        #expect(try c.waitForClose())
    }

    @Test func clientThatDoesNotReadIsDroppedAfterTheWriteStall() throws {
        let s = try RunningServer { $0.writeStallTimeout = .milliseconds(400) }
        let c = try s.client()
        var small: Int32 = 4096
        setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        try c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { s.server.openConnections == 1 })
        // Never read: the server's send buffer fills, progress stops, the deadline closes it.
        #expect(eventually(timeout: 20) { s.server.openConnections == 0 })
    }

    /// 2,000 clients in the middle of a header section (fewer if this process may not open that
    /// many descriptors: each costs two, ours and the server's) do not keep others from being served.
    @Test func manySlowClientsDoNotDelayOthers() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = min(limit.rlim_max, 8192)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let count = min(2000, (Int(limit.rlim_cur) - 400) / 2)
        let s = try RunningServer { $0.headerReadTimeout = .seconds(30) }
        var slow: [TestClient] = []
        for _ in 0..<count {
            let c = try s.client()
            try c.send("GET /hello HTTP/1.1\r\nHost:")  // never finished
            slow.append(c)
        }
        for _ in 0..<20 {
            let fast = try s.client()
            try fast.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try fast.readResponse().text == "hello")
        }
        #expect(eventually { s.server.openConnections == count })
        #expect(count >= 300, "only \(count) descriptors' worth of slow clients")
    }
}
