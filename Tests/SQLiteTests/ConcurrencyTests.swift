import Foundation
import Synchronization
import Testing
@testable import SQLite

@Suite struct ConcurrencyTests {
    /// Connection B writes while connection A holds the write lock: B waits inside SQLite's busy
    /// timeout and succeeds once A commits, instead of failing with SQLITE_BUSY.
    @Test func secondWriterWaitsForTheLockAndSucceeds() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/t.db"
            let a = try Connection(path: path)
            try a.execute("CREATE TABLE t (who TEXT)")
            let aCommitted = Atomic<Bool>(false)
            let bStarting = DispatchSemaphore(value: 0)
            let sawCommitWhenDone = Atomic<Bool>(false)

            try a.execute("BEGIN IMMEDIATE")
            try a.run("INSERT INTO t VALUES ('a')")
            let b = TestThread {
                let connection = try Connection(path: path)
                bStarting.signal()
                try connection.run("INSERT INTO t VALUES ('b')")
                sawCommitWhenDone.store(aCommitted.load(ordering: .sequentiallyConsistent), ordering: .sequentiallyConsistent)
            }
            bStarting.wait()
            // Hold the lock for a while so B is surely inside its busy wait (well under 5 s).
            usleep(300_000)
            aCommitted.store(true, ordering: .sequentiallyConsistent)
            try a.execute("COMMIT")
            #expect(b.join() == nil)
            let bFinishedAfterCommit = sawCommitWhenDone.load(ordering: .sequentiallyConsistent)
            #expect(bFinishedAfterCommit)
            #expect(try a.query("SELECT who FROM t ORDER BY rowid").compactMap { $0.string(0) } == ["a", "b"])
        }
    }

    /// A read transaction keeps seeing the state it started with while a write commits.
    @Test func readerSeesConsistentSnapshot() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db", readers: 2)
            try db.write { try $0.execute("CREATE TABLE rekening (naam TEXT, saldo INTEGER); INSERT INTO rekening VALUES ('a', 100), ('b', 0);") }
            let (before, during) = try db.read { reader in
                let before = try reader.queryOne("SELECT saldo FROM rekening WHERE naam = 'a'")?.int(0)
                // A transfer commits on the writer while this read transaction is open.
                try db.write { writer in
                    try writer.run("UPDATE rekening SET saldo = saldo - 60 WHERE naam = 'a'")
                    try writer.run("UPDATE rekening SET saldo = saldo + 60 WHERE naam = 'b'")
                }
                let b = try reader.queryOne("SELECT saldo FROM rekening WHERE naam = 'b'")?.int(0)
                let total = try reader.queryOne("SELECT sum(saldo) FROM rekening")?.int(0)
                return (before, [b, total])
            }
            #expect(before == 100)
            #expect(during == [0, 100])  // still the old snapshot: b not yet credited
            let after = try db.read { try $0.queryOne("SELECT saldo FROM rekening WHERE naam = 'b'")?.int(0) }
            #expect(after == 60)
        }
    }

    @Test func nestedWriteOnOneThreadThrowsInsteadOfDeadlocking() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db", readers: 1)
            try db.write { try $0.execute("CREATE TABLE t (x)") }
            #expect(throws: SQLiteError.self) {
                try db.write { _ in try db.write { try $0.run("INSERT INTO t VALUES (1)") } }
            }
            #expect(throws: SQLiteError.self) { try db.read { _ in try db.read { _ in 1 } } }
            // Both pools are usable afterwards; nesting on the connection itself works.
            try db.write { conn in try conn.transaction { try $0.run("INSERT INTO t VALUES (2)") } }
            #expect(try db.read { try $0.query("SELECT x FROM t").compactMap { $0.int(0) } } == [2])
        }
    }

    @Test func readersCannotWrite() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db", readers: 1)
            try db.write { try $0.execute("CREATE TABLE t (x)") }
            #expect(throws: SQLiteError.self) { try db.read { try $0.run("INSERT INTO t VALUES (1)") } }
            #expect(try db.integrityCheck() == ["ok"])
        }
    }

    @Test func writeThatThrowsLeavesNoTraceAndWriterStaysUsable() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db", readers: 1)
            try db.write { try $0.execute("CREATE TABLE t (x)") }
            #expect(throws: Failure.self) {
                try db.write { conn in
                    try conn.run("INSERT INTO t VALUES (1)")
                    throw Failure()
                }
            }
            try db.write { try $0.run("INSERT INTO t VALUES (2)") }
            #expect(try db.read { try $0.query("SELECT x FROM t").compactMap { $0.int(0) } } == [2])
        }
    }

    /// An online backup taken while four threads insert 1,000 rows through `Database.write`.
    /// Each insert numbers its row from the count inside its own transaction, so any committed
    /// state holds rows 1...n without gaps; the backup must hold exactly such a prefix.
    @Test func backupDuringConcurrentInsertsIsConsistent() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db", readers: 2)
            try db.write { try $0.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, thread INTEGER NOT NULL, k INTEGER NOT NULL, payload TEXT NOT NULL)") }
            // About 1,000 pages of filler, so the backup takes several steps while writes go on.
            try db.write { try $0.execute("CREATE TABLE filler (b BLOB); INSERT INTO filler VALUES (randomblob(4000000));") }
            let payload = String(repeating: "zienswijze ", count: 50)
            let writers = (0..<4).map { thread in
                TestThread {
                    for k in 0..<250 {
                        try db.write { conn in
                            let n = (try conn.queryOne("SELECT count(*) FROM t")?.int(0) ?? 0) + 1
                            try conn.run("INSERT INTO t VALUES (?, ?, ?, ?)", [n, thread, k, payload])
                        }
                    }
                }
            }
            let started = try eventually { try db.read { try $0.queryOne("SELECT count(*) FROM t")?.int(0) ?? 0 } >= 50 }
            #expect(started)
            let backupPath = dir + "/backup.db"
            try db.backup(to: backupPath)
            for writer in writers { #expect(writer.join() == nil) }

            #expect(try db.read { try $0.queryOne("SELECT count(*) FROM t")?.int(0) } == 1000)
            let copy = try Connection(path: backupPath)
            #expect(try copy.integrityCheck() == ["ok"])
            let rows = try copy.query("SELECT n, thread, k FROM t ORDER BY n")
            let numbers = rows.compactMap { $0.int("n") }
            #expect(numbers.count >= 50)
            #expect(numbers == Array(1...Int64(numbers.count)))
            // Per thread too: rows k = 0..<m, no gaps (each thread inserts in order).
            for thread in Int64(0)..<4 {
                let ks = rows.filter { $0.int("thread") == thread }.compactMap { $0.int("k") }.sorted()
                #expect(ks == Array(0..<Int64(ks.count)))
            }
            #expect(try copy.queryOne("SELECT length(b) FROM filler")?.int(0) == 4_000_000)
            #expect(!FileManager.default.fileExists(atPath: backupPath + ".partial"))
            #expect(throws: SQLiteError.self) { try db.backup(to: backupPath) }  // never overwrites
        }
    }
}
