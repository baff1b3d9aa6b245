import Foundation
import SQLite
import ZienswijzenDomain

/// The bytes of attachments and of consultation documents, in pieces of at most `pieceSize` (see Migrations/0003).
///
/// An upload is written while it is received: `create` opens a staged content row, `append`
/// stores one piece per call (each in its own short transaction of the caller's), `complete`
/// marks it done with its size and digest. A version lists it only once complete (a trigger
/// checks). A download reads it piece by piece.
package enum BijlageInhoudStore {
    /// 256 KiB: small enough that one piece costs the write lock well under a millisecond, large
    /// enough that a 25 MiB file is a hundred pieces.
    package static let pieceSize = 256 * 1024

    package static func create(_ db: Connection, id: String, at: Date) throws {
        try db.run("INSERT INTO bijlage_inhoud (id, grootte, aangemaakt_op) VALUES (?, 0, ?)", [id, at])
    }

    package static func append(_ db: Connection, id: String, number: Int, piece: [UInt8]) throws {
        try db.run("INSERT INTO bijlage_delen (inhoud, volgnummer, deel) VALUES (?, ?, ?)", [id, number, piece])
    }

    /// Marks staged content complete after checking that its pieces add up to `grootte`.
    package static func complete(_ db: Connection, id: String, grootte: Int, sha256: String) throws {
        let row = try db.queryOne("""
            SELECT count(*) AS n, coalesce(sum(length(deel)), 0) AS bytes FROM bijlage_delen WHERE inhoud = ?
            """, [id])
        let c = try Columns(row.orThrow(table: "bijlage_delen"), table: "bijlage_delen")
        guard try c.int("bytes") == grootte else {
            throw BadRow(table: "bijlage_delen", column: "deel", found: "\(try c.int("bytes")) bytes, expected \(grootte)")
        }
        try db.run("UPDATE bijlage_inhoud SET grootte = ?, sha256 = ?, compleet = 1 WHERE id = ? AND compleet = 0",
                   [grootte, sha256, id])
    }

    /// Piece `number` of the content, or nil past the last one.
    package static func piece(_ db: Connection, id: String, number: Int) throws -> [UInt8]? {
        try db.queryOne("SELECT deel FROM bijlage_delen WHERE inhoud = ? AND volgnummer = ?", [id, number])
            .map { try Columns($0, table: "bijlage_delen").bytes("deel") }
    }

    /// Deletes content that no attachment and no document lists and that was created before
    /// `before` (staged uploads that were refused or cut off, a document removed from a concept);
    /// returns how many.
    package static func pruneUnused(_ db: Connection, before: Date) throws -> Int {
        let unused = """
            SELECT id FROM bijlage_inhoud i WHERE i.aangemaakt_op < ?1 AND NOT EXISTS (SELECT 1 FROM bijlagen b WHERE b.id = i.id)
             AND NOT EXISTS (SELECT 1 FROM documenten d WHERE d.id = i.id)
            """
        try db.run("DELETE FROM bijlage_delen WHERE inhoud IN (\(unused))", [before])
        try db.run("DELETE FROM bijlage_inhoud WHERE id IN (\(unused))", [before])
        return db.changes
    }
}

extension Optional where Wrapped == Row {
    func orThrow(table: String) throws(BadRow) -> Row {
        guard let self else { throw BadRow(table: table, column: "*", found: "no row") }
        return self
    }
}
