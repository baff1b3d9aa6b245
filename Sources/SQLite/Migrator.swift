import Foundation

/// One schema migration: a numbered SQL file.
package struct Migration: Sendable, Equatable {
    /// The file name without `.sql`, e.g. `0001_schema`. Stored in `schema_migrations`.
    package var name: String
    package var sql: String

    package init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// The number in front of the name (`0001_schema` -> 1), nil when there is none.
    package var number: Int? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, name.dropFirst(digits.count).first == "_" else { return nil }
        return Int(digits)
    }

    /// FNV-1a (64 bit) over the SQL's UTF-8 bytes, as 16 hex digits. It only has to notice that
    /// a file changed after it was applied, not to resist an attacker, so no crypto dependency.
    package var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

package enum MigrationError: Error, CustomStringConvertible {
    /// An applied migration's file differs from what was applied. Released migrations are never
    /// edited: write a new one.
    case changed(name: String)
    /// The database has a migration this program does not know (a newer version applied it).
    case unknownApplied(name: String)
    /// A pending migration is numbered below one already applied: it would run out of order.
    case outOfOrder(name: String)
    /// Two files share a number.
    case duplicateNumber(Int, names: [String])
    /// A `.sql` file in the migrations directory not named `NNNN_something.sql`.
    case badFileName(String)
    case unreadable(path: String, reason: String)
    /// The migration's SQL ended the transaction itself (BEGIN/COMMIT in the file).
    case transactionControl(name: String)
    /// The migration's SQL failed; nothing of it, nor its bookkeeping row, was kept.
    case failed(name: String, SQLiteError)
    /// Reading or writing the bookkeeping table failed.
    case sqlite(SQLiteError)

    package var description: String {
        switch self {
        case .changed(let name):
            "migration \(name).sql was changed after it was applied; add a new migration instead"
        case .unknownApplied(let name):
            "the database has migration \(name) applied, which this program does not know (newer version?)"
        case .outOfOrder(let name):
            "migration \(name).sql is numbered before an already applied migration"
        case .duplicateNumber(let number, let names):
            "migration number \(number) is used by more than one file: \(names.joined(separator: ", "))"
        case .badFileName(let file):
            "migration file \(file) is not named NNNN_name.sql"
        case .unreadable(let path, let reason):
            "cannot read migrations from \(path): \(reason)"
        case .transactionControl(let name):
            "migration \(name).sql must not contain BEGIN/COMMIT/ROLLBACK: it runs inside a transaction"
        case .failed(let name, let error):
            "migration \(name).sql failed: \(error)"
        case .sqlite(let error):
            "migration bookkeeping failed: \(error)"
        }
    }
}

/// Applies numbered SQL migrations once each, in order, recording them in `schema_migrations`.
///
/// Each migration runs in one write transaction together with its bookkeeping row, so a failing
/// migration leaves neither schema changes nor a row. Because of that, a migration file must not
/// contain BEGIN/COMMIT, and `PRAGMA foreign_keys` inside it has no effect.
package struct Migrator {
    /// Reads `NNNN_*.sql` files from `directory`, sorted by number. Other files are ignored.
    package static func load(directory: String) throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError.unreadable(path: directory, reason: "\(error)")
        }
        var migrations: [Migration] = []
        for file in files where file.hasSuffix(".sql") {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MigrationError.unreadable(path: path, reason: "cannot read file")
            }
            let migration = Migration(name: String(file.dropLast(4)), sql: String(decoding: data, as: UTF8.self))
            guard migration.number != nil else { throw MigrationError.badFileName(file) }
            migrations.append(migration)
        }
        let byNumber = Dictionary(grouping: migrations) { $0.number ?? -1 }
        if let (number, group) = byNumber.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
            throw MigrationError.duplicateNumber(number, names: group.map(\.name).sorted())
        }
        return migrations.sorted { ($0.number ?? -1) < ($1.number ?? -1) }
    }

    /// Applies the migrations not yet applied, in the given order; returns their names.
    /// Checks every applied migration against its file first, and applies nothing if one changed.
    package static func apply(_ migrations: [Migration], to db: Database) throws -> [String] {
        let applied: [String: String]
        do {
            applied = try db.write { connection in
                try connection.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        name TEXT PRIMARY KEY,
                        checksum TEXT NOT NULL,
                        applied_at INTEGER NOT NULL
                    )
                    """)
                return try appliedChecksums(connection)
            }
        } catch let error as SQLiteError {
            throw MigrationError.sqlite(error)
        }

        let known = Set(migrations.map(\.name))
        for migration in migrations {
            if let checksum = applied[migration.name], checksum != migration.checksum {
                throw MigrationError.changed(name: migration.name)
            }
        }
        if let unknown = applied.keys.sorted().first(where: { !known.contains($0) }) {
            throw MigrationError.unknownApplied(name: unknown)
        }
        let lastApplied = migrations.lastIndex { applied[$0.name] != nil } ?? -1
        if let early = migrations.prefix(lastApplied + 1).first(where: { applied[$0.name] == nil }) {
            throw MigrationError.outOfOrder(name: early.name)
        }

        var appliedNow: [String] = []
        for migration in migrations.dropFirst(lastApplied + 1) {
            if try applyOne(migration, to: db) { appliedNow.append(migration.name) }
        }
        return appliedNow
    }

    /// Applies one migration with its bookkeeping row in one transaction; false when it turns out
    /// to be applied already.
    private static func applyOne(_ migration: Migration, to db: Database) throws -> Bool {
        do {
            return try db.write { connection throws -> Bool in
                // Another process may have applied it since we looked.
                if let checksum = try appliedChecksums(connection)[migration.name] {
                    guard checksum == migration.checksum else { throw MigrationError.changed(name: migration.name) }
                    return false
                }
                do {
                    try connection.execute(migration.sql)
                } catch let error as SQLiteError {
                    throw MigrationError.failed(name: migration.name, error)
                }
                guard !connection.isAutocommit else { throw MigrationError.transactionControl(name: migration.name) }
                try connection.run(
                    "INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)",
                    [migration.name, migration.checksum, Date()])
                return true
            }
        } catch let error as SQLiteError {
            throw MigrationError.sqlite(error)
        }
    }

    private static func appliedChecksums(_ connection: Connection) throws(SQLiteError) -> [String: String] {
        var result: [String: String] = [:]
        for row in try connection.query("SELECT name, checksum FROM schema_migrations") {
            if let name = row.string("name"), let checksum = row.string("checksum") {
                result[name] = checksum
            }
        }
        return result
    }
}
