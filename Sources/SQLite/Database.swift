import CSQLite
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The database: one writer connection and a small pool of reader connections.
///
/// Concurrency model:
/// - All writes go through the ONE writer connection, one at a time, each inside
///   `BEGIN IMMEDIATE ... COMMIT` (`write`). A thread calling `write` while another write runs
///   blocks until it is its turn. Callers are request-handler threads, never I/O queues.
/// - Reads go through a pool of read-only connections (`read`), each read inside one read
///   transaction, so it sees a consistent snapshot. WAL lets readers run beside the writer.
/// - `Connection` is not Sendable. This type is, and it never hands a connection out except as
///   the argument of the closure passed to `write`/`read`, for the duration of that call. Do not
///   let the connection escape the closure.
/// - Do not call `write` from inside a `write` body (or `read` inside `read`): the thread would
///   wait for itself. It throws a misuse error instead of deadlocking; to nest, call
///   `transaction` on the connection you were given. A `write` inside a `read` is fine (different
///   connections) and the read keeps its snapshot.
package final class Database: Sendable {
    package let path: String
    private let writer: ConnectionPool
    private let readers: ConnectionPool

    /// Opens (creating if needed) the database at `path` with one writer and `readers` readers
    /// (at least one). The writer is opened first: it switches the file to WAL before the
    /// read-only connections, which cannot, open it.
    package init(path: String, readers: Int = 4) throws(SQLiteError) {
        self.path = path
        let writer = try Connection(path: path)
        var readerConnections: [Connection] = []
        for _ in 0..<max(1, readers) {
            readerConnections.append(try Connection(path: path, readOnly: true))
        }
        self.writer = ConnectionPool([writer])
        self.readers = ConnectionPool(readerConnections)
    }

    /// How durable a write's COMMIT is.
    package enum Durability: Sendable {
        /// `synchronous=FULL`: the COMMIT is on disk when it returns (every write that precedes
        /// an answer to a user).
        case full
        /// `synchronous=NORMAL` for this one transaction: in WAL mode the COMMIT is not synced;
        /// it becomes durable with the next `.full` commit, which syncs the log up to and including
        /// it. For intermediate work that nothing has been promised about yet (the pieces of an
        /// upload whose receipt comes later), so it holds the write lock for less time.
        case deferred
    }

    /// Runs `body` on the writer connection inside `transaction()`, after any write already
    /// running finished. The transaction commits when `body` returns and rolls back when it throws.
    package func write<T>(durability: Durability = .full, _ body: (Connection) throws -> T) throws -> T {
        try writer.withConnection { connection in
            guard durability == .deferred else { return try connection.transaction(body) }
            try connection.execute("PRAGMA synchronous=NORMAL")
            defer { try? connection.execute("PRAGMA synchronous=FULL") }
            return try connection.transaction(body)
        }
    }

    /// Runs `body` on a reader connection inside `readTransaction()`: one consistent snapshot.
    /// Blocks while all readers are in use. The connection is read-only: writes fail.
    package func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try readers.withConnection { connection in
            try connection.readTransaction(body)
        }
    }

    /// An online backup into a new file at `path` (see `Connection.backup(to:)`). It copies from a
    /// reader connection, so writes go on meanwhile; the backup holds the state of one moment.
    package func backup(to path: String) throws {
        try readers.withConnection { connection in
            try connection.backup(to: path)
        }
    }

    /// `PRAGMA integrity_check` on a reader: `["ok"]` when the database is sound.
    package func integrityCheck() throws -> [String] {
        try readers.withConnection { connection in
            try connection.integrityCheck()
        }
    }
}

/// A fixed set of connections, lent to one thread at a time.
///
/// A counting semaphore holds the number of idle connections (so a borrower blocks while none is
/// idle) and a mutex guards the list of idle ones.
private final class ConnectionPool: Sendable {
    private let idle: Mutex<[Lease]>
    private let available: DispatchSemaphore
    /// Threads holding a connection of this pool now, to refuse re-entry (which would deadlock).
    private let holders = Mutex<Set<UInt>>([])

    init(_ connections: [Connection]) {
        available = DispatchSemaphore(value: connections.count)
        idle = Mutex(connections.map(Lease.init))
    }

    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let thread = Self.currentThread
        guard holders.withLock({ $0.insert(thread).inserted }) else {
            throw SQLiteError(code: SQLITE_MISUSE,
                              message: "nested Database.write/read on one thread would deadlock; use the connection you were given")
        }
        defer { holders.withLock { _ = $0.remove(thread) } }
        available.wait()
        let lease = idle.withLock { $0.popLast() }
        guard let lease else {
            // Unreachable while the semaphore count equals the number of idle leases.
            available.signal()
            throw SQLiteError(code: SQLITE_MISUSE, message: "connection pool empty")
        }
        defer {
            lease.connection.abandonTransaction()
            idle.withLock { $0.append(lease) }
            available.signal()
        }
        return try body(lease.connection)
    }

    private static var currentThread: UInt {
        #if canImport(Glibc)
        UInt(pthread_self())
        #else
        UInt(bitPattern: pthread_self())
        #endif
    }
}

/// A pooled connection, so the pool can keep it in a `Mutex`.
///
/// `@unchecked Sendable` because `Connection` is not thread-safe; this is sound because a lease
/// lives only inside its (private) `ConnectionPool`, and is used only by the one thread that took it
/// out of the pool's list under the mutex, until that thread puts it back under the mutex. No two
/// threads ever hold the same lease, and the mutex orders the hand-over between them.
private final class Lease: @unchecked Sendable {
    let connection: Connection
    init(_ connection: Connection) { self.connection = connection }
}

extension Connection {
    /// Rolls back whatever transaction a borrower left open, so the next borrower starts clean
    /// (and its `BEGIN` cannot turn into a nested savepoint of someone else's transaction).
    func abandonTransaction() {
        if !isAutocommit { try? execute("ROLLBACK") }
        transactionDepth = 0
    }
}
