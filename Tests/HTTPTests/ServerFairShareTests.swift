import Dispatch
import Foundation
import Testing
@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// Fair shares and rates: the per-address connection limit, idle shedding near the cap, the
/// minimum body and response data rates; and pulled response bodies, which hold no thread while
/// the client is slow.
@Suite struct ServerFairShareTests {
    @Test func oneAddressAtItsLimitDoesNotKeepAnotherOut() throws {
        let s = try RunningServer(responder: HostileResponder()) {
            $0.maxConnectionsPerAddress = 3
            $0.connectionLimitExemptAddresses = []
        }
        // Three busy connections (heads half sent) fill 127.0.0.2's share.
        var held: [TestClient] = []
        for _ in 0..<3 {
            let c = try s.client(source: "127.0.0.2")
            try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n")
            held.append(c)
        }
        #expect(eventually { s.server.openConnections(from: "127.0.0.2") == 3 })
        let fourth = try s.client(source: "127.0.0.2")
        let refused = try fourth.readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Connection") == "close")
        #expect(try fourth.waitForClose())

        let other = try s.client(source: "127.0.0.3")
        try other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try other.readResponse().text == "hello")
        #expect(s.server.openConnections(from: "127.0.0.2") == 3)

        // A slot freed is a slot to be had again.
        held.removeFirst()
        #expect(eventually { s.server.openConnections(from: "127.0.0.2") == 2 })
        let again = try s.client(source: "127.0.0.2")
        try again.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try again.readResponse().text == "hello")
    }

    /// An address at its share whose connections are idle keep-alive ones (a browser's, a client
    /// pool's, an office behind one NAT address) is not turned away: its longest-idle connection
    /// makes room for the newcomer.
    @Test func anAddressAtItsShareMakesRoomFromItsOwnIdleConnections() throws {
        let s = try RunningServer(responder: HostileResponder()) {
            $0.maxConnectionsPerAddress = 3
            $0.connectionLimitExemptAddresses = []
        }
        var idle: [TestClient] = []
        for _ in 0..<3 {
            let c = try s.client(source: "127.0.0.5")
            try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try c.readResponse().status == 200)
            idle.append(c)
        }
        let fourth = try s.client(source: "127.0.0.5")
        try fourth.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try fourth.readResponse().text == "hello")
        #expect(try idle[0].waitForClose())  // the longest idle gave way
        #expect(s.server.openConnections(from: "127.0.0.5") == 3)
    }

    @Test func exemptAddressesAreNotLimited() throws {
        let s = try RunningServer(responder: HostileResponder()) {
            $0.maxConnectionsPerAddress = 2
            $0.connectionLimitExemptAddresses = ["127.0.0.4"]
        }
        let clients = try (0..<4).map { _ in try s.client(source: "127.0.0.4") }
        for c in clients {
            try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try c.readResponse().text == "hello")
        }
    }

    @Test func nearTheCapTheLongestIdleConnectionMakesRoom() throws {
        let s = try RunningServer(responder: HostileResponder()) {
            $0.maxConnections = 10
            $0.idleSheddingThreshold = 0.8
            $0.ioQueueCount = 1
        }
        var idle: [TestClient] = []
        for _ in 0..<7 {
            let c = try s.client()
            try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try c.readResponse().status == 200)
            idle.append(c)
        }
        #expect(eventually { s.server.openConnections == 7 })
        // The 8th reaches 80 %: the oldest idle one (the first) is closed to make room.
        for round in 0..<5 {
            let newcomer = try s.client()
            try newcomer.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try newcomer.readResponse().text == "hello", "round \(round)")
            #expect(try idle[round].waitForClose(), "round \(round)")
            idle.append(newcomer)
        }
        // The younger ones were left alone.
        let survivor = idle[5]
        try survivor.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try survivor.readResponse().text == "hello")
        #expect(s.server.openConnections <= 8)
    }

    @Test func bodyBelowTheMinimumRateGets408AndClose() throws {
        let s = try RunningServer(responder: HostileResponder()) {
            $0.minRequestBodyDataRate = 1000
            $0.requestBodyRateGracePeriod = .milliseconds(300)
            $0.bodyIdleTimeout = .seconds(30)
        }
        let c = try s.client(timeout: 10)
        let started = Date()
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        // One byte every 50 ms: 20 B/s, far below 1000 B/s; each byte would reset an idle timer.
        let fd = c.fd
        let trickle = SenderThread {
            usleep(50_000)
            return Glibc.send(fd, "x", 1, Int32(MSG_NOSIGNAL)) > 0
        }
        defer { trickle.stop(); withExtendedLifetime(c) {} }  // the socket outlives the thread
        let r = try c.readResponse()
        #expect(r.status == 408)
        #expect(r.header("Connection") == "close")
        #expect(try c.waitForClose())
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test func bodyAboveTheMinimumRateIsServed() throws {
        let s = try RunningServer(responder: HostileResponder()) {
            $0.minRequestBodyDataRate = 1000
            $0.requestBodyRateGracePeriod = .milliseconds(300)
        }
        let c = try s.client(timeout: 10)
        try c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n")
        for _ in 0..<8 {  // 40 bytes within the grace
            usleep(10_000)
            try c.send("abcde")
        }
        #expect(try c.readResponse().status == 200)
    }

    @Test func clientReadingBelowTheMinimumResponseRateIsClosed() throws {
        let s = try RunningServer(responder: HostileResponder()) {
            $0.minResponseDataRate = 100_000
            $0.responseRateGracePeriod = .milliseconds(300)
            $0.writeStallTimeout = .seconds(60)
        }
        let c = try s.client(timeout: 20, receiveBuffer: 4096)
        try c.send("GET /pull?n=67108864 HTTP/1.1\r\nHost: x\r\n\r\n")
        let started = Date()
        // 2 KB every 100 ms: ~20 KB/s, a fifth of the minimum.
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 2048)
        while Date().timeIntervalSince(started) < 15 {
            let n = buffer.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += n
            usleep(100_000)
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 12, "still open after \(elapsed) s, \(received) bytes read")
        #expect(received < 1 << 20)
        #expect(eventually { s.server.openConnections == 0 })
    }

    @Test func pulledBodiesArriveIntactInEveryFraming() throws {
        memoryHeavyTests.lock()
        defer { memoryHeavyTests.unlock() }
        let s = try RunningServer(responder: HostileResponder())
        let c = try s.client(timeout: 20)
        let size = 3_000_000
        try c.send("GET /pull?n=\(size) HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.header("Content-Length") == "\(size)")
        #expect(r.body == pattern(0..<size))
        try c.send("GET /pull-chunked?n=123457 HTTP/1.1\r\nHost: x\r\n\r\n")
        let chunked = try c.readResponse()
        #expect(chunked.header("Transfer-Encoding") == "chunked")
        #expect(chunked.body == pattern(0..<123_457))
        try c.send("HEAD /pull?n=5000 HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try c.readResponse(forHead: true)
        #expect(head.header("Content-Length") == "5000")
        try c.send("GET /pull?n=0 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().body.isEmpty)
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")  // nothing stray was left on the wire
        #expect(try c.readResponse().text == "hello")

        let old = try s.client()
        try old.send("GET /pull-chunked?n=70000 HTTP/1.0\r\n\r\n")
        let closeDelimited = try old.readResponse()
        #expect(closeDelimited.header("Transfer-Encoding") == nil)
        #expect(closeDelimited.header("Connection") == "close")
        #expect(closeDelimited.body == pattern(0..<70_000))
    }

    @Test func pullSourcesOfTheWrongLengthOrFailingCloseTheConnection() throws {
        let s = try RunningServer(responder: HostileResponder())
        let short = try s.client()
        try short.send("GET /pull-short HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(throws: ClientError.self) { try short.readResponse() }  // closed inside the body

        let long = try s.client()
        try long.send("GET /pull-long HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = try long.readResponse()
        #expect(r.body == pattern(0..<50_000))
        #expect(try long.waitForClose())  // the extra bytes were never sent

        let failing = try s.client()
        try failing.send("GET /pull-fail HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(throws: ClientError.self) { try failing.readResponse() }
    }

    /// With 2 handler threads, 8 clients that never read a large pulled body hold no thread: a
    /// GET is still answered at once. (The same with `.stream` would block both handlers.)
    @Test func slowReadersOfPulledBodiesHoldNoHandlerThread() throws {
        let s = try RunningServer(responder: HostileResponder()) {
            $0.maxConcurrentHandlers = 2
            $0.awakeHandlers = 1
        }
        var slow: [TestClient] = []
        for _ in 0..<8 {
            let c = try s.client(timeout: 10, receiveBuffer: 4096)
            try c.send("GET /pull?n=67108864 HTTP/1.1\r\nHost: x\r\n\r\n")
            slow.append(c)
        }
        usleep(200_000)  // let them fill their sockets
        let fast = try s.client(timeout: 2)
        let started = DispatchTime.now()
        try fast.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try fast.readResponse().text == "hello")
        #expect(millis(since: started) < 500)
        #expect(s.server.openConnections == 9)
    }
}
