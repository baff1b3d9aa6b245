import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// Reminders sent in one scheduling step: for each consultation and step, the gemeenten reminded.
package struct ReminderRun: Sendable, Equatable {
    package var raadpleging: String
    package var stap: Int
    package var gemeenten: [String]

    package init(raadpleging: String, stap: Int, gemeenten: [String]) {
        self.raadpleging = raadpleging
        self.stap = stap
        self.gemeenten = gemeenten
    }
}

extension Operations {
    /// One step of the reminder scheduler at `now` (the worker passes its clock's time; the
    /// `reminders run --at` command any time): for each open consultation with a deadline, every
    /// gemeente without a current zienswijze (none, or withdrawn) whose griffie codes have e-mail
    /// addresses and that reached a step of the schedule not reached before gets one reminder
    /// (for the nearest step) at each address, and every step it reached is recorded, so no step
    /// is ever sent twice, also across restarts. Nothing happens without mail configuration,
    /// after the deadline, or for a closed consultation. A gemeente without an address is left
    /// unrecorded, so a reminder still goes once an address is known.
    @discardableResult
    package func scheduleReminders(at now: Date) throws -> [ReminderRun] {
        guard notifications.mailConfigured else { return [] }
        var runs: [ReminderRun] = []
        for raadpleging in try read({ try RaadplegingStore.all($0) }) {
            guard raadpleging.status == .open, let deadline = raadpleging.deadline, now <= deadline,
                  !raadpleging.herinneringen.days.isEmpty else { continue }
            // A cheap look first; the write below decides again inside its transaction.
            let anyDue = try read { db -> Bool in
                guard let overview = try StatusStore.overview(db, raadpleging: raadpleging.id) else { return false }
                let done = try ReminderStore.done(db, raadpleging: raadpleging.id)
                return overview.gemeenten.contains { line in
                    (line.state == .ontbreekt || line.state == .ingetrokken)
                        && !raadpleging.herinneringen.due(deadline: deadline, now: now, done: done[line.gemeente.code] ?? []).reached.isEmpty
                }
            }
            guard anyDue else { continue }
            runs += try write(priority: .background) { db in try remind(db, raadpleging.id, deadline: deadline, now: now) }
        }
        if !runs.isEmpty { outboxBell.ring() }
        return runs
    }

    private func remind(_ db: Connection, _ id: String, deadline: Date, now: Date) throws -> [ReminderRun] {
        guard let overview = try StatusStore.overview(db, raadpleging: id) else { return [] }
        let raadpleging = overview.raadpleging
        guard raadpleging.status == .open, raadpleging.deadline == deadline else { return [] }
        let done = try ReminderStore.done(db, raadpleging: id)
        var sent: [Int: [String]] = [:]
        for line in overview.gemeenten where line.state == .ontbreekt || line.state == .ingetrokken {
            let code = line.gemeente.code
            let (send, reached) = raadpleging.herinneringen.due(deadline: deadline, now: now, done: done[code] ?? [])
            guard let send, !reached.isEmpty else { continue }
            let addresses = try ToegangscodeStore.griffieAddresses(db, gemeente: code)
            guard !addresses.isEmpty else { continue }
            for stap in reached {
                try ReminderStore.record(db, raadpleging: id, gemeente: code, stap: stap, deadline: deadline,
                                         sent: stap == send, at: now)
            }
            for address in addresses {
                guard let context = mailContext(now) else { continue }
                let message = MailTexts.reminder(gemeente: line.gemeente, raadpleging: raadpleging, deadline: deadline,
                                                 now: now, to: MailAddress(address), context: context)
                try OutboxStore.insert(db, .email(message, soort: Berichtsoort.herinnering, onderwerp: code), at: clock.now())
            }
            sent[send, default: []].append(code)
        }
        let runs = sent.keys.sorted(by: >).map { ReminderRun(raadpleging: id, stap: $0, gemeenten: sent[$0] ?? []) }
        for run in runs {
            try audit(db, AuditRecord(.herinneringenVerstuurd, by: .system, at: clock.now(), onderwerp: id,
                                      details: "\(run.stap) dagen voor de deadline: \(run.gemeenten.joined(separator: ","))"))
        }
        return runs
    }
}
