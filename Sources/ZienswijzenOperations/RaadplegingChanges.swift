import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

extension Operations {
    /// Changes a consultation's deadline, RBO date or status (closing it makes every further
    /// version a 409; reopening undoes that). Dates must lie in `PlausibleDates.years`.
    package func change(raadpleging id: String, _ change: RaadplegingChange, by actor: Actor) throws -> Raadpleging {
        try actor.requireCoordinator()
        var problems: [InvalidParam] = []
        if case .some(.some(let deadline)) = change.deadline, !PlausibleDates.contains(deadline) {
            problems.append(InvalidParam(name: "deadline", reason: PlausibleDates.reason))
        }
        if case .some(.some(let date)) = change.rboVergadering, !PlausibleDates.contains(date) {
            problems.append(InvalidParam(name: "rboVergadering", reason: PlausibleDates.reason))
        }
        if change.isEmpty {
            throw Refusal.invalid([], detail: "Geef ten minste een van deadline, rboVergadering, status of herinneringen.")
        }
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        let now = clock.now()
        defer { outboxBell.ring() }  // after the COMMIT: the worker wakes for the new entries
        return try write { db in
            guard let before = try RaadplegingStore.find(db, id: id) else { throw Refusal.notFound(.raadpleging) }
            try RaadplegingStore.update(db, id: id, change: change)
            try audit(db, AuditRecord(.raadplegingGewijzigd, by: actor, at: now, onderwerp: id, details: change.auditText))
            guard let updated = try RaadplegingStore.find(db, id: id) else { throw Refusal.notFound(.raadpleging) }
            if updated.deadline != before.deadline {
                try enqueue(db, .raadpleging(.deadlineGewijzigd, updated, at: now))
            }
            if updated.status != before.status {
                try enqueue(db, .raadpleging(updated.status == .gesloten ? .raadplegingGesloten : .raadplegingHeropend, updated, at: now))
            }
            return updated
        }
    }
}
