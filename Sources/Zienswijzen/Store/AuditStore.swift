import Foundation
import SQLite

package struct AuditEntry: Sendable, Equatable {
    package var id: Int64
    package var op: Date
    package var actor: String
    package var actie: String
    package var onderwerp: String
    package var details: String
    package var adres: String
}

/// The audit log: who (a code's id, never the code), what, when and from which address.
package enum AuditStore {
    package static func record(
        _ db: Connection, at: Date, actor: String, toegangscodeID: Int64? = nil, actie: String,
        onderwerp: String = "", details: String = "", adres: String = ""
    ) throws {
        try db.run("""
            INSERT INTO audit (op, actor, toegangscode_id, actie, onderwerp, details, adres)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [at, actor, toegangscodeID, actie, onderwerp, details, adres])
    }

    /// The newest entries first; `before` pages backwards by id.
    package static func entries(_ db: Connection, limit: Int = 100, before: Int64? = nil) throws -> [AuditEntry] {
        try db.query("""
            SELECT id, op, actor, actie, onderwerp, details, adres FROM audit
            WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2
            """, [before, limit]).map { row in
            AuditEntry(id: row.int("id") ?? 0, op: row.date("op") ?? Date(timeIntervalSince1970: 0),
                       actor: row.string("actor") ?? "", actie: row.string("actie") ?? "",
                       onderwerp: row.string("onderwerp") ?? "", details: row.string("details") ?? "",
                       adres: row.string("adres") ?? "")
        }
    }

    /// Failed logins from one address since `since`, for slowing brute force.
    package static func failures(_ db: Connection, adres: String, since: Date) throws -> Int {
        Int(try db.queryOne("""
            SELECT count(*) AS n FROM audit WHERE actie = 'authenticatie-mislukt' AND adres = ? AND op >= ?
            """, [adres, since])?.int("n") ?? 0)
    }
}
