import Foundation
import Synchronization
import Testing
@testable import SQLite

/// The writer serves urgent writes (a receipt) before background ones (the pieces of an upload),
/// deferred-durability writes leave the connection at `synchronous=FULL`, and the server's
/// checkpoint copies the log beside the writer.
@Suite struct WritePriorityTests {
    @Test func anUrgentWriteGoesBeforeQueuedBackgroundWrites() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/p.db", readers: 1)
            try db.write { try $0.execute("CREATE TABLE t (who TEXT)") }
            let order = Mutex<[String]>([])
            let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
            let holder = TestThread {
                try db.write(priority: .background) { _ in
                    holding.signal()
                    release.wait()
                }
            }
            holding.wait()
            let waiting = Atomic<Int>(0)
            let background = (0..<3).map { n in
                TestThread {
                    waiting.add(1, ordering: .sequentiallyConsistent)
                    try db.write(priority: .background) { conn in
                        try conn.run("INSERT INTO t VALUES (?)", ["background \(n)"])
                        order.withLock { $0.append("background") }
                    }
                }
            }
            #expect(eventually { waiting.load(ordering: .sequentiallyConsistent) == 3 })
            usleep(50_000)  // let the three reach their wait inside the pool
            let urgent = TestThread {
                waiting.add(1, ordering: .sequentiallyConsistent)
                try db.write { conn in
                    try conn.run("INSERT INTO t VALUES ('urgent')")
                    order.withLock { $0.append("urgent") }
                }
            }
            #expect(eventually { waiting.load(ordering: .sequentiallyConsistent) == 4 })
            usleep(50_000)
            release.signal()
            #expect(holder.join() == nil && urgent.join() == nil)
            for thread in background { #expect(thread.join() == nil) }
            #expect(order.withLock { $0 } == ["urgent", "background", "background", "background"])
        }
    }

    @Test func aDeferredWriteLeavesTheConnectionFullySynchronous() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/d.db", readers: 1)
            let during = try db.write(durability: .deferred) { try $0.queryOne("PRAGMA synchronous")?.int(0) }
            let after = try db.write { try $0.queryOne("PRAGMA synchronous")?.int(0) }
            #expect(during == 1 && after == 2)  // NORMAL inside, FULL again after
        }
    }

    @Test func backgroundCheckpointsCopyTheLogAndCommitsDoNot() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/c.db", readers: 1, backgroundCheckpoints: true)
            try db.write { try $0.execute("CREATE TABLE t (b BLOB)") }
            for _ in 0..<50 {
                try db.write { try $0.run("INSERT INTO t VALUES (?)", [[UInt8](repeating: 7, count: 64 * 1024)]) }
            }
            // No COMMIT checkpointed: the log holds every frame written so far.
            let before = try db.write { try $0.queryOne("PRAGMA wal_autocheckpoint")?.int(0) }
            #expect(before == 0)
            let (frames, copied) = try db.checkpoint()
            #expect(frames > 800 && copied == frames)
        }
    }
}
