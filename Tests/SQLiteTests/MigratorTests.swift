import Foundation
import Testing
@testable import SQLite

@Suite struct MigratorTests {
    func write(_ dir: String, _ file: String, _ sql: String) throws {
        try sql.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
    }

    func tables(_ db: Database) throws -> [String] {
        try db.read { try $0.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") }
            .compactMap { $0.string(0) }
    }

    func bookkeeping(_ db: Database) throws -> [String] {
        try db.read { try $0.query("SELECT name FROM schema_migrations ORDER BY name") }.compactMap { $0.string(0) }
    }

    @Test func loadsSortedByNumberAndIgnoresOtherFiles() throws {
        try withTemporaryDirectory { dir in
            try write(dir, "0010_later.sql", "CREATE TABLE c (x);")
            try write(dir, "0002_second.sql", "CREATE TABLE b (x);")
            try write(dir, "0001_schema.sql", "CREATE TABLE a (x);")
            try write(dir, "README.md", "not a migration")
            let migrations = try Migrator.load(directory: dir)
            #expect(migrations.map(\.name) == ["0001_schema", "0002_second", "0010_later"])
            #expect(migrations[0].sql == "CREATE TABLE a (x);")
        }
    }

    @Test func duplicateNumbersAndBadNamesAreRefused() throws {
        try withTemporaryDirectory { dir in
            try write(dir, "0001_a.sql", "SELECT 1;")
            try write(dir, "0001_b.sql", "SELECT 2;")
            #expect {
                try Migrator.load(directory: dir)
            } throws: { error in
                guard case MigrationError.duplicateNumber(1, let names) = error else { return false }
                return names == ["0001_a", "0001_b"]
            }
            try FileManager.default.removeItem(atPath: dir + "/0001_b.sql")
            try write(dir, "schema.sql", "SELECT 3;")
            #expect { try Migrator.load(directory: dir) } throws: { error in
                if case MigrationError.badFileName("schema.sql") = error { true } else { false }
            }
        }
    }

    @Test func appliesOnceAndASecondApplyAppliesNothing() throws {
        try withTemporaryDirectory { dir in
            let migrations = [
                Migration(name: "0001_schema", sql: "CREATE TABLE a (x); CREATE TABLE b (y REFERENCES a(rowid));"),
                Migration(name: "0002_more", sql: "CREATE TABLE c (z);\n-- trailing comment\n"),
            ]
            let db = try Database(path: dir + "/t.db")
            #expect(try Migrator.apply(migrations, to: db) == ["0001_schema", "0002_more"])
            #expect(try Migrator.apply(migrations, to: db) == [])
            #expect(try tables(db) == ["a", "b", "c", "schema_migrations"])
            let row = try db.read { try $0.queryOne("SELECT checksum, applied_at FROM schema_migrations WHERE name = '0001_schema'") }
            #expect(row?.string("checksum") == migrations[0].checksum)
            #expect(row?.date("applied_at").map { abs($0.timeIntervalSinceNow) < 60 } == true)
            // Adding a third later applies only that one.
            let more = migrations + [Migration(name: "0003_d", sql: "CREATE TABLE d (w);")]
            #expect(try Migrator.apply(more, to: db) == ["0003_d"])
        }
    }

    @Test func changedMigrationIsRefusedBeforeApplyingAnything() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            let original = Migration(name: "0001_schema", sql: "CREATE TABLE a (x);")
            _ = try Migrator.apply([original], to: db)
            let edited = Migration(name: "0001_schema", sql: "CREATE TABLE a (x, y);")
            let pending = Migration(name: "0002_more", sql: "CREATE TABLE c (z);")
            #expect {
                try Migrator.apply([edited, pending], to: db)
            } throws: { error in
                guard case MigrationError.changed(name: "0001_schema") = error else { return false }
                return "\(error)".contains("0001_schema.sql")
            }
            #expect(try tables(db) == ["a", "schema_migrations"])  // 0002 not applied
            #expect(try bookkeeping(db) == ["0001_schema"])
        }
    }

    @Test func unknownAppliedAndOutOfOrderAreRefused() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            let first = Migration(name: "0001_a", sql: "CREATE TABLE a (x);")
            let third = Migration(name: "0003_c", sql: "CREATE TABLE c (x);")
            _ = try Migrator.apply([first, third], to: db)
            #expect { try Migrator.apply([first], to: db) } throws: { error in
                if case MigrationError.unknownApplied(name: "0003_c") = error { true } else { false }
            }
            let second = Migration(name: "0002_b", sql: "CREATE TABLE b (x);")
            #expect { try Migrator.apply([first, second, third], to: db) } throws: { error in
                if case MigrationError.outOfOrder(name: "0002_b") = error { true } else { false }
            }
        }
    }

    @Test func failingMigrationLeavesNoTraceAndNoBookkeepingRow() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            let good = Migration(name: "0001_a", sql: "CREATE TABLE a (x);")
            let bad = Migration(name: "0002_bad", sql: "CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);")
            #expect {
                try Migrator.apply([good, bad], to: db)
            } throws: { error in
                guard case MigrationError.failed(name: "0002_bad", let cause) = error else { return false }
                return cause.sql?.contains("nowhere") == true
            }
            #expect(try tables(db) == ["a", "schema_migrations"])  // no "half"
            #expect(try bookkeeping(db) == ["0001_a"])
            // Fixed (it was never applied, so it may still change) it applies.
            let fixed = Migration(name: "0002_bad", sql: "CREATE TABLE half (x);")
            #expect(try Migrator.apply([good, fixed], to: db) == ["0002_bad"])
        }
    }

    @Test func transactionControlInAMigrationIsRefused() throws {
        try withTemporaryDirectory { dir in
            let db = try Database(path: dir + "/t.db")
            let sneaky = Migration(name: "0001_commit", sql: "CREATE TABLE a (x); COMMIT;")
            #expect { try Migrator.apply([sneaky], to: db) } throws: { error in
                if case MigrationError.transactionControl(name: "0001_commit") = error { true } else { false }
            }
            #expect(try bookkeeping(db) == [])
        }
    }

    @Test func checksumIsStableFNV1a() {
        // FNV-1a 64 of the empty input is the offset basis; of "a" a published test vector.
        #expect(Migration(name: "0001_x", sql: "").checksum == "cbf29ce484222325")
        #expect(Migration(name: "0001_x", sql: "a").checksum == "af63dc4c8601ec8c")
    }
}
