import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

extension Operations {
    /// The principal behind an `Authorization: Bearer <code>` header value. A missing header, an
    /// other scheme, an unknown or revoked code is refused (and, except for a missing header,
    /// audited without the code); an address with too many failures is throttled.
    package func authenticate(authorization header: String?, address: String, path: String) throws -> Principal {
        let now = clock.now()
        if let wait = throttle.retryAfter(address: address, now: now) { throw Refusal.throttled(retryAfter: wait) }
        guard let header else { throw Refusal.unauthenticated(.missing) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            recordFailedAuthentication(address: address, onderwerp: path, reason: "geen Bearer-schema")
            throw Refusal.unauthenticated(.notBearer)
        }
        guard let principal = try read({ try ToegangscodeStore.principal($0, typedCode: String(parts[1])) }) else {
            recordFailedAuthentication(address: address, onderwerp: path, reason: "onbekende of ingetrokken toegangscode")
            throw Refusal.unauthenticated(.unknownOrRevoked)
        }
        noteUse(of: principal, at: now)
        return principal
    }

    /// A failed authentication: counted by the throttle and the metrics hook, and audited.
    func recordFailedAuthentication(address: String, onderwerp: String, reason: String) {
        let now = clock.now()
        throttle.recordFailure(address: address, now: now)
        authenticationFailures.increment()
        do {
            try write { db in
                try audit(db, AuditRecord(.authenticatieMislukt, by: Actor(.anonymous, address: address, channel: .api),
                                          at: now, onderwerp: onderwerp, details: reason))
            }
        } catch {
            logger.error("audit write failed", metadata: ["error": "\(error)"])
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
