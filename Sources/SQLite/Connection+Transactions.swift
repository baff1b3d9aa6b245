import CSQLite

extension Connection {
    /// Runs `body` in a write transaction and returns its result.
    ///
    /// The outermost call runs `BEGIN IMMEDIATE` (the write lock is taken up front, so the
    /// transaction cannot fail halfway with SQLITE_BUSY when it first writes) and `COMMIT`.
    /// Nested calls become `SAVEPOINT`s: a nested body that throws rolls back only its own work.
    /// When `body` (or COMMIT) throws, the work is rolled back and the error rethrown. Before
    /// rolling back we ask SQLite whether a transaction is still open: some errors (e.g. a full
    /// disk) already rolled it back, and a second ROLLBACK would then fail and mask the cause.
    package func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
        if transactionDepth > 0 {
            return try savepoint(body)
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth = 1
        defer { transactionDepth = 0 }
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if !isAutocommit { try? execute("ROLLBACK") }
            throw error
        }
    }

    private func savepoint<T>(_ body: (Connection) throws -> T) throws -> T {
        let name = "sp\(transactionDepth)"
        try execute("SAVEPOINT \(name)")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body(self)
            try execute("RELEASE \(name)")
            return result
        } catch {
            if !isAutocommit {
                // ROLLBACK TO undoes the work but leaves the savepoint open; RELEASE closes it.
                try? execute("ROLLBACK TO \(name); RELEASE \(name)")
            }
            throw error
        }
    }

    /// Runs `body` in a read transaction (`BEGIN DEFERRED`): all reads inside see one consistent
    /// snapshot, even while another connection commits (WAL). Inside an open transaction it just
    /// runs `body`, which already sees a consistent state.
    package func readTransaction<T>(_ body: (Connection) throws -> T) throws -> T {
        guard isAutocommit else { return try body(self) }
        try execute("BEGIN DEFERRED")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if !isAutocommit { try? execute("ROLLBACK") }
            throw error
        }
    }
}
