import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

extension Operations {
    /// The principal behind an `Authorization: Bearer <code>` header value. A missing header, an
    /// other scheme, an unknown or revoked code is refused (and, except for a missing header,
    /// audited without the code); a failure from an address with too many failures is 429. A
    /// valid code is never refused for what others did from the same address.
    package func authenticate(authorization header: String?, address: String, path: String) throws -> Principal {
        let now = clock.now()
        guard let header else { throw Refusal.unauthenticated(.missing) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw failure(address: address, path: path, reason: "geen Bearer-schema", .notBearer, now)
        }
        // The code first: a valid one is served whatever else came from this address.
        guard let principal = try read({ try ToegangscodeStore.principal($0, typedCode: String(parts[1])) }) else {
            throw failure(address: address, path: path, reason: "onbekende of ingetrokken toegangscode", .unknownOrRevoked, now)
        }
        noteUse(of: principal, at: now)
        return principal
    }

    /// The refusal for a failed attempt, which is counted and audited: 429 when the address had
    /// failed too often already, else 401.
    func failure(address: String, path: String, reason: String, _ kind: Refusal.Unauthenticated, _ now: Date) -> Refusal {
        let wait = throttle.retryAfter(address: address, now: now)
        recordFailedAuthentication(address: address, onderwerp: path, reason: reason)
        if let wait { return .throttled(retryAfter: wait) }
        return .unauthenticated(kind)
    }

    /// A failed authentication: counted by the throttle and the metrics, and audited in
    /// aggregate (`FailedAuthentications`: one row per address per minute, no write per request).
    func recordFailedAuthentication(address: String, onderwerp: String, reason: String) {
        let now = clock.now()
        throttle.recordFailure(address: address, now: now)
        authenticationFailures.increment()
        if failedAuthentications.record(address: address, onderwerp: String(onderwerp.prefix(200)), reason: reason, at: now) {
            flushFailedAuthentications()
        }
    }

    /// Writes the code's last use at most once a minute (not one durable write per request).
    func noteUse(of principal: Principal, at now: Date) {
        guard lastUse.shouldWrite(codeID: principal.codeID, now: now) else { return }
        do {
            try write { try ToegangscodeStore.touch($0, id: principal.codeID, at: now) }
        } catch {
            logger.warning("could not record last use", metadata: ["code": "\(principal.codeID)"])
        }
    }
}
