import Foundation
import SQLite
import ZienswijzenDomain

/// The first response to each (access code, key), with a hash of the request that produced it.
package enum IdempotencyStore {
    package enum Lookup: Sendable, Equatable {
        case new
        case replay(StoredResponse)
        /// The key was used before for another request.
        case conflict
    }

    package static func lookup(_ db: Connection, codeID: Int64, key: String, requestHash: String) throws -> Lookup {
        guard let row = try db.queryOne("""
            SELECT verzoek_hash, status, headers, body FROM idempotentie WHERE toegangscode_id = ? AND sleutel = ?
            """, [codeID, key]) else { return .new }
        let c = Columns(row, table: "idempotentie")
        guard try c.text("verzoek_hash") == requestHash else { return .conflict }
        let headers: [[String]]
        do {
            headers = try JSONDecoder().decode([[String]].self, from: Data(try c.text("headers").utf8))
        } catch {
            throw BadRow(table: "idempotentie", column: "headers", found: "text that is not a JSON list of pairs")
        }
        return .replay(StoredResponse(status: Int(try c.int("status")), headers: headers, body: try c.bytes("body")))
    }

    package static func save(
        _ db: Connection, codeID: Int64, key: String, requestHash: String, response: StoredResponse, at: Date
    ) throws {
        let headers = String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self)
        try db.run("""
            INSERT INTO idempotentie (toegangscode_id, sleutel, verzoek_hash, status, headers, body, aangemaakt_op)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [codeID, key, requestHash, response.status, headers, response.body, at])
    }
}
