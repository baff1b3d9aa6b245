import Foundation
import SQLite
import ZienswijzenDomain

/// The register of gemeenten. A merged gemeente stays in it, with the gemeente it merged into and
/// the date; nothing is ever deleted.
package enum GemeenteStore {
    static let columns = "code, naam, regio, samengevoegd_in, samengevoegd_op"

    package static func all(_ db: Connection) throws -> [Gemeente] {
        try db.query("SELECT \(columns) FROM gemeenten ORDER BY naam").map(gemeente)
    }

    package static func find(_ db: Connection, code: String) throws -> Gemeente? {
        try db.queryOne("SELECT \(columns) FROM gemeenten WHERE code = ?", [code]).map(gemeente)
    }

    /// The invited gemeenten of a consultation, in name order.
    package static func invited(_ db: Connection, raadpleging: String) throws -> [Gemeente] {
        try db.query("""
            SELECT g.code, g.naam, g.regio, g.samengevoegd_in, g.samengevoegd_op FROM uitnodigingen u
            JOIN gemeenten g ON g.code = u.gemeente WHERE u.raadpleging = ? ORDER BY g.naam
            """, [raadpleging]).map(gemeente)
    }

    package static func insert(_ db: Connection, _ g: Gemeente) throws {
        try db.run("INSERT INTO gemeenten (code, naam, regio) VALUES (?, ?, ?)", [g.code, g.naam, g.regio])
    }

    /// Records (or, with nil, clears) the merger of `code` into `into` from `from`.
    package static func setMerger(_ db: Connection, code: String, into: String?, from: LocalDate?) throws {
        try db.run("UPDATE gemeenten SET samengevoegd_in = ?, samengevoegd_op = ? WHERE code = ?", [into, from?.iso, code])
    }

    static func gemeente(_ row: Row) throws -> Gemeente {
        let c = Columns(row, table: "gemeenten")
        return Gemeente(code: try c.text("code"), naam: try c.text("naam"), regio: try c.text("regio"),
                        samengevoegdIn: try c.optionalText("samengevoegd_in"),
                        samengevoegdOp: try c.optionalLocalDate("samengevoegd_op"))
    }
}
