import CSQLite
import Dispatch
import Foundation
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
    private let checkpointer: ConnectionPool

    /// Opens (creating if needed) the database at `path` with one writer and `readers` readers
    /// (at least one). The writer is opened first: it switches the file to WAL before the
    /// read-only connections, which cannot, open it.
    /// - Parameter backgroundCheckpoints: the caller promises to call `checkpoint()` regularly
    ///   (every second or so); the writer then never checkpoints in a COMMIT.
    package init(path: String, readers: Int = 4, backgroundCheckpoints: Bool = false) throws(SQLiteError) {
        self.path = path
        let writer = try Connection(path: path)
        var readerConnections: [Connection] = []
        for _ in 0..<max(1, readers) {
            readerConnections.append(try Connection(path: path, readOnly: true))
        }
        // Checkpoints are `checkpoint()`'s job when `backgroundCheckpoints` (the server runs it every
        // second, beside the writer): a COMMIT that answers a user must not copy megabytes of
        // upload pieces into the database file. Otherwise SQLite's default (every 1,000 pages).
        if backgroundCheckpoints { try writer.execute("PRAGMA wal_autocheckpoint=0") }
        self.writer = ConnectionPool([writer])
        self.readers = ConnectionPool(readerConnections)
        self.checkpointer = ConnectionPool([try Connection(path: path)])
    }

    /// Copies what the write-ahead log holds into the database file without waiting for readers
    /// or the writer (`PRAGMA wal_checkpoint(PASSIVE)`), on a connection of its own, so a COMMIT
    /// that answers a user never pays for a large checkpoint. Returns the log's frames and how many
    /// were copied.
    @discardableResult
    package func checkpoint() throws -> (logFrames: Int, checkpointed: Int) {
        try checkpointer.withConnection { connection in
            let row = try connection.queryOne("PRAGMA wal_checkpoint(PASSIVE)")
            return (Int(row?.int(1) ?? 0), Int(row?.int(2) ?? 0))
        }
    }

    /// How durable a write's COMMIT is.
    package enum Durability: Sendable {
        /// `synchronous=FULL`: the COMMIT is on disk when it returns (every write that precedes
        /// an answer to a user).
        case full
        /// `synchronous=NORMAL` for this one transaction: in WAL mode the COMMIT is not synced;
        /// it becomes durable with the next `.full` commit, which syncs the log up to and including
        /// it. For intermediate work that nothing has been promised about yet (the pieces of an
        /// upload whose receipt comes later), so it holds the write lock for less time; the next
        /// `.full` commit pays for syncing it.
        case deferred
    }

    /// Who waits for a write: a person (`urgent`, the default), or nobody in particular
    /// (`background`: the pieces of an upload, housekeeping), which waits its turn behind every
    /// urgent write queued for the writer.
    package enum Priority: Sendable {
        case urgent, background
    }

    /// Runs `body` on the writer connection inside `transaction()`, after any write already
    /// running finished. The transaction commits when `body` returns and rolls back when it throws.
    package func write<T>(durability: Durability = .full, priority: Priority = .urgent,
                          _ body: (Connection) throws -> T) throws -> T {
        try writer.withConnection(priority == .background ? .background : .urgent) { connection in
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

/// A fixed set of connections, lent to one thread at a time, urgent borrowers first.
///
/// A borrower waits on a condition while no connection is idle. A `background` borrower also
/// waits while an `urgent` one does, so on the one writer connection a receipt's transaction is
/// served before the next piece of a large upload, however many uploads queue for it.
///
/// `@unchecked Sendable`: `idle` and `urgentWaiting` are touched only with `condition` locked.
private final class ConnectionPool: @unchecked Sendable {
    enum Priority { case urgent, background }

    private let condition = NSCondition()
    private var idle: [Lease]
    private var urgentWaiting = 0
    /// Threads holding a connection of this pool now, to refuse re-entry (which would deadlock).
    private let holders = Mutex<Set<UInt>>([])

    init(_ connections: [Connection]) {
        idle = connections.map(Lease.init)
    }

    func withConnection<T>(_ priority: Priority = .urgent, _ body: (Connection) throws -> T) throws -> T {
        let thread = Self.currentThread
        guard holders.withLock({ $0.insert(thread).inserted }) else {
            throw SQLiteError(code: SQLITE_MISUSE,
                              message: "nested Database.write/read on one thread would deadlock; use the connection you were given")
        }
        defer { holders.withLock { _ = $0.remove(thread) } }
        condition.lock()
        if priority == .urgent { urgentWaiting += 1 }
        while idle.isEmpty || (priority == .background && urgentWaiting > 0) { condition.wait() }
        if priority == .urgent { urgentWaiting -= 1 }
        let lease = idle.removeLast()
        condition.unlock()
        defer {
            lease.connection.abandonTransaction()
            condition.lock()
            idle.append(lease)
            condition.broadcast()
            condition.unlock()
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
