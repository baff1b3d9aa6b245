import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// A migrated database in a fresh temporary directory, removed when the value is released.
final class TestDatabase {
    let directory: URL
    let db: Database

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("zw-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        (db, _) = try Schema.open(path: directory.appendingPathComponent("test.sqlite").path)
    }

    var path: String { directory.appendingPathComponent("test.sqlite").path }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
