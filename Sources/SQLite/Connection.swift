import CSQLite

/// One SQLite connection.
///
/// Not Sendable, on purpose: a connection is used by one thread at a time. Code gets a connection
/// only inside the closures `Database.write` and `Database.read` hand it to (or by opening its own,
/// e.g. in tests and tools).
///
/// Every connection is opened the same way: extended result codes, a 5 s busy timeout (SQLite's
/// own sleeping wait, no busy handler of ours), WAL journal mode (checked, not assumed),
/// `foreign_keys=ON` and `synchronous=FULL` (a COMMIT that returned is on disk).
package final class Connection {
    let handle: OpaquePointer
    package let path: String
    package let readOnly: Bool
    /// Prepared statements keyed by their SQL. Bounded: dynamic SQL must not grow it forever.
    private var statementCache: [String: Statement] = [:]
    private static let statementCacheLimit = 128
    /// How deep `transaction` calls are nested; 0 means none of ours is open.
    var transactionDepth = 0

    /// How long a statement waits for a lock held by another connection before failing with
    /// `.busy`.
    package static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Opens (and, unless `readOnly`, creates) the database file at `path`.
    package init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError(code: rc, db: db, sql: nil)
            sqlite3_close_v2(db)
            throw error
        }
        self.handle = db
        self.path = path
        self.readOnly = readOnly
        // From here on, `deinit` closes the handle if a setting below fails.
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Self.busyTimeoutMilliseconds)
        let mode = try queryOne("PRAGMA journal_mode=WAL")?.string(0)
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(code: SQLITE_ERROR,
                              message: "could not switch \(path) to WAL mode (journal_mode is \(mode ?? "unknown"))")
        }
        try execute("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;")
    }

    deinit {
        statementCache.removeAll()
        // close_v2: if a caller still holds a Statement, the handle closes when that one finalizes.
        sqlite3_close_v2(handle)
    }

    // MARK: Running SQL

    /// Runs one or more `;`-separated statements without bindings (schema, pragmas, migrations).
    /// A failure names the statement that failed, and stops there.
    package func execute(_ sql: String) throws(SQLiteError) {
        var failure: SQLiteError?
        sql.withCString { start in
            var next: UnsafePointer<CChar>? = start
            while let current = next, current.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                var rc = sqlite3_prepare_v2(handle, current, -1, &statement, &tail)
                guard rc == SQLITE_OK else {
                    // The tail then points at the error, not past the statement: report the rest.
                    failure = SQLiteError(code: rc, db: handle, sql: Self.text(from: current, to: nil))
                    return
                }
                next = tail
                guard let statement else { continue }  // only whitespace or a comment
                repeat { rc = sqlite3_step(statement) } while rc == SQLITE_ROW
                if rc != SQLITE_DONE {
                    failure = SQLiteError(code: rc, db: handle, sql: Self.text(from: current, to: tail))
                }
                sqlite3_finalize(statement)
                if failure != nil { return }
            }
        }
        if let failure { throw failure }
    }

    private static func text(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>?) -> String {
        guard let end, end > start else { return String(cString: start).trimmingWhitespace() }
        let bytes = UnsafeRawBufferPointer(start: start, count: end - start)
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
    }

    /// Runs one statement with positional (`?`) bindings, stepping it to the end.
    package func run(_ sql: String, _ bindings: [any SQLBindable] = []) throws(SQLiteError) {
        let statement = try prepare(sql)
        defer { statement.resetAndClear() }
        try statement.bind(bindings)
        while try statement.step() {}
    }

    /// Runs one statement with named (`:name`, `@name`, `$name`) bindings.
    package func run(_ sql: String, named bindings: [String: any SQLBindable]) throws(SQLiteError) {
        let statement = try prepare(sql)
        defer { statement.resetAndClear() }
        try statement.bind(named: bindings)
        while try statement.step() {}
    }

    package func query(_ sql: String, _ bindings: [any SQLBindable] = []) throws(SQLiteError) -> [Row] {
        let statement = try prepare(sql)
        defer { statement.resetAndClear() }
        try statement.bind(bindings)
        return try Self.collect(statement)
    }

    package func query(_ sql: String, named bindings: [String: any SQLBindable]) throws(SQLiteError) -> [Row] {
        let statement = try prepare(sql)
        defer { statement.resetAndClear() }
        try statement.bind(named: bindings)
        return try Self.collect(statement)
    }

    /// The first row, or nil. The statement is not stepped further.
    package func queryOne(_ sql: String, _ bindings: [any SQLBindable] = []) throws(SQLiteError) -> Row? {
        let statement = try prepare(sql)
        defer { statement.resetAndClear() }
        try statement.bind(bindings)
        return try statement.step() ? statement.row() : nil
    }

    package func queryOne(_ sql: String, named bindings: [String: any SQLBindable]) throws(SQLiteError) -> Row? {
        let statement = try prepare(sql)
        defer { statement.resetAndClear() }
        try statement.bind(named: bindings)
        return try statement.step() ? statement.row() : nil
    }

    private static func collect(_ statement: Statement) throws(SQLiteError) -> [Row] {
        var rows: [Row] = []
        while try statement.step() {
            rows.append(statement.row())
        }
        return rows
    }

    /// A prepared statement for exactly one SQL statement, from a cache keyed by the SQL text.
    /// If the cached statement is still in use (stepped, not reset), a fresh one is prepared, so
    /// nested use of the same SQL never clobbers a running statement.
    package func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statementCache[sql], !cached.isBusy {
            return cached
        }
        let statement = try prepareUncached(sql)
        if statementCache[sql] == nil {
            if statementCache.count >= Self.statementCacheLimit { statementCache.removeAll() }
            statementCache[sql] = statement
        }
        return statement
    }

    private func prepareUncached(_ sql: String) throws(SQLiteError) -> Statement {
        var failure: SQLiteError?
        let handle: OpaquePointer? = sql.withCString { start in
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(self.handle, start, -1, &statement, &tail)
            guard rc == SQLITE_OK else {
                failure = SQLiteError(code: rc, db: self.handle, sql: sql)
                return nil
            }
            guard let statement else {
                failure = SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement", sql: sql)
                return nil
            }
            // Anything but whitespace and comments after the first statement would be ignored
            // silently by SQLite; refuse it instead.
            if let tail, tail.pointee != 0 {
                var rest: OpaquePointer?
                sqlite3_prepare_v2(self.handle, tail, -1, &rest, nil)
                if let rest {
                    sqlite3_finalize(rest)
                    sqlite3_finalize(statement)
                    failure = SQLiteError(code: SQLITE_MISUSE,
                                          message: "more than one statement; use execute(_:) for scripts", sql: sql)
                    return nil
                }
            }
            return statement
        }
        if let failure { throw failure }
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement", sql: sql) }
        return Statement(handle: handle, sql: sql)
    }

    // MARK: State

    /// The rowid of the most recent successful INSERT on this connection.
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    package var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True when no transaction is open (SQLite's autocommit mode).
    package var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
