import Foundation
import SQLite
import ZienswijzenDomain

/// The audit log: who (a code's id, never the code), what, when and from which address.
/// Append-only (triggers refuse UPDATE and DELETE).
package enum AuditStore {
    package static func record(_ db: Connection, _ record: AuditRecord) throws {
        try db.run("""
            INSERT INTO audit (op, actor, toegangscode_id, actie, onderwerp, details, adres)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [record.at, record.actor.auditName, record.actor.principal?.codeID, record.action.rawValue,
                  record.onderwerp, record.details, record.actor.address])
    }

    /// The newest entries first; `before` pages backwards by id.
    /// `naming` keeps the entries whose subject or details hold that text (a gemeente's CBS code).
    package static func entries(_ db: Connection, limit: Int = 100, before: Int64? = nil, naming: String? = nil) throws -> [AuditEntry] {
        try db.query("""
            SELECT id, op, actor, actie, onderwerp, details, adres FROM audit
            WHERE (?1 IS NULL OR id < ?1) AND (?3 IS NULL OR instr(onderwerp, ?3) > 0 OR instr(details, ?3) > 0)
            ORDER BY id DESC LIMIT ?2
            """, [before, limit, naming]).map { row in
            let c = Columns(row, table: "audit")
            return AuditEntry(id: try c.int("id"), op: try c.date("op"), actor: try c.text("actor"),
                              actie: try c.text("actie"), onderwerp: try c.text("onderwerp"),
                              details: try c.text("details"), adres: try c.text("adres"))
        }
    }
}
