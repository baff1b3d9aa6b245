import SQLite
import ZienswijzenDomain

/// The register of gemeenten.
package enum GemeenteStore {
    package static func all(_ db: Connection) throws -> [Gemeente] {
        try db.query("SELECT code, naam, regio FROM gemeenten ORDER BY naam").map(gemeente)
    }

    package static func find(_ db: Connection, code: String) throws -> Gemeente? {
        try db.queryOne("SELECT code, naam, regio FROM gemeenten WHERE code = ?", [code]).map(gemeente)
    }

    static func gemeente(_ row: Row) throws -> Gemeente {
        let c = Columns(row, table: "gemeenten")
        return Gemeente(code: try c.text("code"), naam: try c.text("naam"), regio: try c.text("regio"))
    }
}
