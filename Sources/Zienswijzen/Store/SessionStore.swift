import Foundation
import SQLite

package struct WebSession: Sendable, Equatable {
    package var principal: Principal
    package var csrfToken: String
    package var expiresAt: Date
}

/// Web sessions: the browser holds a random token in a cookie; the table holds its SHA-256.
package enum SessionStore {
    package static let lifetime: TimeInterval = 8 * 3600

    /// Creates a session and returns the token for the cookie.
    package static func create(_ db: Connection, codeID: Int64, at: Date) throws -> String {
        let token = randomHexID() + randomHexID()
        try db.run("""
            INSERT INTO sessies (token_hash, toegangscode_id, csrf_token, aangemaakt_op, verloopt_op) VALUES (?, ?, ?, ?, ?)
            """, [sha256Hex(token), codeID, randomHexID(), at, at.addingTimeInterval(lifetime)])
        try db.run("DELETE FROM sessies WHERE verloopt_op < ?", [at])
        return token
    }

    /// The live session for a cookie token whose access code is not revoked.
    package static func session(_ db: Connection, token: String, at: Date) throws -> WebSession? {
        guard token.utf8.count == 64,
              let row = try db.queryOne("SELECT * FROM sessies WHERE token_hash = ? AND verloopt_op > ?", [sha256Hex(token), at]),
              let codeID = row.int("toegangscode_id"),
              let principal = try AccessCodeStore.principal(db, id: codeID)
        else { return nil }
        return WebSession(principal: principal, csrfToken: row.string("csrf_token") ?? "",
                          expiresAt: row.date("verloopt_op") ?? at)
    }

    package static func delete(_ db: Connection, token: String) throws {
        try db.run("DELETE FROM sessies WHERE token_hash = ?", [sha256Hex(token)])
    }
}
