import Crypto
import Foundation
import HTTP
import SQLite

extension App {
    /// Runs a write in one transaction, honouring `Idempotency-Key`: a retry with the same key and
    /// the same request gets the first response back and creates nothing; the same key with another
    /// request is a 422. The stored response commits together with the write it describes.
    func idempotent(_ request: HTTPRequest, _ principal: Principal,
                    _ operation: @escaping (Connection) throws -> HTTPResponse) throws -> HTTPResponse {
        guard let key = request.headers["Idempotency-Key"] else { return try write(operation) }
        guard !key.isEmpty, key.utf8.count <= 255 else {
            throw Problem.invalid([InvalidParam(name: "Idempotency-Key", reason: "moet 1 tot 255 tekens lang zijn")])
        }
        let hash = requestHash(request)
        let now = clock.now()
        return try write { db in
            switch try IdempotencyStore.lookup(db, codeID: principal.codeID, key: key, requestHash: hash) {
            case .replay(let stored):
                var response = HTTPResponse(status: stored.status, headers: HTTPHeaders(stored.headers.compactMap {
                    $0.count == 2 ? ($0[0], $0[1]) : nil
                }), body: .bytes(stored.body))
                response.headers.set("Idempotent-Replayed", "true")
                return response
            case .conflict:
                throw Problem.invalid([InvalidParam(name: "Idempotency-Key",
                                                    reason: "deze sleutel is al gebruikt voor een ander verzoek")],
                                      detail: "Dezelfde Idempotency-Key met een andere inhoud.")
            case .new:
                let response = try operation(db)
                if (200..<300).contains(response.status), case .bytes(let body) = response.body {
                    let stored = StoredResponse(status: response.status,
                                                headers: response.headers.map { [$0.name, $0.value] }, body: body)
                    try IdempotencyStore.save(db, codeID: principal.codeID, key: key, requestHash: hash,
                                              response: stored, at: now)
                }
                return response
            }
        }
    }

    /// What makes two requests "the same" for idempotency: method, path, media type and body bytes.
    private func requestHash(_ request: HTTPRequest) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue)\n\(request.path)\n\(request.headers["Content-Type"] ?? "")\n".utf8))
        hasher.update(data: request.body)
        return Hex.encode(hasher.finalize())
    }
}
