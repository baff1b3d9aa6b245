import Foundation
import HTTP
import SQLite

extension App {
    /// The principal behind `Authorization: Bearer <code>`. Missing, unknown or revoked codes are
    /// 401 (and audited, without the code); an address with too many failures gets 429.
    package func authenticate(_ request: HTTPRequest) throws(Problem) -> Principal {
        let now = clock.now()
        if let wait = throttle.retryAfter(address: request.remoteAddress, now: now) {
            throw Problem.tooManyRequests(retryAfter: wait)
        }
        guard let header = request.headers["Authorization"] else { throw Problem.unauthenticated() }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            recordFailedAuthentication(request, reason: "geen Bearer-schema")
            throw Problem.unauthenticated()
        }
        let principal: Principal?
        do {
            principal = try db.read { try AccessCodeStore.principal($0, typedCode: String(parts[1])) }
        } catch {
            logger.error("authentication lookup failed", metadata: ["error": "\(error)"])
            throw Problem.internalError
        }
        guard let principal else {
            recordFailedAuthentication(request, reason: "onbekende of ingetrokken toegangscode")
            throw Problem.unauthenticated("De toegangscode is onbekend of ingetrokken.")
        }
        noteUse(of: principal, at: now)
        return principal
    }

    /// Requires a coordinator.
    package func authenticateCoordinator(_ request: HTTPRequest) throws(Problem) -> Principal {
        let principal = try authenticate(request)
        guard principal.role == .coordinator else {
            throw Problem.forbidden("Alleen een coördinator (RSIV) mag dit.")
        }
        return principal
    }

    package func recordFailedAuthentication(_ request: HTTPRequest, reason: String) {
        let now = clock.now()
        throttle.recordFailure(address: request.remoteAddress, now: now)
        metrics.authenticationFailures.increment()
        do {
            try db.write {
                try AuditStore.record($0, at: now, actor: "anoniem", actie: "authenticatie-mislukt",
                                      onderwerp: request.path, details: reason, adres: request.remoteAddress)
            }
        } catch {
            logger.error("audit write failed", metadata: ["error": "\(error)"])
        }
    }

    package func noteUse(of principal: Principal, at now: Date) {
        guard lastUse.shouldWrite(codeID: principal.codeID, now: now) else { return }
        do {
            try db.write { try AccessCodeStore.touch($0, id: principal.codeID, at: now) }
        } catch {
            logger.warning("could not record last use", metadata: ["code": "\(principal.codeID)"])
        }
    }
}
