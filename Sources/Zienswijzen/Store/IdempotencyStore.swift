import Foundation
import SQLite

/// A response kept for `Idempotency-Key` replays.
package struct StoredResponse: Sendable, Equatable {
    package var status: Int
    package var headers: [[String]]
    package var body: [UInt8]
}

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
        guard row.string("verzoek_hash") == requestHash else { return .conflict }
        let headerText = row.string("headers") ?? "[]"
        let headers = (try? JSONDecoder().decode([[String]].self, from: Data(headerText.utf8))) ?? []
        return .replay(StoredResponse(status: Int(row.int("status") ?? 500), headers: headers, body: row.bytes("body") ?? []))
    }

    package static func save(
        _ db: Connection, codeID: Int64, key: String, requestHash: String, response: StoredResponse, at: Date
    ) throws {
        let headers = String(decoding: (try? JSONEncoder().encode(response.headers)) ?? Data("[]".utf8), as: UTF8.self)
        try db.run("""
            INSERT INTO idempotentie (toegangscode_id, sleutel, verzoek_hash, status, headers, body, aangemaakt_op)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [codeID, key, requestHash, response.status, headers, response.body, at])
    }
}
