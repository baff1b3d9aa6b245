import Foundation
import SQLite
import ZienswijzenDomain

/// Web sessions: the browser holds a random token in a cookie; the table holds its SHA-256.
package enum SessionStore {
    /// Creates a session and returns the token for the cookie; expired sessions are deleted.
    package static func create(_ db: Connection, codeID: Int64, at: Date) throws -> String {
        let token = randomHexID() + randomHexID()
        try db.run("""
            INSERT INTO sessies (token_hash, toegangscode_id, csrf_token, aangemaakt_op, verloopt_op) VALUES (?, ?, ?, ?, ?)
            """, [sha256Hex(token), codeID, randomHexID(), at, at.addingTimeInterval(Session.lifetime)])
        try db.run("DELETE FROM sessies WHERE verloopt_op < ?", [at])
        return token
    }

    /// The live session for a cookie token whose access code is not revoked.
    package static func find(_ db: Connection, token: String, at: Date) throws -> Session? {
        guard token.utf8.count == 64,
              let row = try db.queryOne("SELECT * FROM sessies WHERE token_hash = ? AND verloopt_op > ?", [sha256Hex(token), at])
        else { return nil }
        let c = Columns(row, table: "sessies")
        guard let principal = try ToegangscodeStore.principal(db, id: try c.int("toegangscode_id")) else { return nil }
        return Session(principal: principal, csrfToken: try c.text("csrf_token"), expiresAt: try c.date("verloopt_op"))
    }

    package static func delete(_ db: Connection, token: String) throws {
        try db.run("DELETE FROM sessies WHERE token_hash = ?", [sha256Hex(token)])
    }
}
