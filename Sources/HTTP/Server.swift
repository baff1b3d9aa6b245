import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The HTTP/1.1 server: a listener, a few serial I/O queues owning the connections, and a bounded
/// pool of handler threads running the `HTTPResponder`.
///
/// Life cycle: `init` → `start()` (binds, returns the port) → ... → `shutdown()` (graceful) →
/// `waitUntilStopped()` / `await stopped()` returns once every socket is closed. Then the caller
/// closes its database and exits. A server is started at most once.
package final class HTTPServer: Sendable {
    private struct State {
        var listener: Listener?
        var loops: [IOLoop] = []
        var started = false
        var stopping = false
        var signalSources: [SignalSource] = []
    }

    private let context: ServerContext
    private let state = Mutex(State())
    /// Entered by `start`, left when shutdown has closed everything.
    private let running = DispatchGroup()
    private let nextLoop = Atomic<Int>(0)
    /// Runs the shutdown bookkeeping (the grace timer, "all sockets closed"). A serial queue of
    /// its own rather than the global pool: the global queues are only as wide as the machine
    /// has cores, and threads blocked there (by the application, or by someone waiting for this
    /// very shutdown) would otherwise keep the server from ever reporting that it stopped.
    private let controlQueue = DispatchQueue(label: "http-server-control")

    package init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        context = ServerContext(configuration: configuration, responder: responder, logger: logger)
    }

    package var configuration: ServerConfiguration { context.configuration }

    /// Bytes received on every client socket so far (reads from each I/O queue in turn).
    var bytesReadSoFar: Int {
        let loops = state.withLock { $0.loops }
        return loops.reduce(0) { total, loop in total + loop.queue.sync { loop.bytesRead } }
    }

    /// Connections `address` holds, as counted for `maxConnectionsPerAddress` (0 when exempt).
    package func openConnections(from address: String) -> Int { context.connections(from: address) }

    /// Requests waiting for a handler thread (for tests).
    var queuedHandlerJobs: Int { context.pool.queuedJobs }

    /// Client sockets currently open (the gauge for metrics).
    package var openConnections: Int { context.openConnections.load(ordering: .relaxed) }

    /// The bound port (useful after configuring port 0), or nil before `start`.
    package var port: Int? { state.withLock { $0.listener?.port } }

    /// Binds and starts accepting. Returns the bound port. Throws if the address is invalid or
    /// the port is taken; a server that failed to start may be discarded.
    @discardableResult
    package func start() throws(SocketError) -> Int {
        ignoreSIGPIPE()
        let alreadyStarted = state.withLock { s -> Bool in
            defer { s.started = true }
            return s.started
        }
        if alreadyStarted { throw SocketError(call: "start (already started)", code: EALREADY) }
        let listener = try Listener(configuration: context.configuration, logger: context.logger)
        let context = self.context
        context.pool.start()
        let loops = (0..<max(1, context.configuration.ioQueueCount)).map { IOLoop(index: $0, context: context) }
        for loop in loops { loop.queue.async { loop.start() } }
        state.withLock {
            $0.listener = listener
            $0.loops = loops
        }
        running.enter()
        context.liveGroup.enter()  // the listener's own token, left after its fd is closed
        listener.start(
            onAccept: { [self] fd, address in accepted(fd, address, loops) },
            onStopped: {
                // Ordered after every adoption the accept queue dispatched, so no connection
                // can arrive at a loop after its drain.
                for loop in loops { loop.queue.async { loop.beginDrain() } }
                context.liveGroup.leave()
            })
        context.logger.info("listening on \(context.configuration.host) port \(listener.port)")
        return listener.port
    }

    private func accepted(_ fd: Int32, _ address: SocketAddress, _ loops: [IOLoop]) {
        let remote = address.hostText
        // An address at its share gets in when one of its own idle keep-alive connections can
        // make room (the oldest is closed): only connections that are all busy — reading, being
        // answered — are refused. Browsers and client pools keep idle connections open; an office
        // behind one NAT address must not be turned away for them.
        guard context.admit(address: remote) || (shedIdleConnection(of: remote, loops) && context.admit(address: remote)) else {
            reject(fd, reason: "\(AccessLog.escape(remote, limit: 64)) holds \(context.configuration.maxConnectionsPerAddress) connections")
            return
        }
        let open = context.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
        if open > context.configuration.maxConnections {
            context.openConnections.subtract(1, ordering: .relaxed)
            context.socketRejected(address: remote)
            reject(fd, reason: "\(context.configuration.maxConnections) connections open")
            return
        }
        // Small responses must not wait for Nagle's algorithm.
        try? setSocketOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1, "TCP_NODELAY")
        context.liveGroup.enter()
        let id = context.makeConnectionID()
        let index = nextLoop.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count
        let loop = loops[index]
        // Near the cap, each newcomer takes the slot of its loop's longest-idle connection.
        let shed = Double(open) >= context.configuration.idleSheddingThreshold * Double(context.configuration.maxConnections)
        loop.queue.async {
            if shed { loop.shedIdle(count: 1) }
            loop.adopt(fd: fd, id: id, remoteAddress: remote)
        }
    }

    /// Closes the longest-idle keep-alive connection of `address` on some loop; false when it has
    /// none. Runs on the accept queue, which the loops never wait for, so waiting for them is safe.
    private func shedIdleConnection(of address: String, _ loops: [IOLoop]) -> Bool {
        loops.contains { loop in loop.queue.sync { loop.shedIdle(of: address) } }
    }

    /// Over the connection cap: answer `503` and close at once, without involving a loop. Bytes
    /// the client already sent are read first, so the close is a FIN rather than a reset that
    /// could destroy the 503 before the client reads it.
    private func reject(_ fd: Int32, reason: String) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        _ = scratch.withUnsafeMutableBytes { raw in try? socketReceive(fd, raw) }
        let date = Array(DateHeaderCache.format(time(nil)).utf8)
        sendBestEffort(fd, ResponseSerializer.minimal(status: 503, date: date))
        shutdownWrite(fd)
        closeDescriptor(fd)
        context.logger.debug("connection refused: \(reason)")
    }

    /// Graceful shutdown: stop accepting, close idle connections now, let requests in flight
    /// finish (their responses carry `Connection: close`), and force-close whatever is still open
    /// after `gracePeriod` (default: the configured `shutdownGracePeriod`). Returns at once; use
    /// `waitUntilStopped()` or `stopped()` to wait. Idempotent.
    package func shutdown(gracePeriod: Duration? = nil) {
        let taken = state.withLock { s -> (Listener, [IOLoop])? in
            guard s.started, !s.stopping, let listener = s.listener else { return nil }
            s.stopping = true
            return (listener, s.loops)
        }
        guard let (listener, loops) = taken else { return }
        let context = self.context
        let running = self.running
        context.liveGroup.notify(queue: controlQueue) {
            for loop in loops { loop.queue.async { loop.stop() } }
            context.pool.stop()
            context.logger.info("server stopped")
            running.leave()
        }
        context.logger.info("shutting down: \(openConnections) connection(s) open")
        listener.stop()
        let grace = gracePeriod ?? context.configuration.shutdownGracePeriod
        controlQueue.asyncAfter(deadline: .now() + .nanoseconds(Int(grace.nanoseconds))) {
            for loop in loops { loop.queue.async { loop.forceCloseAll() } }
        }
    }

    /// Blocks the calling thread until a started server has stopped (returns at once if it was
    /// never started). Call from `main`, not from an I/O or handler thread.
    package func waitUntilStopped() {
        running.wait()
    }

    /// Suspends until the server has stopped (returns at once if it was never started).
    package func stopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            running.notify(queue: controlQueue) { continuation.resume() }
        }
    }

    /// Makes SIGTERM and SIGINT start a graceful shutdown (the default action, dying at once, is
    /// replaced). The signal sources live as long as the server.
    package func shutdownOnSignals(_ signals: [Int32] = [SIGTERM, SIGINT]) {
        var sources: [SignalSource] = []
        for number in signals {
            _ = signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                self?.context.logger.info("signal \(number) received")
                self?.shutdown()
            }
            source.activate()
            sources.append(SignalSource(source: source))
        }
        state.withLock { $0.signalSources += sources }
    }
}

/// Keeps a signal source alive.
///
/// `@unchecked Sendable`: Dispatch sources are thread-safe objects; this box is never mutated.
private struct SignalSource: @unchecked Sendable {
    let source: any DispatchSourceSignal
}
