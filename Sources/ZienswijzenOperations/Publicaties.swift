import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// Publishing the result (issue 15): an explicit, audited act of a coordinator that stores a
/// snapshot of exactly what is public, once the reactienota is vastgesteld; withdrawable.
extension Operations {
    /// Publishes (or publishes again, replacing) the snapshot of the consultation's result. 409
    /// while the reactienota is not vastgesteld.
    package func publish(raadpleging id: String, by actor: Actor) throws -> Publicatie {
        try actor.requireCoordinator()
        let now = clock.now()
        defer { outboxBell.ring() }  // after the COMMIT: the worker wakes for the new entries
        return try write { db in
            let inhoud = try reactienotaInhoud(db, id: id, by: actor)
            guard inhoud.nota.isVastgesteld else { throw Refusal.conflict(.reactienotaConcept) }
            let at = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            let publicatie = Publicatie(raadpleging: id, inhoud: Publicatie.snapshot(inhoud.raadpleging, nota: inhoud.nota,
                                                                                     regels: inhoud.regels, at: at),
                                        gepubliceerdOp: at)
            try PublicatieStore.replace(db, publicatie)
            try audit(db, AuditRecord(.publicatieGepubliceerd, by: actor, at: now, onderwerp: id,
                                      details: "\(inhoud.regels.count) gemeente(n)"))
            try enqueue(db, .raadpleging(.resultaatGepubliceerd, inhoud.raadpleging, at: now))
            return publicatie
        }
    }

    /// Withdraws the publication; 404 when there is none.
    package func withdrawPublication(raadpleging id: String, by actor: Actor) throws {
        try actor.requireCoordinator()
        let now = clock.now()
        try write { db in
            _ = try visibleRaadpleging(db, id: id, by: actor)
            guard try PublicatieStore.delete(db, raadpleging: id) else { throw Refusal.notFound(.publicatie) }
            try audit(db, AuditRecord(.publicatieIngetrokken, by: actor, at: now, onderwerp: id))
        }
    }

    /// The publication, for anyone; 404 when the consultation is not visible or nothing is published.
    package func publicatie(raadpleging id: String, by actor: Actor? = nil) throws -> Publicatie {
        try read { db in
            _ = try visibleRaadpleging(db, id: id, by: actor)
            guard let publicatie = try PublicatieStore.find(db, raadpleging: id) else { throw Refusal.notFound(.publicatie) }
            return publicatie
        }
    }
}
