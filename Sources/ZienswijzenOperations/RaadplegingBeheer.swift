import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// What a copy of a consultation gets of its own: everything else (themes, settings, invited
/// gemeenten) comes from the consultation it copies.
package struct RaadplegingKopie: Sendable, Equatable {
    package var id: String
    package var titel: String
    /// Nil: the source's description.
    package var omschrijving: String?

    package init(id: String, titel: String, omschrijving: String? = nil) {
        self.id = id
        self.titel = titel
        self.omschrijving = omschrijving
    }
}

extension Operations {
    /// Creates a consultation as a `concept`, invisible to griffies until it is opened. Without a
    /// list of gemeenten it invites every gemeente that is active in the register today.
    package func createRaadpleging(_ requested: RaadplegingDraft, by actor: Actor) throws -> Raadpleging {
        try actor.requireCoordinator()
        var draft = requested
        draft.titel = draft.titel.trimmingWhitespace
        draft.themas = draft.themas.map { Thema(code: $0.code, titel: $0.titel.trimmingWhitespace, samenvatting: $0.samenvatting) }
        let problems = RaadplegingRules.draftProblems(draft)
        let now = clock.now()
        return try write { db in
            let today = AmsterdamTime.today(now)
            var all = problems
            if let codes = draft.uitgenodigd { all += try invitationProblems(db, codes: codes, createdOn: today) }
            guard all.isEmpty else { throw Refusal.invalid(all) }
            if try RaadplegingStore.exists(db, id: draft.id) { throw Refusal.conflict(.raadplegingExists) }
            let invited = try draft.uitgenodigd ?? GemeenteStore.all(db).filter { $0.isActive(on: today) }.map(\.code)
            let raadpleging = Raadpleging(
                id: draft.id, titel: draft.titel, deadline: draft.deadline, rboVergadering: draft.rboVergadering, status: .concept,
                themas: draft.themas, omschrijving: draft.omschrijving, raadsbesluitVerplicht: draft.raadsbesluitVerplicht,
                aangemaaktOp: now, uitgenodigd: Array(Set(invited)).sorted())
            try RaadplegingStore.insert(db, raadpleging)
            try audit(db, AuditRecord(.raadplegingAangemaakt, by: actor, at: now, onderwerp: draft.id,
                                      details: "titel=\(draft.titel) themas=\(draft.themas.count) gemeenten=\(raadpleging.uitgenodigd.count)"))
            return try RaadplegingStore.find(db, id: draft.id) ?? raadpleging
        }
    }

    /// Starts the next consultation from `source`: a new concept with the source's themes, its
    /// description (unless `kopie` gives one) and whether the council decision is required, and
    /// the gemeenten it invited as the register stands today: a gemeente that merged since is
    /// replaced by the gemeente it merged into. Deadline, RBO date and documents belong to one
    /// round and are not copied.
    package func copyRaadpleging(_ source: String, as kopie: RaadplegingKopie, by actor: Actor) throws -> Raadpleging {
        try actor.requireCoordinator()
        let titel = kopie.titel.trimmingWhitespace
        var problems: [InvalidParam] = []
        if !RaadplegingRules.isValidID(kopie.id) { problems.append(InvalidParam(name: "id", reason: RaadplegingRules.idReason)) }
        problems += RaadplegingRules.titelProblems(titel)
        if let omschrijving = kopie.omschrijving { problems += RaadplegingRules.omschrijvingProblems(omschrijving) }
        let now = clock.now()
        return try write { db in
            guard let original = try RaadplegingStore.find(db, id: source) else { throw Refusal.notFound(.raadpleging) }
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            if try RaadplegingStore.exists(db, id: kopie.id) { throw Refusal.conflict(.raadplegingExists) }
            let register = Dictionary(try GemeenteStore.all(db).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            let today = AmsterdamTime.today(now)
            let invited = Set(original.uitgenodigd.compactMap { Self.successor(of: $0, in: register, on: today) })
            let raadpleging = Raadpleging(
                id: kopie.id, titel: titel, deadline: nil, rboVergadering: nil, status: .concept, themas: original.themas,
                omschrijving: kopie.omschrijving ?? original.omschrijving, raadsbesluitVerplicht: original.raadsbesluitVerplicht,
                aangemaaktOp: now, uitgenodigd: invited.sorted())
            try RaadplegingStore.insert(db, raadpleging)
            try audit(db, AuditRecord(.raadplegingGekopieerd, by: actor, at: now, onderwerp: kopie.id,
                                      details: "van=\(source) titel=\(titel) themas=\(raadpleging.themas.count) gemeenten=\(invited.count)"))
            return try RaadplegingStore.find(db, id: kopie.id) ?? raadpleging
        }
    }

    /// The gemeente that stands for `code` on `date`: itself while active, else the gemeente it
    /// merged into (followed through later mergers); nil when the chain ends nowhere.
    static func successor(of code: String, in register: [String: Gemeente], on date: LocalDate) -> String? {
        var current = code
        for _ in 0..<20 {
            guard let gemeente = register[current] else { return nil }
            if gemeente.isActive(on: date) { return current }
            guard let next = gemeente.samengevoegdIn else { return nil }
            current = next
        }
        return nil
    }
}

extension Operations {
    /// The theme codes of the consultation that stored remarks name (those cannot be removed).
    package func themasInUse(raadpleging id: String, by actor: Actor) throws -> Set<String> {
        try actor.requireCoordinator()
        return try read { try RaadplegingStore.themasWithRemarks($0, id: id) }
    }
}
