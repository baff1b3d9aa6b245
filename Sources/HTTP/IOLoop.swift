import Dispatch
import Logging
import Synchronization

/// What every connection of a server shares: settings, the application, the handler pool, and
/// the counters. Immutable apart from the atomics, hence plainly `Sendable`.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let responder: any HTTPResponder
    let logger: Logger
    let pool: HandlerPool
    /// The connection rules, converted once.
    let rules: ConnectionStateMachine.Rules
    /// Open client sockets (accepted and not yet closed), for the cap and the gauge.
    let openConnections = Atomic<Int>(0)
    /// Open connections per client address (exempt addresses are not counted), for
    /// `maxConnectionsPerAddress`.
    private let perAddress = Mutex<[String: Int]>([:])
    /// Entered for the listener and for every accepted socket, left when its fd is closed;
    /// graceful shutdown waits on it.
    let liveGroup = DispatchGroup()
    private let nextID = Atomic<UInt64>(1)

    init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.pool = HandlerPool(threads: configuration.maxConcurrentHandlers, awakeTarget: configuration.awakeHandlers)
        self.rules = configuration.connectionRules
    }

    /// Counts a new connection from `address`; false (and nothing counted) when that address
    /// already holds `maxConnectionsPerAddress`.
    func admit(address: String) -> Bool {
        let limit = configuration.maxConnectionsPerAddress
        guard limit > 0, !configuration.connectionLimitExemptAddresses.contains(address) else { return true }
        return perAddress.withLock { counts in
            let open = counts[address, default: 0]
            if open >= limit { return false }
            counts[address] = open + 1
            return true
        }
    }

    /// Undoes `admit`: for a socket refused by the global cap before it was adopted, and (through
    /// `releaseAddress`) for one on its way out.
    func socketRejected(address: String) {
        guard configuration.maxConnectionsPerAddress > 0, !configuration.connectionLimitExemptAddresses.contains(address) else { return }
        perAddress.withLock { counts in
            let open = counts[address, default: 0] - 1
            counts[address] = open > 0 ? open : nil
        }
    }

    /// Connections `address` holds now (for tests and diagnostics).
    func connections(from address: String) -> Int {
        perAddress.withLock { $0[address, default: 0] }
    }

    func makeConnectionID() -> UInt64 {
        nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// Gives back `address`'s slot for one connection; called once per accepted socket, when it
    /// starts lingering or when it is closed, whichever comes first.
    func releaseAddress(_ address: String) {
        socketRejected(address: address)
    }

    /// Called exactly once per accepted socket, right after its fd was closed.
    func socketClosed() {
        openConnections.subtract(1, ordering: .relaxed)
        liveGroup.leave()
    }

    /// Emits the access-log line and the metrics hook for one finished request.
    func record(_ record: RequestLogRecord) {
        if configuration.accessLogEnabled && logger.logLevel <= .info {
            logger.info("request", metadata: AccessLog.metadata(record))
        }
        configuration.onRequestCompleted?(record)
    }
}

/// One serial I/O queue and the connections it owns.
///
/// Everything mutable here (the connection table, the date cache, the read buffer, the draining
/// flag) is touched only on `queue`; that is the single owner. One repeating timer per loop
/// sweeps its connections for expired deadlines, so thousands of slow clients cost one timer,
/// not thousands.
///
/// `@unchecked Sendable`: the mutable state is confined to `queue`, as described above; other
/// threads only enqueue work onto it.
final class IOLoop: @unchecked Sendable {
    let queue: DispatchQueue
    let context: ServerContext
    /// Connections by id (never by fd: the kernel reuses fd numbers as soon as one is closed).
    private(set) var connections: [UInt64: Connection] = [:]
    private var dateCache = DateHeaderCache()
    /// Shared receive buffer: a read is processed to the end before the next one starts.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Set when graceful shutdown began: responses carry `Connection: close`, idle ones close.
    private(set) var draining = false
    private var sweepTimer: DispatchSourceTimer?
    /// Bytes received on this loop's sockets (for tests: how much a refused upload got to send).
    var bytesRead = 0
    /// Connections in the order they became idle, as (id, epoch): an entry is current while that
    /// connection is still idle with that epoch; stale entries are skipped and compacted away.
    private var idleOrder: [(id: UInt64, epoch: UInt64)] = []
    private var idleOrderHead = 0

    /// Marks the I/O queues, so code (and tests) can tell whether it runs on one.
    private static let queueKey = DispatchSpecificKey<Int>()
    /// True on an I/O queue: where `decide`, `respond` and pull sources must never run.
    static var isOnIOQueue: Bool { DispatchQueue.getSpecific(key: queueKey) != nil }

    init(index: Int, context: ServerContext) {
        self.queue = DispatchQueue(label: "http-io-\(index)")
        queue.setSpecific(key: Self.queueKey, value: index)
        self.context = context
        self.readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// The `Date` value for a response being written now.
    func date() -> [UInt8] { dateCache.current() }

    /// Starts the sweep timer. Its period is a quarter of the shortest timeout (between 10 ms and
    /// 500 ms), so a deadline is noticed at most that late.
    func start() {
        let c = context.configuration
        var timeouts = [c.headerReadTimeout, c.bodyIdleTimeout, c.keepAliveIdleTimeout,
                        c.writeStallTimeout, c.lingerTimeout]
        if c.minRequestBodyDataRate > 0 { timeouts.append(c.requestBodyRateGracePeriod) }
        if c.minResponseDataRate > 0 { timeouts.append(c.responseRateGracePeriod) }
        let shortest = timeouts.min() ?? .seconds(1)
        let period = min(max(shortest.nanoseconds / 4, 10_000_000), 500_000_000)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .nanoseconds(Int(period)),
                       repeating: .nanoseconds(Int(period)), leeway: .nanoseconds(Int(period / 10)))
        timer.setEventHandler { [weak self] in self?.sweep() }
        timer.activate()
        sweepTimer = timer
    }

    func stop() {
        sweepTimer?.cancel()
        sweepTimer = nil
    }

    /// Takes ownership of an accepted, non-blocking socket.
    func adopt(fd: Int32, id: UInt64, remoteAddress: String) {
        let connection = Connection(id: id, fd: fd, remoteAddress: remoteAddress, loop: self)
        connections[id] = connection
        connection.start()
        if draining { connection.drain() }
    }

    /// Forgets a connection; called once from its close path.
    func remove(_ id: UInt64) {
        connections[id] = nil
    }

    /// A connection became idle (new, or kept alive after a response): it joins the end of the
    /// idle order.
    func enteredIdle(_ connection: Connection) {
        connection.idleEpoch &+= 1
        idleOrder.append((connection.id, connection.idleEpoch))
        // Entries of connections that left idle pile up; drop them once they are most of the list.
        if idleOrder.count - idleOrderHead > 64 && idleOrder.count - idleOrderHead > 2 * connections.count {
            idleOrder = idleOrder[idleOrderHead...].filter { isCurrent($0) }
            idleOrderHead = 0
        }
    }

    private func isCurrent(_ entry: (id: UInt64, epoch: UInt64)) -> Bool {
        guard let connection = connections[entry.id] else { return false }
        return connection.idleEpoch == entry.epoch && connection.machine.phase == .idle
    }

    /// Near the connection cap: closes up to `count` connections that have been idle longest.
    func shedIdle(count: Int) {
        var shed = 0
        while shed < count, idleOrderHead < idleOrder.count {
            let entry = idleOrder[idleOrderHead]
            idleOrderHead += 1
            guard isCurrent(entry), let connection = connections[entry.id] else { continue }
            connection.closeNow()
            shed += 1
        }
        if idleOrderHead > 1024 && idleOrderHead * 2 > idleOrder.count {
            idleOrder.removeFirst(idleOrderHead)
            idleOrderHead = 0
        }
        if shed > 0 { context.logger.debug("shed \(shed) idle connection(s) near the connection cap") }
    }

    /// Closes the keep-alive connection of `address` that has been idle longest, giving its slot
    /// in the address's share back at once; false when the address has none here. Only a
    /// connection that has been answered at least once counts (its idle epoch is past the first,
    /// which every new connection starts in): one that never sent a request may be a client
    /// about to send its first.
    func shedIdle(of address: String) -> Bool {
        for index in idleOrderHead..<idleOrder.count {
            let entry = idleOrder[index]
            guard entry.epoch > 1, isCurrent(entry), let connection = connections[entry.id],
                  connection.remoteAddress == address else { continue }
            connection.releaseAddressSlot()
            connection.closeNow()
            context.logger.debug("shed an idle connection of an address at its share")
            return true
        }
        return false
    }

    /// Graceful shutdown, step one: idle connections close now; busy ones close after their
    /// current response.
    func beginDrain() {
        draining = true
        for connection in Array(connections.values) { connection.drain() }
    }

    /// Graceful shutdown, last step: the grace period is over.
    func forceCloseAll() {
        for connection in Array(connections.values) { connection.closeNow() }
    }

    private func sweep() {
        let now = DispatchTime.now().uptimeNanoseconds
        var expired: [Connection] = []
        for connection in connections.values where connection.machine.deadline <= now {
            expired.append(connection)
        }
        for connection in expired { connection.deadlinePassed(now: now) }
    }
}
