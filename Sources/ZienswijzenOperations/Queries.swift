import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// The reads the edges show. Reads of a gemeente's zienswijze check who may see it, as the writes
/// do; the catalogue (gemeenten, consultations) is public.
extension Operations {
    package func gemeenten() throws -> [Gemeente] {
        try read { try GemeenteStore.all($0) }
    }

    package func gemeente(_ code: String) throws -> Gemeente? {
        try read { try GemeenteStore.find($0, code: code) }
    }

    /// The consultations `actor` may see (nil: anyone): concepts only for coordinators.
    package func raadplegingen(by actor: Actor? = nil) throws -> [Raadpleging] {
        try read { try RaadplegingStore.all($0) }.filter { $0.status.isVisibleToGriffies || actor?.isCoordinator == true }
    }

    /// The consultation as `actor` may see it (nil: anyone), or `Refusal.notFound(.raadpleging)`
    /// (also for a concept, unless a coordinator asks).
    package func raadpleging(_ id: String, by actor: Actor? = nil) throws -> Raadpleging {
        try read { try visibleRaadpleging($0, id: id, by: actor) }
    }

    /// The open consultations in which the griffie of `gemeente` takes part, by title.
    package func openRaadplegingen(for gemeente: Gemeente) throws -> [Raadpleging] {
        try raadplegingen().filter { $0.status == .open && $0.invites(gemeente) }.sorted { $0.titel < $1.titel }
    }

    /// Progress against the deadline: every invited gemeente with the state of its current zienswijze.
    package func status(raadpleging id: String, by actor: Actor) throws -> StatusOverview {
        try actor.requireCoordinator()
        guard let overview = try read({ try StatusStore.overview($0, raadpleging: id) }) else {
            throw Refusal.notFound(.raadpleging)
        }
        return overview
    }

    /// The status of every consultation, for the metrics gauges (no actor: nothing personal).
    package func statusOfAll() throws -> [StatusOverview] {
        try read { db in try RaadplegingStore.all(db).compactMap { try StatusStore.overview(db, raadpleging: $0.id) } }
    }

    /// Checks that `actor` may read the zienswijze of `gemeente` in `raadpleging` and that both
    /// exist (and, for a griffie, that its gemeente takes part).
    package func readableRaadpleging(_ id: String, gemeente: String, by actor: Actor) throws -> Raadpleging {
        try actor.requireReader(of: gemeente)
        return try read { db in try existing(db, raadpleging: id, gemeente: gemeente, by: actor) }
    }

    /// The current version, or nil when none was ever submitted.
    package func currentVersie(raadpleging id: String, gemeente: String, by actor: Actor) throws -> Versie? {
        _ = try readableRaadpleging(id, gemeente: gemeente, by: actor)
        return try read { try VersieStore.current($0, raadpleging: id, gemeente: gemeente) }
    }

    /// Every version, oldest first.
    package func versies(raadpleging id: String, gemeente: String, by actor: Actor) throws -> [Versie] {
        _ = try readableRaadpleging(id, gemeente: gemeente, by: actor)
        return try read { try VersieStore.all($0, raadpleging: id, gemeente: gemeente) }
    }

    /// Version `n`, or nil.
    package func versie(_ n: Int, raadpleging id: String, gemeente: String, by actor: Actor) throws -> Versie? {
        _ = try readableRaadpleging(id, gemeente: gemeente, by: actor)
        return try read { try VersieStore.one($0, raadpleging: id, gemeente: gemeente, versie: n) }
    }

    /// The export for the RBO: the current version of every gemeente that has one, with the
    /// invited gemeenten.
    package func export(raadpleging id: String, by actor: Actor) throws -> Export {
        try actor.requireCoordinator()
        return try read { db in
            guard let raadpleging = try RaadplegingStore.find(db, id: id) else { throw Refusal.notFound(.raadpleging) }
            return Export(raadpleging: raadpleging, gemeenten: try GemeenteStore.invited(db, raadpleging: id),
                          versies: try VersieStore.currentOfAll(db, raadpleging: id),
                          status: try StatusStore.overview(db, raadpleging: id))
        }
    }

    /// Every access code (never the codes themselves).
    package func toegangscodes(by actor: Actor) throws -> [ToegangscodeRecord] {
        try actor.requireCoordinator()
        return try read { try ToegangscodeStore.all($0) }
    }

    /// The newest audit entries first; `before` pages backwards by id; `gemeente` (a CBS code)
    /// keeps the entries that name it in their subject or details.
    package func auditEntries(limit: Int, before: Int64?, gemeente: String? = nil, by actor: Actor) throws -> [AuditEntry] {
        try actor.requireCoordinator()
        flushFailedAuthentications(everything: true)  // the log is complete when someone looks
        return try read { try AuditStore.entries($0, limit: limit, before: before, naming: gemeente) }
    }
}

/// Everything the export of a consultation holds.
package struct Export: Sendable {
    package var raadpleging: Raadpleging
    package var gemeenten: [Gemeente]
    package var versies: [Versie]
    /// The overview read in the same transaction (for the Excel CSV's states).
    package var status: StatusOverview?

    /// CSV for spreadsheets (see `CSVExport`).
    package var csv: [UInt8] { CSVExport.make(raadpleging: raadpleging, gemeenten: gemeenten, versies: versies) }

    /// CSV for people in Excel: Dutch titles, labels and dates (see `ReadableCSV`).
    package var excelCSV: [UInt8] {
        ReadableCSV.make(status: status ?? StatusOverview(raadpleging: raadpleging, gemeenten: []), versies: versies)
    }

    /// The versions as the API returns them.
    package var json: JSONValue { .array(versies.map { $0.json(sha256: $0.digest) }) }
}
