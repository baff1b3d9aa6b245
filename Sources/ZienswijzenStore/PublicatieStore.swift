import Foundation
import SQLite
import ZienswijzenDomain

/// The published snapshots (issue 15): one per consultation at most.
package enum PublicatieStore {
    package static func replace(_ db: Connection, _ p: Publicatie) throws {
        try db.run("""
            INSERT INTO publicaties (raadpleging, inhoud, gepubliceerd_op) VALUES (?, ?, ?)
            ON CONFLICT (raadpleging) DO UPDATE SET inhoud = excluded.inhoud, gepubliceerd_op = excluded.gepubliceerd_op
            """, [p.raadpleging, p.inhoud.serializedString(), p.gepubliceerdOp])
    }

    package static func find(_ db: Connection, raadpleging: String) throws -> Publicatie? {
        guard let row = try db.queryOne("SELECT * FROM publicaties WHERE raadpleging = ?", [raadpleging]) else { return nil }
        let c = Columns(row, table: "publicaties")
        let text = try c.text("inhoud")
        guard let inhoud = try? JSONValue.parse(Array(text.utf8)) else {
            throw BadRow(table: "publicaties", column: "inhoud", found: "TEXT that is not JSON")
        }
        return Publicatie(raadpleging: raadpleging, inhoud: inhoud, gepubliceerdOp: try c.date("gepubliceerd_op"))
    }

    /// True when there was one to delete.
    package static func delete(_ db: Connection, raadpleging: String) throws -> Bool {
        try db.run("DELETE FROM publicaties WHERE raadpleging = ?", [raadpleging])
        return db.changes > 0
    }
}
