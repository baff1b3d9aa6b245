import Foundation
import SQLite

package enum Role: String, Sendable {
    case griffie, coordinator
}

/// Who is calling: an access code that matched, by its id (the code itself is never kept).
package struct Principal: Sendable, Equatable {
    package var codeID: Int64
    package var role: Role
    package var gemeente: String?
    package var naam: String

    /// How the audit log names this caller.
    package var actor: String { "\(role.rawValue):\(codeID)" }

    package func mayRead(gemeente code: String) -> Bool { role == .coordinator || gemeente == code }
    package func mayWrite(gemeente code: String) -> Bool { role == .griffie && gemeente == code }
}

package struct AccessCodeRecord: Sendable, Equatable {
    package var id: Int64
    package var role: Role
    package var gemeente: String?
    package var naam: String
    package var aangemaaktOp: Date
    package var ingetrokkenOp: Date?
    package var laatstGebruiktOp: Date?
}

/// Access codes: issued once, stored as a hash, looked up by hash, revocable.
package enum AccessCodeStore {
    /// Creates a code and returns it in clear, the only time it exists outside the caller's hands.
    package static func issue(
        _ db: Connection, role: Role, gemeente: String?, naam: String, at: Date
    ) throws -> (code: String, record: AccessCodeRecord) {
        let code = AccessCode.generate()
        let hash = AccessCode.hash(normalized: AccessCode.normalize(code) ?? code)
        try db.run("INSERT INTO toegangscodes (code_hash, rol, gemeente, naam, aangemaakt_op) VALUES (?, ?, ?, ?, ?)",
                   [hash, role.rawValue, gemeente, naam, at])
        let record = AccessCodeRecord(id: db.lastInsertRowID, role: role, gemeente: gemeente, naam: naam, aangemaaktOp: at)
        return (code, record)
    }

    package static func list(_ db: Connection) throws -> [AccessCodeRecord] {
        try db.query("SELECT * FROM toegangscodes ORDER BY id").map(record)
    }

    /// Marks a code revoked; false when there is no such code or it was revoked already.
    package static func revoke(_ db: Connection, id: Int64, at: Date) throws -> Bool {
        try db.run("UPDATE toegangscodes SET ingetrokken_op = ? WHERE id = ? AND ingetrokken_op IS NULL", [at, id])
        return db.changes > 0
    }

    package static func hasCoordinator(_ db: Connection) throws -> Bool {
        try db.queryOne("SELECT 1 AS x FROM toegangscodes WHERE rol = 'coordinator' LIMIT 1") != nil
    }

    /// The principal for a typed code, or nil when unknown or revoked. The lookup is by hash (an
    /// index search, so timing reveals nothing of the code), and the stored hash is compared again
    /// in constant time.
    package static func principal(_ db: Connection, typedCode: String) throws -> Principal? {
        guard let normalized = AccessCode.normalize(typedCode) else { return nil }
        let hash = AccessCode.hash(normalized: normalized)
        guard let row = try db.queryOne("SELECT * FROM toegangscodes WHERE code_hash = ? AND ingetrokken_op IS NULL", [hash]),
              AccessCode.constantTimeEquals(row.string("code_hash") ?? "", hash)
        else { return nil }
        let r = record(row)
        return Principal(codeID: r.id, role: r.role, gemeente: r.gemeente, naam: r.naam)
    }

    package static func principal(_ db: Connection, id: Int64) throws -> Principal? {
        guard let row = try db.queryOne("SELECT * FROM toegangscodes WHERE id = ? AND ingetrokken_op IS NULL", [id])
        else { return nil }
        let r = record(row)
        return Principal(codeID: r.id, role: r.role, gemeente: r.gemeente, naam: r.naam)
    }

    package static func touch(_ db: Connection, id: Int64, at: Date) throws {
        try db.run("UPDATE toegangscodes SET laatst_gebruikt_op = ? WHERE id = ?", [at, id])
    }

    private static func record(_ row: Row) -> AccessCodeRecord {
        AccessCodeRecord(id: row.int("id") ?? 0, role: Role(rawValue: row.string("rol") ?? "") ?? .griffie,
                         gemeente: row.string("gemeente"), naam: row.string("naam") ?? "",
                         aangemaaktOp: row.date("aangemaakt_op") ?? Date(timeIntervalSince1970: 0),
                         ingetrokkenOp: row.date("ingetrokken_op"), laatstGebruiktOp: row.date("laatst_gebruikt_op"))
    }
}
