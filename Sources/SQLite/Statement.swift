import CSQLite

/// A prepared statement. Finalized in `deinit`.
///
/// Not Sendable: it belongs to its `Connection`, which is used by one thread at a time.
/// Text and blobs are bound with explicit byte lengths and `SQLITE_TRANSIENT` (SQLite copies
/// them), so NUL bytes and non-ASCII text survive and no Swift buffer has to outlive the call.
package final class Statement {
    let handle: OpaquePointer
    /// The SQL as written, for error messages (never with bound values).
    package let sql: String
    /// Computed on first `row()` after a reset: a schema change may re-prepare `SELECT *`.
    private var cachedColumns: [String]?

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    private var db: OpaquePointer? { sqlite3_db_handle(handle) }

    private func error(_ code: Int32) -> SQLiteError {
        SQLiteError(code: code, db: db, sql: sql)
    }

    private func misuse(_ message: String) -> SQLiteError {
        SQLiteError(code: SQLITE_RANGE, message: message, sql: sql)
    }

    /// Number of parameters (`?`, `?NNN`, `:name`, `@name`, `$name`) in the statement.
    package var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds positional parameters. The count must match exactly: a missing value bound as NULL
    /// silently would hide a bug. Resets the statement first.
    package func bind(_ values: [any SQLBindable]) throws(SQLiteError) {
        prepareForBinding()
        guard values.count == parameterCount else {
            throw misuse("expected \(parameterCount) bindings, got \(values.count)")
        }
        for (offset, value) in values.enumerated() {
            try bind(value.sqlValue, at: Int32(offset + 1))
        }
    }

    /// Binds named parameters. Keys may be given with or without their prefix (`"id"` or
    /// `":id"`). Every parameter must have a value and every key must be used (a typo in a key
    /// is then an error, not a NULL). Resets the statement first.
    package func bind(named values: [String: any SQLBindable]) throws(SQLiteError) {
        prepareForBinding()
        var used = Set<String>()
        for index in stride(from: Int32(1), through: Int32(parameterCount), by: 1) {
            guard let cName = sqlite3_bind_parameter_name(handle, index) else {
                throw misuse("parameter \(index) is positional; use bind(_:) for positional parameters")
            }
            let fullName = String(cString: cName)
            let bareName = String(fullName.dropFirst())
            let key = values[fullName] != nil ? fullName : bareName
            guard let value = values[key] else {
                throw misuse("no value for parameter \(fullName)")
            }
            used.insert(key)
            try bind(value.sqlValue, at: index)
        }
        if let unused = values.keys.first(where: { !used.contains($0) }) {
            throw misuse("no parameter named \(unused)")
        }
    }

    private func prepareForBinding() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        cachedColumns = nil
    }

    private func bind(_ value: SQLValue, at index: Int32) throws(SQLiteError) {
        let rc: Int32
        switch value {
        case .null:
            rc = sqlite3_bind_null(handle, index)
        case .integer(let v):
            rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v):
            rc = sqlite3_bind_double(handle, index, v)
        case .text(var v):
            rc = v.withUTF8 { buffer in
                // A nil base address (empty string) would bind NULL; bind an empty text instead.
                guard let base = buffer.baseAddress, buffer.count > 0 else {
                    return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
                }
                return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    sqlite3_bind_text64(handle, index, $0, UInt64(buffer.count),
                                        csqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let v):
            rc = v.withUnsafeBytes { buffer in
                // Likewise: a nil pointer binds NULL, so an empty blob is a zero-length zeroblob.
                guard let base = buffer.baseAddress, buffer.count > 0 else {
                    return sqlite3_bind_zeroblob(handle, index, 0)
                }
                return sqlite3_bind_blob64(handle, index, base, UInt64(buffer.count), csqlite_transient())
            }
        }
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// Advances to the next row. `true`: a row is ready for `row()`; `false`: done.
    package func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(rc)
        }
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    package func reset() {
        sqlite3_reset(handle)
        cachedColumns = nil
    }

    /// Resets and drops the bindings, so a cached statement does not hold on to large values.
    func resetAndClear() {
        reset()
        sqlite3_clear_bindings(handle)
    }

    /// Whether the statement has been stepped and not yet reset (it may not be shared then).
    var isBusy: Bool { sqlite3_stmt_busy(handle) != 0 }

    /// The result column names.
    package var columns: [String] {
        if let cachedColumns { return cachedColumns }
        let count = sqlite3_column_count(handle)
        let names = (0..<count).map { i in
            sqlite3_column_name(handle, i).map { String(cString: $0) } ?? ""
        }
        cachedColumns = names
        return names
    }

    /// A copy of the current row. Only meaningful after `step()` returned `true`.
    package func row() -> Row {
        let names = columns
        var values: [SQLValue] = []
        values.reserveCapacity(names.count)
        for i in 0..<Int32(names.count) {
            values.append(value(at: i))
        }
        return Row(columns: names, values: values)
    }

    private func value(at i: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            // Pointer first, then the length (the documented order); never String(cString:),
            // which would cut the text at the first NUL.
            guard let text = sqlite3_column_text(handle, i) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, i))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let blob = sqlite3_column_blob(handle, i) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(handle, i))
            return .blob([UInt8](UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }
}
