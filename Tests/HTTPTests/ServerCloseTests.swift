import Foundation
import Testing
@testable import HTTP

/// How a connection ends after its last response.
@Suite struct ServerCloseTests {
    /// The client said `Connection: close` and sent nothing more: the server closes its socket at
    /// once (no lingering for input that cannot come), while the client still holds its end.
    @Test func aClientThatSaidCloseIsNotWaitedFor() throws {
        // A linger as long as the test may wait: a server that lingered would still hold the socket.
        let s = try RunningServer { $0.lingerTimeout = .seconds(60) }
        defer { s.stop() }
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(try c.readResponse().text == "hello")
        #expect(try c.waitForClose())
        #expect(eventually { s.server.openConnections == 0 })
    }

    /// Bytes after a `Connection: close` request are input the server has not read: it lingers
    /// (half-closed, discarding) rather than resetting, so the response is not destroyed; the
    /// socket closes when the client closes its end.
    @Test func unreadInputAfterCloseStillLingers() throws {
        let s = try RunningServer { $0.lingerTimeout = .seconds(60) }
        defer { s.stop() }
        let c = try s.client()
        try c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "hello")
        #expect(try c.waitForClose())  // the server's FIN (shutdown), not a reset
        #expect(s.server.openConnections == 1)
        _ = shutdown(c.fd, Int32(SHUT_WR))  // the client's FIN ends the linger
        #expect(eventually { s.server.openConnections == 0 })
    }
}
