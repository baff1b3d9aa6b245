import Foundation

/// Lateness as the overview, the status, the exports and the coordinator's pages show it: judged
/// against the deadline in force *now*, never against a stored flag. A version's own `status` and
/// `teLaat` are what was judged at its receipt (they are in its digest, so they never change);
/// moving the deadline later makes a version received before the new deadline on time here.
package enum Lateness {
    /// The state of `versie` against `deadline`: a withdrawal stays a withdrawal; a submission is
    /// late when received strictly after the deadline.
    package static func status(of versie: Versie, deadline: Date?) -> VersieStatus {
        status(stored: versie.status, receivedAt: versie.ontvangenOp, deadline: deadline)
    }

    package static func status(stored: VersieStatus, receivedAt: Date, deadline: Date?) -> VersieStatus {
        if stored == .ingetrokken { return .ingetrokken }
        return isLate(receivedAt: receivedAt, deadline: deadline) ? .teLaat : .ingediend
    }

    /// The version received in time that a late current version follows ("op tijd ingediend, na
    /// de deadline gewijzigd"): the latest version received at or before `deadline`, when the
    /// current (last) version is a late submission and that earlier version is not a withdrawal.
    /// `versies` oldest first. Nil otherwise.
    package static func onTimeVersion(of versies: [Versie], deadline: Date?) -> Versie? {
        guard let deadline, let current = versies.last, status(of: current, deadline: deadline) == .teLaat,
              let onTime = versies.last(where: { $0.ontvangenOp <= deadline }), onTime.status != .ingetrokken
        else { return nil }
        return onTime
    }
}

/// Dates and times as Dutch people write them in a spreadsheet: `3-12-2026 14:05`, `20-11-2026`.
package enum DutchNumeric {
    package static func date(_ d: LocalDate) -> String { "\(d.day)-\(d.month)-\(d.year)" }

    /// The Amsterdam date and time of `instant`, to the minute.
    package static func dateTime(_ instant: Date) -> String {
        let stamp = AmsterdamTime.rfc3339(instant)  // 2026-12-03T14:05:09+01:00
        let day = LocalDate(iso: String(stamp.prefix(10))).map(date) ?? String(stamp.prefix(10))
        return "\(day) \(stamp.dropFirst(11).prefix(5))"
    }
}

extension Versie {
    /// For the audit entry of a receipt: "deadline bij ontvangst 2026-12-01T17:00:00+01:00", or
    /// "geen deadline bij ontvangst".
    package var deadlineAuditNote: String {
        deadlineBijOntvangst.map { "deadline bij ontvangst " + AmsterdamTime.rfc3339($0) } ?? "geen deadline bij ontvangst"
    }
}
