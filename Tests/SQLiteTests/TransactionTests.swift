import Testing
@testable import SQLite

struct Failure: Error {}

@Suite struct TransactionTests {
    func count(_ db: Connection) throws -> Int64? {
        try db.queryOne("SELECT count(*) FROM t")?.int(0)
    }

    @Test func throwingBodyLeavesNoTrace() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x)")
            #expect(throws: Failure.self) {
                try db.transaction { conn in
                    try conn.run("INSERT INTO t VALUES (1)")
                    try conn.run("INSERT INTO t VALUES (2)")
                    throw Failure()
                }
            }
            #expect(try count(db) == 0)
            #expect(db.isAutocommit)
            // The connection is usable for a new transaction afterwards.
            let id = try db.transaction { conn in
                try conn.run("INSERT INTO t VALUES (3)")
                return conn.lastInsertRowID
            }
            #expect(id == 1)
            #expect(try count(db) == 1)
        }
    }

    @Test func nestedSavepointRollbackKeepsOuterWork() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x)")
            try db.transaction { conn in
                try conn.run("INSERT INTO t VALUES ('outer')")
                #expect(throws: Failure.self) {
                    try conn.transaction { inner in
                        try inner.run("INSERT INTO t VALUES ('inner')")
                        throw Failure()
                    }
                }
                try conn.transaction { inner in
                    try inner.run("INSERT INTO t VALUES ('inner-kept')")
                }
                try conn.run("INSERT INTO t VALUES ('outer-after')")
            }
            let values = try db.query("SELECT x FROM t ORDER BY rowid").compactMap { $0.string(0) }
            #expect(values == ["outer", "inner-kept", "outer-after"])
        }
    }

    @Test func failedConstraintInsideTransactionRollsBackEverything() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x UNIQUE)")
            #expect(throws: SQLiteError.self) {
                try db.transaction { conn in
                    try conn.run("INSERT INTO t VALUES (1)")
                    try conn.run("INSERT INTO t VALUES (1)")
                }
            }
            #expect(try count(db) == 0)
        }
    }

    @Test func changesAndLastInsertRowID() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3);")
            try db.run("UPDATE t SET x = x + 1 WHERE x >= ?", [2])
            #expect(db.changes == 2)
            try db.run("INSERT INTO t VALUES (9)")
            #expect(db.lastInsertRowID == 4)
        }
    }
}
