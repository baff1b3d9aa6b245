import Testing
@testable import SQLite

@Suite struct ConnectionTests {
    @Test func opensInWALWithForeignKeysAndFullSync() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/new.db")  // the file did not exist
            #expect(try db.queryOne("PRAGMA journal_mode")?.string(0) == "wal")
            #expect(try db.queryOne("PRAGMA foreign_keys")?.int(0) == 1)
            #expect(try db.queryOne("PRAGMA synchronous")?.int(0) == 2)  // FULL
            let reader = try Connection(path: dir + "/new.db", readOnly: true)
            #expect(try reader.queryOne("PRAGMA journal_mode")?.string(0) == "wal")
            #expect(throws: SQLiteError.self) { try reader.execute("CREATE TABLE x (y)") }
        }
    }

    @Test func readOnlyOpenOfMissingFileFails() throws {
        try withTemporaryDirectory { dir in
            #expect(throws: SQLiteError.self) { try Connection(path: dir + "/missing.db", readOnly: true) }
        }
    }

    @Test func prepareRefusesSeveralStatementsButAllowsTrailingComment() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x)")
            #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (1); DROP TABLE t") }
            try db.run("INSERT INTO t VALUES (2); -- a comment")
            #expect(try db.query("SELECT x FROM t").map { $0.int("x") } == [2])
        }
    }

    @Test func cachedStatementInUseIsNotClobbered() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3);")
            let sql = "SELECT x FROM t WHERE x >= ? ORDER BY x"
            let outer = try db.prepare(sql)
            try outer.bind([1])
            var pairs: [[Int64]] = []
            while try outer.step() {
                let x = try #require(outer.row().int("x"))
                // Same SQL while `outer` is mid-iteration: must be a different statement.
                let inner = try db.query(sql, [x]).compactMap { $0.int(0) }
                pairs.append([x] + inner)
            }
            outer.reset()
            #expect(pairs == [[1, 1, 2, 3], [2, 2, 3], [3, 3]])
            #expect(try db.prepare(sql) === outer)  // reset: back to being the cached one
        }
    }

    @Test func integrityCheckSaysOK() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x)")
            #expect(try db.integrityCheck() == ["ok"])
        }
    }
}
