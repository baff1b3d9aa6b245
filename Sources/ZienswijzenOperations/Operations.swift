import Foundation
import Logging
import SQLite
import Synchronization
import ZienswijzenDomain
import ZienswijzenStore

/// Why the database could not be opened, in one line (a refused migration, an unreadable file).
package struct OpenFailure: Error, CustomStringConvertible {
    package var description: String
}

/// A monotonically increasing count.
package final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    package init() {}
    package func increment() { value.add(1, ordering: .relaxed) }
    package var current: Int { value.load(ordering: .relaxed) }
}

/// The use-case layer: one function for each thing a person can do, and the reads the edges show.
///
/// Each write checks who may do it, validates what the edges could not (does the consultation
/// exist, is it open, is there something to withdraw), and then runs its store writes and its
/// typed audit row in ONE transaction; the caller gets the result or a typed `Refusal`. API, web
/// pages and command line call these functions and translate the outcome into HTTP, HTML or text;
/// none of them touches the store.
///
/// Errors: a `Refusal` is the user's to fix (or to be told); anything else (a SQLite error, a
/// `BadRow`) is ours, and the edges log it and answer 500.
package final class Operations: Sendable {
    let db: Database
    package let clock: any AppClock
    package let logger: Logger
    package let throttle: LoginThrottle
    let lastUse = LastUseTracker()
    /// Failed authentications waiting to be audited in aggregate.
    let failedAuthentications = FailedAuthentications()
    /// Failed authentications since start (for `/metrics`).
    package let authenticationFailures = Counter()

    package init(db: Database, clock: any AppClock = SystemClock(), logger: Logger = Logger(label: "zienswijzen"),
                 throttle: LoginThrottle = LoginThrottle()) {
        self.db = db
        self.clock = clock
        self.logger = logger
        self.throttle = throttle
    }

    /// Opens (creating when missing) and migrates the database at `path`; returns the names of the
    /// migrations it applied. Fails with a one-line `OpenFailure`.
    /// With `backgroundCheckpoints` the caller runs `checkpoint()` every second or so (the server's
    /// maintenance does), and no COMMIT ever checkpoints.
    package static func open(path: String, readers: Int = 4, clock: any AppClock = SystemClock(),
                             logger: Logger = Logger(label: "zienswijzen"),
                             backgroundCheckpoints: Bool = false) throws(OpenFailure) -> (Operations, applied: [String]) {
        do {
            let (db, applied) = try Schema.open(path: path, readers: readers, backgroundCheckpoints: backgroundCheckpoints)
            return (Operations(db: db, clock: clock, logger: logger), applied)
        } catch let error as MigrationError {
            throw OpenFailure(description: "Migrations refused: \(error)")
        } catch {
            throw OpenFailure(description: "Cannot open database \(path): \(error)")
        }
    }

    /// Runs `body` in one write transaction (BEGIN IMMEDIATE ... COMMIT; rolled back when it throws).
    func write<T>(durability: Database.Durability = .full, priority: Database.Priority = .urgent,
                  _ body: (Connection) throws -> T) throws -> T {
        try db.write(durability: durability, priority: priority, body)
    }

    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        try db.read(body)
    }

    /// The audit row of an operation, in the operation's transaction.
    func audit(_ db: Connection, _ record: AuditRecord) throws {
        try AuditStore.record(db, record)
    }

    /// A consistent online copy of the database at `path` (SQLite's backup API), checked with
    /// `integrity_check`.
    package func backup(to path: String) throws -> [String] {
        try db.backup(to: path)
        return try Database(path: path, readers: 1).integrityCheck()
    }

    /// Copies the write-ahead log into the database file beside the writer (see
    /// `Database.checkpoint`); the server's maintenance runs it every few seconds.
    package func checkpoint() {
        do {
            try db.checkpoint()
        } catch {
            logger.warning("checkpoint failed", metadata: ["error": "\(error)"])
        }
    }

    /// True when the database answers (for `/readyz`).
    package func isReady() -> Bool {
        do {
            return try read { try $0.queryOne("SELECT count(*) AS n FROM gemeenten") } != nil
        } catch {
            logger.error("readiness check failed", metadata: ["error": "\(error)"])
            return false
        }
    }
}
