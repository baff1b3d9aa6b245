import CSQLite
import Foundation

extension Connection {
    /// Copies the database into a new file at `path`, page by page, while others keep writing.
    ///
    /// The copy is taken inside a read transaction on this connection, so it is one consistent
    /// snapshot (in WAL mode, writers on other connections do not restart the copy, and the
    /// snapshot never shows half a transaction). It is written to `path + ".partial"` and renamed
    /// into place at the end, so `path` holds either nothing or a complete backup.
    /// Refuses to overwrite an existing file.
    package func backup(to path: String) throws(SQLiteError) {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "backup target \(path) already exists")
        }
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)

        var destination: OpaquePointer?
        let rc = sqlite3_open_v2(partial, &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard rc == SQLITE_OK, let destination else {
            let error = SQLiteError(code: rc, db: destination)
            sqlite3_close_v2(destination)
            throw error
        }
        // Our own read transaction, unless the caller already has one open.
        let ownTransaction = isAutocommit
        do {
            if ownTransaction { try execute("BEGIN DEFERRED") }
            // Start the snapshot before the first step; the backup then reads inside it.
            _ = try queryOne("SELECT count(*) FROM sqlite_schema")
            try Self.copy(from: handle, to: destination)
            if ownTransaction { try execute("COMMIT") }
        } catch {
            if ownTransaction && !isAutocommit { try? execute("ROLLBACK") }
            sqlite3_close_v2(destination)
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        let closed = sqlite3_close(destination)
        guard closed == SQLITE_OK else {
            throw SQLiteError(code: closed, message: "closing the backup failed")
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw SQLiteError(code: SQLITE_IOERR, message: "renaming backup into place failed: \(reason)")
        }
    }

    /// Pages copied per step: small enough that one step is short.
    private static let pagesPerStep: Int32 = 256

    private static func copy(from source: OpaquePointer, to destination: OpaquePointer) throws(SQLiteError) {
        guard let backup = sqlite3_backup_init(destination, "main", source, "main") else {
            throw SQLiteError(code: sqlite3_extended_errcode(destination), db: destination)
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, pagesPerStep)
            // BUSY/LOCKED would come from the destination (a new private file): wait a little.
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(10) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        let finished = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finished == SQLITE_OK else {
            let code = rc == SQLITE_DONE ? finished : rc
            throw SQLiteError(code: code, db: destination)
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` when the database is sound, otherwise the problems found.
    package func integrityCheck() throws(SQLiteError) -> [String] {
        try query("PRAGMA integrity_check").compactMap { $0.string(0) }
    }
}
