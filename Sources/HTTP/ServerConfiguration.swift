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

    /// The slowest a request body may arrive, in bytes per second, once `requestBodyRateGracePeriod`
    /// has passed since it began: the average since the start must stay above it, else 408 and
    /// close (like Kestrel's `MinRequestBodyDataRate`). A body that sends one byte every 25 s is cut
    /// after the grace, not after hours. 0 switches it off (`bodyIdleTimeout` still applies).
    package var minRequestBodyDataRate: Int = 240
    package var requestBodyRateGracePeriod: Duration = .seconds(5)
    /// The slowest a client may take a response, in bytes per second, once
    /// `responseRateGracePeriod` has passed since it began (time spent waiting for the
    /// application's next piece does not count): else the connection is closed (like Kestrel's
    /// `MinResponseDataRate`). Bytes the kernel holds unsent do not count as taken. 0: off
    /// (`writeStallTimeout` still applies).
    package var minResponseDataRate: Int = 240
    package var responseRateGracePeriod: Duration = .seconds(5)

    /// Open connections one client address may hold (like nginx's `limit_conn`); one more gets a
    /// minimal 503 and is closed at once, so one address cannot take every slot of
    /// `maxConnections`. 0 switches the limit off.
    package var maxConnectionsPerAddress: Int = 128
    /// Addresses the per-address limit does not apply to: reverse proxies that carry many clients'
    /// connections. Loopback is exempt by default, because the documented deployment puts the
    /// proxy on the same host (`proxy_pass http://127.0.0.1:8080`); set this to the proxy's
    /// address (or to `[]`) when it is elsewhere. Compared as printed (`127.0.0.1`, `::1`).
    package var connectionLimitExemptAddresses: Set<String> = ["127.0.0.1", "::1", "::ffff:127.0.0.1"]
    /// When this fraction of `maxConnections` is open, every newly accepted connection closes
    /// the longest-idle keep-alive connection of its I/O queue (if any), so new clients get in
    /// rather than a 503 while idle connections hold the slots.
    package var idleSheddingThreshold: Double = 0.9

    /// Where request bodies larger than their policy's `memoryLimit` are spooled: unlinked
    /// temporary files (`O_TMPFILE`, or `mkstemp` then `unlink`), so nothing is left behind.
    package var spoolDirectory: String = ServerConfiguration.defaultSpoolDirectory

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

    /// `$TMPDIR` when set, else `/tmp`.
    package static var defaultSpoolDirectory: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
        return "/tmp"
    }

    /// The connection rules as the state machine takes them.
    var connectionRules: ConnectionStateMachine.Rules {
        ConnectionStateMachine.Rules(
            headerRead: headerReadTimeout.nanoseconds, bodyIdle: bodyIdleTimeout.nanoseconds,
            keepAliveIdle: keepAliveIdleTimeout.nanoseconds, writeStall: writeStallTimeout.nanoseconds,
            linger: lingerTimeout.nanoseconds,
            minBodyRate: max(0, minRequestBodyDataRate), bodyRateGrace: requestBodyRateGracePeriod.nanoseconds,
            minResponseRate: max(0, minResponseDataRate), responseRateGrace: responseRateGracePeriod.nanoseconds)
    }
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
    /// Whole nanoseconds, clamped at zero, for `DispatchTime` arithmetic (and the metrics).
    package var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
