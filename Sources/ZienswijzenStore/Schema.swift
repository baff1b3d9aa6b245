import Foundation
import SQLite

/// The schema and seed, as compiled into the binary from `Migrations/` (see the EmbedMigrations
/// plugin): the executable needs no files beside it to create or upgrade its database.
package enum Schema {
    package static var migrations: [Migration] {
        embeddedMigrationFiles.map { file in
            Migration(name: file.name, sql: String(decoding: Data(base64Encoded: file.base64) ?? Data(), as: UTF8.self))
        }
    }

    /// Opens (creating when missing) and migrates the database at `path`.
    package static func open(path: String, readers: Int = 4, backgroundCheckpoints: Bool = false) throws -> (Database, applied: [String]) {
        let db = try Database(path: path, readers: readers, backgroundCheckpoints: backgroundCheckpoints)
        let applied = try Migrator.apply(migrations, to: db)
        return (db, applied)
    }
}
