import Foundation
import Testing
@testable import HTTP

/// Graceful shutdown: idle connections close at once, requests in flight finish with
/// `Connection: close`, stragglers are force-closed after the grace period, and the server
/// reports stopped.
@Suite struct ServerShutdownTests {
    @Test func startThenShutdownReturns() throws {
        let s = try RunningServer()
        #expect(s.stop(grace: .seconds(1), timeout: 5))
        #expect(throws: ClientError.self) { _ = try TestClient(port: s.port) }
    }

    @Test func inFlightRequestFinishesAndIdleConnectionsClose() throws {
        let s = try RunningServer()
        let idle = try s.client()
        try idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        let busy = try s.client()
        try busy.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { s.responder.gate.waiters == 1 })

        s.server.shutdown(gracePeriod: .seconds(10))
        #expect(try idle.waitForClose())
        #expect(!s.waitStopped(timeout: 0.2))  // still serving the request in flight

        s.responder.gate.release()
        let r = try busy.readResponse()
        #expect(r.text == "waited")
        #expect(r.header("Connection") == "close")
        #expect(try busy.waitForClose())
        #expect(s.waitStopped(timeout: 5))
        #expect(s.server.openConnections == 0)
    }

    @Test func stragglersAreForceClosedAfterTheGracePeriod() throws {
        let s = try RunningServer()
        let busy = try s.client()
        try busy.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { s.responder.gate.waiters == 1 })
        s.server.shutdown(gracePeriod: .milliseconds(300))
        #expect(s.waitStopped(timeout: 5))
        #expect(try busy.waitForClose())
        s.responder.gate.release()  // the handler thread finishes later; its answer is dropped
    }

    @Test func asyncWaitReturnsAfterShutdown() async throws {
        let s = try RunningServer()
        s.server.shutdown(gracePeriod: .seconds(1))
        await s.server.stopped()
        #expect(s.server.openConnections == 0)
    }
}
