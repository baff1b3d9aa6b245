import Foundation

/// A municipality in the register, by its CBS code (`GM0518`).
package struct Gemeente: Sendable, Equatable {
    package var code: String
    package var naam: String
    package var regio: String

    package init(code: String, naam: String, regio: String) {
        self.code = code
        self.naam = naam
        self.regio = regio
    }
}

/// A theme of the plan that councils can remark on.
package struct Thema: Sendable, Equatable {
    package var code: String
    package var titel: String
    package var samenvatting: String

    package init(code: String, titel: String, samenvatting: String) {
        self.code = code
        self.titel = titel
        self.samenvatting = samenvatting
    }
}

package enum RaadplegingStatus: String, Sendable {
    case open, gesloten
}

/// A consultation: the plan the councils are asked about, its themes and its deadline.
package struct Raadpleging: Sendable, Equatable {
    package var id: String
    package var titel: String
    package var deadline: Date?
    package var rboVergadering: LocalDate?
    package var status: RaadplegingStatus
    package var themas: [Thema]
    /// When griffies that have not submitted are reminded (days before the deadline).
    package var herinneringen: ReminderSchedule

    package init(id: String, titel: String, deadline: Date?, rboVergadering: LocalDate?, status: RaadplegingStatus,
                 themas: [Thema], herinneringen: ReminderSchedule = .standard) {
        self.herinneringen = herinneringen
        self.id = id
        self.titel = titel
        self.deadline = deadline
        self.rboVergadering = rboVergadering
        self.status = status
        self.themas = themas
    }

    /// The consultation the migrations seed, which the web pages and the command line use.
    package static let defaultID = "coalitie-voor-veiligheid-2023-2026"

    /// Where the consultation stands at `now`.
    package func deadlineState(at now: Date) -> DeadlineState { DeadlineState(deadline: deadline, now: now) }
}

/// A change to a consultation: each field nil when it stays as it is (`.some(nil)` clears it).
package struct RaadplegingChange: Sendable, Equatable {
    package var deadline: Date??
    package var rboVergadering: LocalDate??
    package var status: RaadplegingStatus?
    package var herinneringen: ReminderSchedule?

    package init(deadline: Date?? = nil, rboVergadering: LocalDate?? = nil, status: RaadplegingStatus? = nil,
                 herinneringen: ReminderSchedule? = nil) {
        self.herinneringen = herinneringen
        self.deadline = deadline
        self.rboVergadering = rboVergadering
        self.status = status
    }

    package var isEmpty: Bool { deadline == nil && rboVergadering == nil && status == nil && herinneringen == nil }

    /// What the audit log says was changed: `deadline=… rboVergadering=… status=…`.
    package var auditText: String {
        var parts: [String] = []
        if let deadline { parts.append("deadline=\(deadline.map(AmsterdamTime.rfc3339) ?? "null")") }
        if let rboVergadering { parts.append("rboVergadering=\(rboVergadering?.iso ?? "null")") }
        if let status { parts.append("status=\(status.rawValue)") }
        if let herinneringen { parts.append("herinneringen=\(herinneringen.text)") }
        return parts.joined(separator: " ")
    }
}
