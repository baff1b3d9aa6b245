import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// The answer to one gemeente's zienswijze as a reader sees it: the gemeente, its current version
/// (nil when it never submitted), the answer (nil when none was written, or a draft the reader may
/// not see) and the reactienota's state.
package struct Beantwoording: Sendable, Equatable {
    package var raadpleging: Raadpleging
    package var gemeente: Gemeente
    package var versie: Versie?
    package var reactie: Reactie?
    package var nota: Reactienota

    /// The answer was written for a version older than the current one.
    package var answersOlderVersion: Bool {
        guard let reactie, let versie else { return false }
        return reactie.beantwoordtVersie < versie.versie
    }
}

/// Everything the reactienota shows: the consultation, the nota's state, and for every invited
/// gemeente with a current zienswijze (not withdrawn) that version and its answer, by name.
package struct ReactienotaInhoud: Sendable {
    package var raadpleging: Raadpleging
    package var nota: Reactienota
    package var regels: [(gemeente: Gemeente, versie: Versie, reactie: Reactie?)]

    /// The reactienota as both its formats show it (the ODT and the printable page).
    package var document: ReactienotaDocument { ReactienotaDocument(raadpleging, nota: nota, regels: regels) }
}

/// Answers to the zienswijzen and the reactienota (issue 15). Coordinators write the answers as
/// drafts; vaststellen freezes them (and lets griffies read their own), heropenen thaws them.
/// Every change is audited in its transaction.
extension Operations {
    /// Writes (or replaces) the answer to the current zienswijze of `gemeente`. Refused with 409
    /// while the reactienota is vastgesteld, for an archived consultation, or when the gemeente
    /// has no current zienswijze (none, or withdrawn); 422 when a reaction names a theme the
    /// version has no remark on.
    package func answer(_ input: ReactieInput, raadpleging id: String, gemeente: String, by actor: Actor) throws -> Beantwoording {
        try actor.requireCoordinator()
        let now = clock.now()
        return try write { db in
            let raadpleging = try existing(db, raadpleging: id, gemeente: gemeente, by: actor)
            if raadpleging.status == .gearchiveerd { throw Refusal.conflict(.archived) }
            let nota = try ReactieStore.nota(db, raadpleging: id)
            if nota.isVastgesteld { throw Refusal.conflict(.reactienotaVastgesteld) }
            guard let versie = try VersieStore.current(db, raadpleging: id, gemeente: gemeente), versie.status != .ingetrokken
            else { throw Refusal.conflict(.noZienswijze) }
            let problems = ReactieRules.problems(input, answering: versie)
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            let reactie = Reactie(raadpleging: id, gemeente: gemeente, beantwoordtVersie: versie.versie, algemeen: input.algemeen,
                                  opmerkingen: input.opmerkingen, gewijzigdOp: now)
            try ReactieStore.replace(db, reactie)
            try audit(db, AuditRecord(.reactieGewijzigd, by: actor, at: now, onderwerp: "\(id)/\(gemeente)",
                                      details: "versie \(versie.versie), \(input.opmerkingen.count) opmerking(en)"))
            guard let found = try GemeenteStore.find(db, code: gemeente) else { throw Refusal.notFound(.gemeente) }
            return Beantwoording(raadpleging: raadpleging, gemeente: found, versie: versie, reactie: reactie, nota: nota)
        }
    }

    /// The answer to `gemeente`'s zienswijze as `actor` may see it: coordinators always (a draft
    /// too); the gemeente's griffie only once the reactienota is vastgesteld (before that its
    /// `reactie` is nil); another gemeente's griffie gets 403.
    package func beantwoording(raadpleging id: String, gemeente: String, by actor: Actor) throws -> Beantwoording {
        try actor.requireReader(of: gemeente)
        return try read { db in
            let raadpleging = try existing(db, raadpleging: id, gemeente: gemeente, by: actor)
            guard let found = try GemeenteStore.find(db, code: gemeente) else { throw Refusal.notFound(.gemeente) }
            let nota = try ReactieStore.nota(db, raadpleging: id)
            let visible = actor.isCoordinator || nota.isVastgesteld
            return Beantwoording(raadpleging: raadpleging, gemeente: found,
                                 versie: try VersieStore.current(db, raadpleging: id, gemeente: gemeente),
                                 reactie: visible ? try ReactieStore.find(db, raadpleging: id, gemeente: gemeente) : nil, nota: nota)
        }
    }

    /// How far the answers are: every invited gemeente with a current zienswijze, answered or not.
    package func reactieVoortgang(raadpleging id: String, by actor: Actor) throws -> ReactieVoortgang {
        try actor.requireCoordinator()
        return try read { db in
            let inhoud = try reactienotaInhoud(db, id: id, by: actor)
            return ReactieVoortgang(raadpleging: id, uitgenodigd: inhoud.raadpleging.uitgenodigd.count,
                                    regels: inhoud.regels.map { .init(gemeente: $0.gemeente, versie: $0.versie.versie,
                                                                      beantwoordtVersie: $0.reactie?.beantwoordtVersie) },
                                    nota: inhoud.nota)
        }
    }

    /// The state of the reactienota (coordinators only).
    package func reactienota(raadpleging id: String, by actor: Actor) throws -> Reactienota {
        try actor.requireCoordinator()
        return try read { db in
            _ = try visibleRaadpleging(db, id: id, by: actor)
            return try ReactieStore.nota(db, raadpleging: id)
        }
    }

    /// Everything the reactienota document shows (coordinators only).
    package func reactienotaInhoud(raadpleging id: String, by actor: Actor) throws -> ReactienotaInhoud {
        try actor.requireCoordinator()
        return try read { db in try reactienotaInhoud(db, id: id, by: actor) }
    }

    /// Marks the reactienota vastgesteld by the RBO on `rboDatum`: the answers freeze and griffies
    /// can read theirs; the event `reactienota-vastgesteld` goes into the outbox in the same
    /// transaction. 409 when it is vastgesteld already, or while a current zienswijze has no
    /// answer to that version (the names are in the detail); 422 for an implausible date.
    package func vaststellen(raadpleging id: String, rboDatum: LocalDate, by actor: Actor) throws -> Reactienota {
        try actor.requireCoordinator()
        guard PlausibleDates.contains(rboDatum) else {
            throw Refusal.invalid([InvalidParam(name: "rboDatum", reason: PlausibleDates.reason)])
        }
        let now = clock.now()
        defer { outboxBell.ring() }  // after the COMMIT: the worker wakes for the new entries
        return try write { db in
            let inhoud = try reactienotaInhoud(db, id: id, by: actor)
            if inhoud.nota.isVastgesteld { throw Refusal.conflict(.reactienotaVastgesteld) }
            let unanswered = inhoud.regels.filter { ($0.reactie?.beantwoordtVersie ?? 0) < $0.versie.versie }
            if !unanswered.isEmpty { throw Refusal.conflict(.unanswered(unanswered.map(\.gemeente.naam))) }
            let nota = Reactienota(raadpleging: id, status: .vastgesteld, rboDatum: rboDatum,
                                   vastgesteldOp: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
            try ReactieStore.setNota(db, nota)
            try audit(db, AuditRecord(.reactienotaVastgesteld, by: actor, at: now, onderwerp: id,
                                      details: "rboDatum=\(rboDatum.iso), \(inhoud.regels.count) reactie(s)"))
            try enqueue(db, .raadpleging(.reactienotaVastgesteld, inhoud.raadpleging, at: now))
            return nota
        }
    }

    /// Reopens a vastgestelde reactienota: the answers are drafts again and griffies no longer see
    /// them. 409 when it is a concept.
    package func heropenen(raadpleging id: String, by actor: Actor) throws -> Reactienota {
        try actor.requireCoordinator()
        let now = clock.now()
        return try write { db in
            _ = try visibleRaadpleging(db, id: id, by: actor)
            let current = try ReactieStore.nota(db, raadpleging: id)
            guard current.isVastgesteld else { throw Refusal.conflict(.reactienotaConcept) }
            let nota = Reactienota(raadpleging: id)
            try ReactieStore.setNota(db, nota)
            try audit(db, AuditRecord(.reactienotaHeropend, by: actor, at: now, onderwerp: id,
                                      details: "was vastgesteld op rboDatum=\(current.rboDatum?.iso ?? "")"))
            return nota
        }
    }

    func reactienotaInhoud(_ db: Connection, id: String, by actor: Actor) throws -> ReactienotaInhoud {
        let raadpleging = try visibleRaadpleging(db, id: id, by: actor)
        let invited = Set(raadpleging.uitgenodigd)
        let reacties = try ReactieStore.all(db, raadpleging: id)
        var gemeenten: [String: Gemeente] = [:]
        for gemeente in try GemeenteStore.invited(db, raadpleging: id) { gemeenten[gemeente.code] = gemeente }
        let regels = try VersieStore.currentOfAll(db, raadpleging: id).compactMap { versie -> (Gemeente, Versie, Reactie?)? in
            guard invited.contains(versie.gemeente), versie.status != .ingetrokken, let gemeente = gemeenten[versie.gemeente]
            else { return nil }
            return (gemeente, versie, reacties[versie.gemeente])
        }
        return ReactienotaInhoud(raadpleging: raadpleging, nota: try ReactieStore.nota(db, raadpleging: id),
                                 regels: regels.map { (gemeente: $0.0, versie: $0.1, reactie: $0.2) })
    }
}
