#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Everything the server can be tuned with. Defaults suit a small public service behind no proxy.
///
/// Timeouts are `Duration`s; each is a defence against a client that holds a connection without
/// making progress (slowloris and friends, RFC 9112 §9.5).
package struct ServerConfiguration: Sendable {
    /// Numeric host to bind: `0.0.0.0`, `127.0.0.1`, `::`, `::1` (or `localhost`).
    package var host: String = "127.0.0.1"
    /// Port to bind; 0 lets the kernel pick one (`HTTPServer.start()` returns it).
    package var port: Int = 8080
    /// For an IPv6 host: accept only IPv6 (true) or IPv4-mapped too (false). Set explicitly either
    /// way, as the system default differs between machines.
    package var ipv6Only: Bool = true
    /// Open connections beyond this get a minimal 503 and are closed at once.
    package var maxConnections: Int = 10_000
    /// The most handlers running at once; further complete requests wait in a queue. While
    /// handlers compute, only `awakeHandlers` run; more are added when they block (see `HandlerPool`).
    package var maxConcurrentHandlers: Int = ServerConfiguration.defaultHandlerCount
    /// Handlers kept running at once while none of them blocks (at most `maxConcurrentHandlers`).
    /// Half the cores: the I/O queues need the other half (on 2 cores, 1 gave ~10 % more req/s
    /// and a shorter p99 than 2).
    package var awakeHandlers: Int = max(1, System.coreCount / 2)
    /// Serial I/O queues the connections are spread over.
    package var ioQueueCount: Int = max(1, System.coreCount)

    /// From the first byte of a request until its header section is complete. Not reset by each
    /// byte, so trickling bytes cannot keep a connection.
    package var headerReadTimeout: Duration = .seconds(10)
    /// Longest pause between body bytes.
    package var bodyIdleTimeout: Duration = .seconds(30)
    /// How long an idle persistent connection is kept between requests.
    package var keepAliveIdleTimeout: Duration = .seconds(30)
    /// Longest time a pending response may make no progress (client not reading).
    package var writeStallTimeout: Duration = .seconds(30)
    /// After an error response: how long to keep reading (and discarding) the client's bytes
    /// after `shutdown(SHUT_WR)`, so the client sees the response rather than a reset.
    package var lingerTimeout: Duration = .seconds(2)
    /// How many bytes to discard while lingering before giving up and closing.
    package var lingerByteLimit: Int = 256 * 1024
    /// Graceful shutdown: time in-flight requests get before connections are force-closed.
    package var shutdownGracePeriod: Duration = .seconds(10)

    /// Request line / header / trailer limits, enforced by the parser.
    package var parserLimits: ParserLimits = ParserLimits()
    /// Bytes a `.stream` producer may have queued before its `write` blocks (backpressure).
    package var streamBufferLimit: Int = 256 * 1024

    /// Called once per completed request (after the response was sent or the connection failed),
    /// off the I/O path's critical section, e.g. to count metrics. Must be quick and thread-safe.
    package var onRequestCompleted: (@Sendable (RequestLogRecord) -> Void)?
    /// Whether to write the access log line (info level) through the server's logger.
    package var accessLogEnabled: Bool = true

    package init() {}

    package static var defaultHandlerCount: Int { max(16, 2 * System.coreCount) }
}

/// Facts about the machine.
package enum System {
    /// Online processors, at least 1.
    package static var coreCount: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }
}

extension Duration {
    /// Whole nanoseconds, clamped at zero, for `DispatchTime` arithmetic.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
