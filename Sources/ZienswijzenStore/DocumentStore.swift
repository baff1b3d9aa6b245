import Foundation
import SQLite
import ZienswijzenDomain

/// The documents of consultations. A document lists complete content of the piece store
/// (`BijlageInhoudStore`), as an attachment does; a trigger checks size and digest.
package enum DocumentStore {
    package static func insert(_ db: Connection, _ d: Document, toegangscodeID: Int64?) throws {
        let position = try db.queryOne("SELECT coalesce(max(positie), 0) + 1 AS n FROM documenten WHERE raadpleging = ?",
                                       [d.raadpleging]).map { try Columns($0, table: "documenten").int("n") } ?? 1
        try db.run("""
            INSERT INTO documenten (id, raadpleging, soort, titel, bestandsnaam, mediatype, grootte, sha256, positie, openbaar,
              toegevoegd_op, toegangscode_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [d.id, d.raadpleging, d.soort.rawValue, d.titel, d.bestand.bestandsnaam, d.bestand.mediatype, d.bestand.grootte,
                  d.bestand.sha256, position, d.openbaar, d.toegevoegdOp, toegangscodeID])
    }

    /// The documents of a consultation, in the order they were added.
    package static func all(_ db: Connection, raadpleging: String) throws -> [Document] {
        try db.query("SELECT * FROM documenten WHERE raadpleging = ? ORDER BY positie", [raadpleging]).map(document)
    }

    package static func find(_ db: Connection, raadpleging: String, id: String) throws -> Document? {
        try db.queryOne("SELECT * FROM documenten WHERE raadpleging = ? AND id = ?", [raadpleging, id]).map(document)
    }

    package static func update(_ db: Connection, raadpleging: String, id: String, change: DocumentChange) throws {
        if let openbaar = change.openbaar {
            try db.run("UPDATE documenten SET openbaar = ? WHERE raadpleging = ? AND id = ?", [openbaar, raadpleging, id])
        }
        if let titel = change.titel {
            try db.run("UPDATE documenten SET titel = ? WHERE raadpleging = ? AND id = ?", [titel, raadpleging, id])
        }
        if let soort = change.soort {
            try db.run("UPDATE documenten SET soort = ? WHERE raadpleging = ? AND id = ?", [soort.rawValue, raadpleging, id])
        }
    }

    /// Deletes the document (its content is left for `BijlageInhoudStore.pruneUnused`).
    package static func delete(_ db: Connection, raadpleging: String, id: String) throws {
        try db.run("DELETE FROM documenten WHERE raadpleging = ? AND id = ?", [raadpleging, id])
    }

    private static func document(_ row: Row) throws -> Document {
        let c = Columns(row, table: "documenten")
        let bestand = Bijlage(id: try c.text("id"), bestandsnaam: try c.text("bestandsnaam"), mediatype: try c.text("mediatype"),
                              grootte: Int(try c.int("grootte")), sha256: try c.text("sha256"))
        return Document(raadpleging: try c.text("raadpleging"), soort: try c.value("soort"), titel: try c.text("titel"),
                        bestand: bestand, openbaar: try c.bool("openbaar"), toegevoegdOp: try c.date("toegevoegd_op"))
    }
}
