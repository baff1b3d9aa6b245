import Foundation
import SQLite
import ZienswijzenDomain

/// Access codes (toegangscodes): issued once, stored as a hash, looked up by hash, revocable.
package enum ToegangscodeStore {
    /// Creates a code and returns it in clear, the only time it exists outside the caller's hands.
    package static func issue(
        _ db: Connection, role: Role, gemeente: String?, naam: String, email: String? = nil, at: Date
    ) throws -> (code: String, record: ToegangscodeRecord) {
        let code = Toegangscode.generate()
        let hash = Toegangscode.hash(normalized: Toegangscode.normalize(code) ?? code)
        try db.run("INSERT INTO toegangscodes (code_hash, rol, gemeente, naam, aangemaakt_op, email) VALUES (?, ?, ?, ?, ?, ?)",
                   [hash, role.rawValue, gemeente, naam, at, email])
        let record = ToegangscodeRecord(id: db.lastInsertRowID, role: role, gemeente: gemeente, naam: naam, aangemaaktOp: at,
                                        email: email)
        return (code, record)
    }

    package static func all(_ db: Connection) throws -> [ToegangscodeRecord] {
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
        guard let normalized = Toegangscode.normalize(typedCode) else { return nil }
        let hash = Toegangscode.hash(normalized: normalized)
        guard let row = try db.queryOne("SELECT * FROM toegangscodes WHERE code_hash = ? AND ingetrokken_op IS NULL", [hash]),
              Toegangscode.constantTimeEquals(try Columns(row, table: "toegangscodes").text("code_hash"), hash)
        else { return nil }
        return try record(row).principal
    }

    package static func principal(_ db: Connection, id: Int64) throws -> Principal? {
        try db.queryOne("SELECT * FROM toegangscodes WHERE id = ? AND ingetrokken_op IS NULL", [id]).map(record)?.principal
    }

    /// The reminder addresses of a gemeente's griffie codes that are not revoked, without repeats.
    package static func griffieAddresses(_ db: Connection, gemeente: String) throws -> [String] {
        try db.query("""
            SELECT DISTINCT email FROM toegangscodes
            WHERE rol = 'griffie' AND gemeente = ? AND ingetrokken_op IS NULL AND email IS NOT NULL ORDER BY email
            """, [gemeente]).map { try Columns($0, table: "toegangscodes").text("email") }
    }

    package static func touch(_ db: Connection, id: Int64, at: Date) throws {
        try db.run("UPDATE toegangscodes SET laatst_gebruikt_op = ? WHERE id = ?", [at, id])
    }

    private static func record(_ row: Row) throws -> ToegangscodeRecord {
        let c = Columns(row, table: "toegangscodes")
        return ToegangscodeRecord(id: try c.int("id"), role: try c.value("rol"), gemeente: try c.optionalText("gemeente"),
                                  naam: try c.text("naam"), aangemaaktOp: try c.date("aangemaakt_op"),
                                  ingetrokkenOp: try c.optionalDate("ingetrokken_op"),
                                  laatstGebruiktOp: try c.optionalDate("laatst_gebruikt_op"),
                                  email: try c.optionalText("email"))
    }
}
