import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// An `Idempotency-Key` on a write: the key, a hash of the request that brought it (what makes
/// two requests "the same" is the edge's to say), and how to record the answer for a replay.
package struct IdempotencyRequest<Result> {
    package var codeID: Int64
    package var key: String
    package var requestHash: String
    /// The answer the edge will send for `Result`, kept to replay; nil keeps nothing.
    package var record: (Result) -> StoredResponse?

    package init(codeID: Int64, key: String, requestHash: String, record: @escaping (Result) -> StoredResponse?) {
        self.codeID = codeID
        self.key = key
        self.requestHash = requestHash
        self.record = record
    }
}

/// The outcome of a write that may carry an idempotency key.
package enum Replayable<Result> {
    /// Done now; `response` is what was recorded for replays (nil without a key).
    case done(Result, response: StoredResponse?)
    /// The same key and request came before: nothing was done; this is the first answer.
    case replayed(StoredResponse)
}

extension Operations {
    /// Runs `perform` in `db`'s transaction, unless the key was seen: the same request gets the
    /// first answer back, another request with the key is refused (422). The recorded answer
    /// commits with the write it describes.
    func idempotent<Result>(
        _ db: Connection, _ request: IdempotencyRequest<Result>?, at now: Date, _ perform: () throws -> Result
    ) throws -> Replayable<Result> {
        guard let request else { return .done(try perform(), response: nil) }
        switch try IdempotencyStore.lookup(db, codeID: request.codeID, key: request.key, requestHash: request.requestHash) {
        case .replay(let stored):
            return .replayed(stored)
        case .conflict:
            throw Refusal.invalid([InvalidParam(name: "Idempotency-Key", reason: "deze sleutel is al gebruikt voor een ander verzoek")],
                                  detail: "Dezelfde Idempotency-Key met een andere inhoud.")
        case .new:
            let result = try perform()
            let response = request.record(result)
            if let response {
                try IdempotencyStore.save(db, codeID: request.codeID, key: request.key, requestHash: request.requestHash,
                                          response: response, at: now)
            }
            return .done(result, response: response)
        }
    }
}
