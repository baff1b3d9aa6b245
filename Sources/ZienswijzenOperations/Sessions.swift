import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// A web login that succeeded: the token for the session cookie, and who logged in.
package struct Login: Sendable {
    package var token: String
    package var principal: Principal
}

extension Operations {
    /// Logs in with a typed access code through the web form: a new session. An unknown code is
    /// refused and audited (without the code), with 429 once its address has failed too often; a
    /// valid code always logs in.
    package func login(typedCode: String, by actor: Actor) throws -> Login {
        let now = clock.now()
        guard let principal = try read({ try ToegangscodeStore.principal($0, typedCode: typedCode) }) else {
            throw failure(address: actor.address, path: "/inloggen",
                          reason: "onbekende of ingetrokken toegangscode (inlogformulier)", .unknownOrRevoked, now)
        }
        let signedIn = Actor(.code(principal), address: actor.address, channel: .web)
        let token = try write { db in
            let token = try SessionStore.create(db, codeID: principal.codeID, at: now)
            try audit(db, AuditRecord(.ingelogd, by: signedIn, at: now, onderwerp: "sessie"))
            return token
        }
        noteUse(of: principal, at: now)
        return Login(token: token, principal: principal)
    }

    /// Ends the session of `token`.
    package func logout(token: String, by actor: Actor) throws {
        let now = clock.now()
        try write { db in
            try SessionStore.delete(db, token: token)
            try audit(db, AuditRecord(.uitgelogd, by: actor, at: now, onderwerp: "sessie"))
        }
    }

    /// The live session of a cookie token whose code is not revoked, or nil.
    package func session(token: String) -> Session? {
        let now = clock.now()
        do {
            guard let session = try read({ try SessionStore.find($0, token: token, at: now) }) else { return nil }
            noteUse(of: session.principal, at: now)
            return session
        } catch {
            logger.error("session lookup failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
