import CSQLite

/// An error reported by SQLite, with enough context to act on it.
///
/// It carries the statement's SQL text but never the bound values: those may be personal data
/// (names, e-mail addresses, the text of a zienswijze) and errors end up in logs.
package struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// What callers usually branch on, derived from the extended result code.
    package enum Kind: Sendable, Equatable {
        /// A UNIQUE or PRIMARY KEY constraint failed.
        case uniqueViolation
        case foreignKeyViolation
        case checkViolation
        case notNullViolation
        /// The database stayed locked for longer than the busy timeout.
        case busy
        case other
    }

    /// The extended result code (extended codes are switched on for every connection).
    package var code: Int32
    /// `sqlite3_errmsg` at the time of the failure, or our own explanation for misuse we detect.
    package var message: String
    /// The SQL of the statement that failed, if a statement was involved.
    package var sql: String?

    package init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The error SQLite reports for `connection`, after a call on it returned `code`.
    init(code: Int32, db: OpaquePointer?, sql: String? = nil) {
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.init(code: code, message: message, sql: sql)
    }

    /// The primary result code (the low byte of the extended one).
    package var primaryCode: Int32 { code & 0xff }

    package var kind: Kind {
        guard primaryCode == SQLITE_CONSTRAINT else {
            return primaryCode == SQLITE_BUSY ? .busy : .other
        }
        // The SQLITE_CONSTRAINT_* macros are expressions Swift does not import; these are their
        // values from sqlite3.h: (SQLITE_CONSTRAINT | (n << 8)).
        switch code >> 8 {
        case 6, 8, 10: return .uniqueViolation  // PRIMARYKEY, UNIQUE, ROWID
        case 3: return .foreignKeyViolation
        case 1: return .checkViolation
        case 5: return .notNullViolation
        default: return .other
        }
    }

    package var description: String {
        var text = "SQLite error \(code) (\(kind)): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }
}
