import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// A withdrawal: done now, or there was one already (withdrawing twice changes nothing).
package enum Withdrawal: Sendable {
    case withdrawn(Versie)
    case alreadyWithdrawn(Versie)

    package var versie: Versie {
        switch self {
        case .withdrawn(let versie), .alreadyWithdrawn(let versie): versie
        }
    }
}

/// A new attachment and the version that carries it.
package struct Attached: Sendable {
    package var versie: Versie
    package var bijlage: Bijlage
}

extension Operations {
    /// The consultation a griffie is about to write to, after checking who may (403 comes before
    /// 404, so a stranger learns nothing of what exists). The edge needs it to validate the body
    /// (its themes, today's date); the write itself checks again in its transaction.
    package func writableRaadpleging(_ id: String, gemeente: String, by actor: Actor) throws -> Raadpleging {
        _ = try actor.requireGriffie(of: gemeente)
        return try read { db in try existing(db, raadpleging: id, gemeente: gemeente, by: actor) }
    }

    /// Submits (or replaces) the zienswijze of `gemeente`: a new version carrying the previous
    /// version's attachments plus `uploads`. On time or late by the deadline in force.
    ///
    /// `keeping` names the previous version's attachments (by id) the new version carries, in
    /// the previous version's order; nil carries them all. The previous version keeps what it
    /// had: attachments are linked per version, and nothing already stored changes. An id that is
    /// not an attachment of the previous version is refused (`bijlagen[n]`).
    package func submit(
        _ input: ZienswijzeInput, uploads: [BijlageUpload] = [], keeping: [String]? = nil, raadpleging id: String,
        gemeente: String, by actor: Actor, idempotency: IdempotencyRequest<Versie>? = nil
    ) throws -> Replayable<Versie> {
        let principal = try actor.requireGriffie(of: gemeente)
        let now = clock.now()
        defer { outboxBell.ring() }  // after the COMMIT: the worker wakes for the new entries
        return try write { db in
            try idempotent(db, idempotency, at: now) {
                let raadpleging = try openRaadpleging(db, id: id, gemeente: gemeente, by: actor)
                let previous = try VersieStore.current(db, raadpleging: id, gemeente: gemeente)
                var bijlagen = try Self.carried(previous?.bijlagen ?? [], keeping: keeping)
                for upload in uploads {
                    bijlagen.append(try VersieStore.insertAttachment(db, raadpleging: id, gemeente: gemeente, upload,
                                                                     at: now, toegangscodeID: principal.codeID))
                }
                if raadpleging.raadsbesluitVerplicht, input.standpunt != .geenZienswijze, bijlagen.isEmpty {
                    let leftOut = !(previous?.bijlagen.isEmpty ?? true)
                    throw Refusal.invalid([InvalidParam(name: "bestand",
                                                        reason: leftOut ? Self.raadsbesluitLeftOut : Self.raadsbesluitRequired)])
                }
                let versie = Versie.next(in: raadpleging, gemeente: gemeente, after: previous, kind: .submission,
                                         input: input, bijlagen: bijlagen, at: now)
                try VersieStore.insert(db, versie, toegangscodeID: principal.codeID)
                try audit(db, AuditRecord(.zienswijzeIngediend, by: actor, at: now, onderwerp: "\(id)/\(gemeente)",
                                          details: "\(versie.kenmerk) \(versie.status.rawValue); \(versie.deadlineAuditNote)"))
                try enqueue(db, .versie(versie, .submitted, in: raadpleging))
                return versie
            }
        }
    }

    /// Withdraws the current version: a new version that repeats it with status `ingetrokken`.
    package func withdraw(
        raadpleging id: String, gemeente: String, by actor: Actor, idempotency: IdempotencyRequest<Withdrawal>? = nil
    ) throws -> Replayable<Withdrawal> {
        let principal = try actor.requireGriffie(of: gemeente)
        let now = clock.now()
        defer { outboxBell.ring() }  // after the COMMIT: the worker wakes for the new entries
        return try write { db in
            try idempotent(db, idempotency, at: now) {
                let raadpleging = try openRaadpleging(db, id: id, gemeente: gemeente, by: actor)
                guard let previous = try VersieStore.current(db, raadpleging: id, gemeente: gemeente) else {
                    throw Refusal.conflict(.noZienswijze)
                }
                guard previous.status != .ingetrokken else { return .alreadyWithdrawn(previous) }
                let versie = Versie.next(in: raadpleging, gemeente: gemeente, after: previous, kind: .withdrawal,
                                         input: previous.input, bijlagen: previous.bijlagen, at: now)
                try VersieStore.insert(db, versie, toegangscodeID: principal.codeID)
                try audit(db, AuditRecord(.zienswijzeIngetrokken, by: actor, at: now, onderwerp: "\(id)/\(gemeente)",
                                          details: "\(versie.kenmerk); \(versie.deadlineAuditNote)"))
                try enqueue(db, .versie(versie, .withdrawn, in: raadpleging))
                return .withdrawn(versie)
            }
        }
    }

    /// Adds an attachment: a new version that repeats the current one with the attachment added.
    package func attach(
        _ upload: BijlageUpload, raadpleging id: String, gemeente: String, by actor: Actor,
        idempotency: IdempotencyRequest<Attached>? = nil
    ) throws -> Replayable<Attached> {
        let principal = try actor.requireGriffie(of: gemeente)
        let now = clock.now()
        defer { outboxBell.ring() }  // after the COMMIT: the worker wakes for the new entries
        return try write { db in
            try idempotent(db, idempotency, at: now) {
                let raadpleging = try openRaadpleging(db, id: id, gemeente: gemeente, by: actor)
                guard let previous = try VersieStore.current(db, raadpleging: id, gemeente: gemeente),
                      previous.status != .ingetrokken
                else { throw Refusal.conflict(.noZienswijze) }
                let bijlage = try VersieStore.insertAttachment(db, raadpleging: id, gemeente: gemeente, upload, at: now,
                                                               toegangscodeID: principal.codeID)
                let versie = Versie.next(in: raadpleging, gemeente: gemeente, after: previous, kind: .submission,
                                         input: previous.input, bijlagen: previous.bijlagen + [bijlage], at: now)
                try VersieStore.insert(db, versie, toegangscodeID: principal.codeID)
                try audit(db, AuditRecord(.bijlageToegevoegd, by: actor, at: now, onderwerp: "\(id)/\(gemeente)",
                                          details: "\(bijlage.id) \(versie.kenmerk); \(versie.deadlineAuditNote)"))
                try enqueue(db, .versie(versie, .attachmentAdded, in: raadpleging))
                return Attached(versie: versie, bijlage: bijlage)
            }
        }
    }

    /// Why a submission without an attachment is refused where the consultation requires the
    /// signed council decision.
    package static let raadsbesluitRequired = "is verplicht bij deze raadpleging: voeg het ondertekende raadsbesluit toe als PDF "
        + "(niet nodig bij standpunt geen-zienswijze)"
    /// The same, when the previous version had attachments and every one was left out.
    package static let raadsbesluitLeftOut = "is verplicht bij deze raadpleging: alle eerdere bijlagen zijn weggelaten; "
        + "neem het ondertekende raadsbesluit mee of voeg het toe als PDF (niet nodig bij standpunt geen-zienswijze)"
    /// Why an id in `bijlagen` is refused.
    package static let notAnEarlierAttachment = "is geen bijlage van de huidige versie van deze zienswijze"

    /// The previous version's attachments that a new version carries: all of them (`keeping` nil),
    /// or those named in `keeping`, in their old order. Every name must be one of them, once.
    static func carried(_ previous: [Bijlage], keeping: [String]?) throws -> [Bijlage] {
        guard let keeping else { return previous }
        var problems: [InvalidParam] = []
        var seen = Set<String>()
        for (n, id) in keeping.enumerated() {
            if !previous.contains(where: { $0.id == id }) {
                problems.append(InvalidParam(name: "bijlagen[\(n)]", reason: notAnEarlierAttachment))
            } else if !seen.insert(id).inserted {
                problems.append(InvalidParam(name: "bijlagen[\(n)]", reason: Reason.repeatedField))
            }
        }
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        return previous.filter { seen.contains($0.id) }
    }

    /// The consultation and the gemeente for a read or write of `gemeente`'s zienswijze: both
    /// exist, the consultation is visible to `actor` (a concept only to coordinators), and a
    /// griffie's gemeente takes part in it (`Raadpleging.invites`), else 403.
    func existing(_ db: Connection, raadpleging id: String, gemeente: String, by actor: Actor) throws -> Raadpleging {
        let raadpleging = try visibleRaadpleging(db, id: id, by: actor)
        guard let found = try GemeenteStore.find(db, code: gemeente) else { throw Refusal.notFound(.gemeente) }
        if !actor.isCoordinator, !raadpleging.invites(found) { throw Refusal.forbidden(.notInvited) }
        return raadpleging
    }

    /// The consultation, which must exist and be visible to `actor`: a concept is shown only to
    /// coordinators (and the command line); to anyone else it does not exist.
    func visibleRaadpleging(_ db: Connection, id: String, by actor: Actor?) throws -> Raadpleging {
        guard let raadpleging = try RaadplegingStore.find(db, id: id),
              raadpleging.status.isVisibleToGriffies || actor?.isCoordinator == true
        else { throw Refusal.notFound(.raadpleging) }
        return raadpleging
    }

    /// The consultation, which must exist and be open, for a write of `gemeente`.
    private func openRaadpleging(_ db: Connection, id: String, gemeente: String, by actor: Actor) throws -> Raadpleging {
        let raadpleging = try existing(db, raadpleging: id, gemeente: gemeente, by: actor)
        guard raadpleging.status == .open else { throw Refusal.conflict(.closed) }
        return raadpleging
    }
}
