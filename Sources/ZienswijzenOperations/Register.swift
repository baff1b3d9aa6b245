import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// Changes to the register of gemeenten (municipal mergers happen). Nothing is ever removed: a
/// merged gemeente keeps its versions, attachments and invitations in consultations that ran, and
/// shows in their overviews and exports as before. From the merger's date it cannot take part in a
/// consultation created on or after that date.
extension Operations {
    /// Adds a gemeente to the register. It is invited to consultations created from now on by
    /// default; a coordinator can invite it to an existing one.
    package func addGemeente(_ requested: Gemeente, by actor: Actor) throws -> Gemeente {
        try actor.requireCoordinator()
        let gemeente = Gemeente(code: requested.code, naam: requested.naam.trimmingWhitespace, regio: requested.regio.trimmingWhitespace)
        var problems = RaadplegingRules.gemeenteProblems(gemeente)
        let now = clock.now()
        return try write { db in
            if try GemeenteStore.find(db, code: gemeente.code) != nil { throw Refusal.conflict(.gemeenteExists) }
            let register = try GemeenteStore.all(db)
            if register.contains(where: { $0.naam == gemeente.naam }) {
                problems.append(InvalidParam(name: "naam", reason: "staat al in het register bij een andere code"))
            }
            // The unit's regions are the register's own; a new gemeente lies in one of them.
            let regions = Set(register.map(\.regio)).sorted()
            if !gemeente.regio.isEmpty, !regions.contains(gemeente.regio) {
                problems.append(InvalidParam(name: "regio", reason: "moet een van " + regions.joined(separator: ", ") + " zijn"))
            }
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            try GemeenteStore.insert(db, gemeente)
            try audit(db, AuditRecord(.gemeenteToegevoegd, by: actor, at: now, onderwerp: "gemeente:\(gemeente.code)",
                                      details: "\(gemeente.naam) (\(gemeente.regio))"))
            return gemeente
        }
    }

    /// Records that `code` merged into `into` from `from` (the first day it no longer exists), or,
    /// with both nil, that it did not (to correct a mistake). The gemeente it merged into must be
    /// in the register and not merged itself. Concepts created on or after that day no longer
    /// invite it; consultations that were opened keep their invitations and history.
    package func mergeGemeente(_ code: String, into: String?, from: LocalDate?, by actor: Actor) throws -> Gemeente {
        try actor.requireCoordinator()
        var problems: [InvalidParam] = []
        switch (into, from) {
        case (nil, nil): break
        case (_?, nil): problems.append(InvalidParam(name: "samengevoegdOp", reason: "is verplicht bij samengevoegdIn"))
        case (nil, _?): problems.append(InvalidParam(name: "samengevoegdIn", reason: "is verplicht bij samengevoegdOp"))
        case (let into?, let date?):
            if into == code { problems.append(InvalidParam(name: "samengevoegdIn", reason: "moet een andere gemeente zijn")) }
            if !PlausibleDates.contains(date) { problems.append(InvalidParam(name: "samengevoegdOp", reason: PlausibleDates.reason)) }
        }
        let now = clock.now()
        return try write { db in
            guard try GemeenteStore.find(db, code: code) != nil else { throw Refusal.notFound(.gemeente) }
            if let into, into != code {
                if let target = try GemeenteStore.find(db, code: into) {
                    if target.samengevoegdIn != nil {
                        problems.append(InvalidParam(name: "samengevoegdIn", reason: "\(target.naam) is zelf samengevoegd; kies de gemeente waarin die opging"))
                    }
                } else {
                    problems.append(InvalidParam(name: "samengevoegdIn", reason: "onbekende gemeentecode \(into)"))
                }
            }
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            try GemeenteStore.setMerger(db, code: code, into: into, from: from)
            var details = into.map { "in=\($0) op=\(from?.iso ?? "")" } ?? "samenvoeging ongedaan gemaakt"
            if let from, let start = AmsterdamTime.instant(fromLocal: "\(from.iso)T00:00") {
                let uninvited = try RaadplegingStore.uninviteFromConcepts(db, gemeente: code, createdFrom: start)
                if !uninvited.isEmpty { details += " niet-meer-uitgenodigd=\(uninvited.joined(separator: ","))" }
            }
            try audit(db, AuditRecord(.gemeenteSamengevoegd, by: actor, at: now, onderwerp: "gemeente:\(code)", details: details))
            guard let updated = try GemeenteStore.find(db, code: code) else { throw Refusal.notFound(.gemeente) }
            return updated
        }
    }
}
