import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

extension Operations {
    /// Changes a consultation: its settings (titel, omschrijving, deadline, RBO date,
    /// raadsbesluitVerplicht), its status, its themes and the gemeenten it invites. Dates must lie
    /// in `PlausibleDates.years`. Every aspect that changes gets its audit row, all in one
    /// transaction.
    ///
    /// What may change depends on the status (`checkAllowed`): once a consultation was opened,
    /// nothing may change that could invalidate a submission. Themes can still be added, retitled
    /// and reordered, and removed when no remark names them; gemeenten can be invited but not
    /// uninvited; whether the council decision is required is fixed. An archived consultation is
    /// read-only until it is brought back as closed. Closing makes every further version a 409;
    /// reopening undoes that.
    package func change(raadpleging id: String, _ requested: RaadplegingChange, by actor: Actor) throws -> Raadpleging {
        try actor.requireCoordinator()
        let change = Self.normalized(requested)
        if change.isEmpty {
            throw Refusal.invalid([], detail: "Geef ten minste één veld om te wijzigen: titel, omschrijving, deadline, "
                                  + "rboVergadering, status, raadsbesluitVerplicht, themas, uitgenodigdeGemeenten of herinneringen.")
        }
        var problems: [InvalidParam] = []
        if case .some(.some(let deadline)) = change.deadline, !PlausibleDates.contains(deadline) {
            problems.append(InvalidParam(name: "deadline", reason: PlausibleDates.reason))
        }
        if case .some(.some(let date)) = change.rboVergadering, !PlausibleDates.contains(date) {
            problems.append(InvalidParam(name: "rboVergadering", reason: PlausibleDates.reason))
        }
        if let titel = change.titel { problems += RaadplegingRules.titelProblems(titel) }
        if let omschrijving = change.omschrijving { problems += RaadplegingRules.omschrijvingProblems(omschrijving) }
        if let themas = change.themas { problems += RaadplegingRules.themaProblems(themas) }
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        let now = clock.now()
        defer { outboxBell.ring() }  // after the COMMIT: the worker wakes for the new entries
        return try write { db in
            guard let current = try RaadplegingStore.find(db, id: id) else { throw Refusal.notFound(.raadpleging) }
            try checkAllowed(db, current, change)
            try RaadplegingStore.update(db, id: id, change: change)
            if change.changesSettings {
                try audit(db, AuditRecord(.raadplegingGewijzigd, by: actor, at: now, onderwerp: id, details: change.auditText))
            }
            if let themas = change.themas {
                let diff = ThemaDiff(from: current.themas, to: themas)
                if !diff.isEmpty {
                    try RaadplegingStore.replaceThemas(db, id: id, themas: themas)
                    try audit(db, AuditRecord(.themasGewijzigd, by: actor, at: now, onderwerp: id, details: diff.auditText))
                }
            }
            if let codes = change.uitgenodigd {
                let added = Set(codes).subtracting(current.uitgenodigd).sorted()
                let removed = Set(current.uitgenodigd).subtracting(codes).sorted()
                if !added.isEmpty || !removed.isEmpty {
                    try RaadplegingStore.setInvitations(db, id: id, gemeenten: codes)
                    try audit(db, AuditRecord(.uitnodigingenGewijzigd, by: actor, at: now, onderwerp: id,
                                              details: (added.map { "+\($0)" } + removed.map { "-\($0)" }).joined(separator: " ")))
                }
            }
            guard let updated = try RaadplegingStore.find(db, id: id) else { throw Refusal.notFound(.raadpleging) }
            if change.status == .open, updated.uitgenodigd.isEmpty {
                throw Refusal.invalid([InvalidParam(name: "uitgenodigdeGemeenten", reason: "nodig ten minste één gemeente uit voordat u de raadpleging opent")])
            }
            // Griffies and subscribers hear of what concerns them: nothing of a concept.
            if updated.status.wasOpened, updated.deadline != current.deadline {
                try enqueue(db, .raadpleging(.deadlineGewijzigd, updated, at: now))
            }
            switch (current.status, updated.status) {
            case (.open, .gesloten): try enqueue(db, .raadpleging(.raadplegingGesloten, updated, at: now))
            case (.gesloten, .open): try enqueue(db, .raadpleging(.raadplegingHeropend, updated, at: now))
            default: break
            }
            return updated
        }
    }

    /// Titles trimmed; lists as given (a gemeente named twice counts once).
    static func normalized(_ change: RaadplegingChange) -> RaadplegingChange {
        var change = change
        change.titel = change.titel?.trimmingWhitespace
        change.themas = change.themas?.map { Thema(code: $0.code, titel: $0.titel.trimmingWhitespace, samenvatting: $0.samenvatting) }
        change.uitgenodigd = change.uitgenodigd.map { codes in
            var seen = Set<String>()
            return codes.filter { seen.insert($0).inserted }
        }
        return change
    }

    /// The rules of `change` on `current`: 409 for what the status does not allow, 422 for a
    /// gemeente that cannot be invited.
    private func checkAllowed(_ db: Connection, _ current: Raadpleging, _ change: RaadplegingChange) throws {
        var others = change
        others.status = nil
        if current.status == .gearchiveerd, change.status != .gesloten, !others.isEmpty { throw Refusal.conflict(.archived) }
        if let status = change.status, !current.status.mayBecome(status) {
            throw Refusal.conflict(.transition(current.status, status))
        }
        if current.status.wasOpened {
            if let verplicht = change.raadsbesluitVerplicht, verplicht != current.raadsbesluitVerplicht {
                throw Refusal.conflict(.fixedAfterOpening("raadsbesluitVerplicht"))
            }
            if let codes = change.uitgenodigd {
                let removed = current.uitgenodigd.filter { !codes.contains($0) }
                if !removed.isEmpty {
                    throw Refusal.conflict(.invitationFixed(try removed.map { try GemeenteStore.find(db, code: $0)?.naam ?? $0 }))
                }
            }
        }
        if let themas = change.themas {
            let inUse = try RaadplegingStore.themasWithRemarks(db, id: current.id)
            let removed = current.themas.filter { thema in !themas.contains { $0.code == thema.code } && inUse.contains(thema.code) }
            if !removed.isEmpty { throw Refusal.conflict(.themaInUse(removed.map(\.titel))) }
        }
        if let codes = change.uitgenodigd {
            let problems = try invitationProblems(db, codes: codes, alreadyInvited: Set(current.uitgenodigd),
                                                  createdOn: AmsterdamTime.today(current.aangemaaktOp))
            if !problems.isEmpty { throw Refusal.invalid(problems) }
        }
    }

    /// Why gemeenten cannot be invited to a consultation created on `createdOn`: unknown codes,
    /// and gemeenten merged by then (unless they were invited already, before the merger was known).
    func invitationProblems(_ db: Connection, codes: [String], alreadyInvited: Set<String> = [],
                            createdOn: LocalDate) throws -> [InvalidParam] {
        var problems: [InvalidParam] = []
        for (n, code) in codes.enumerated() where !alreadyInvited.contains(code) {
            let name = "uitgenodigdeGemeenten[\(n)]"
            guard let gemeente = try GemeenteStore.find(db, code: code) else {
                problems.append(InvalidParam(name: name, reason: "onbekende gemeentecode \(code)"))
                continue
            }
            if !gemeente.isActive(on: createdOn), let into = gemeente.samengevoegdIn, let date = gemeente.samengevoegdOp {
                problems.append(InvalidParam(name: name, reason: "\(gemeente.naam) is per \(date.iso) samengevoegd in \(into) "
                                             + "en kan niet worden uitgenodigd voor een raadpleging van na die datum"))
            }
        }
        return problems
    }
}
