import Foundation

/// A municipality in the register, by its CBS code (`GM0518`). A gemeente that merged into
/// another stays in the register (its consultations' history needs it) with the gemeente it
/// merged into and the first day it no longer existed.
package struct Gemeente: Sendable, Equatable {
    package var code: String
    package var naam: String
    package var regio: String
    package var samengevoegdIn: String?
    package var samengevoegdOp: LocalDate?

    package init(code: String, naam: String, regio: String, samengevoegdIn: String? = nil, samengevoegdOp: LocalDate? = nil) {
        self.code = code
        self.naam = naam
        self.regio = regio
        self.samengevoegdIn = samengevoegdIn
        self.samengevoegdOp = samengevoegdOp
    }

    /// Whether the gemeente still existed on `date` (a merger takes effect on its date).
    package func isActive(on date: LocalDate) -> Bool {
        guard let samengevoegdOp else { return true }
        return date < samengevoegdOp
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

/// Where a consultation is in its life: prepared (`concept`, invisible to griffies), `open` for
/// zienswijzen, `gesloten` (nothing more is accepted), `gearchiveerd` (out of the lists, read-only).
package enum RaadplegingStatus: String, Sendable, CaseIterable {
    case concept, open, gesloten, gearchiveerd

    /// Whether a consultation may go from this status to `next`. Staying is always allowed. A
    /// concept opens (or is archived unused); an open one closes; a closed one reopens or is
    /// archived; an archived one can be brought back as closed. Nothing goes back to `concept`,
    /// and an open consultation is closed before it is archived.
    package func mayBecome(_ next: RaadplegingStatus) -> Bool {
        switch (self, next) {
        case _ where self == next: true
        case (.concept, .open), (.concept, .gearchiveerd): true
        case (.open, .gesloten): true
        case (.gesloten, .open), (.gesloten, .gearchiveerd): true
        case (.gearchiveerd, .gesloten): true
        default: false
        }
    }

    /// Whether griffies (and the public) can see the consultation at all.
    package var isVisibleToGriffies: Bool { self != .concept }

    /// Whether the consultation was ever opened (so submissions may exist and the rules of an
    /// opened consultation apply to changes).
    package var wasOpened: Bool { self != .concept }

    /// Dutch, for pages.
    package var label: String {
        switch self {
        case .concept: "In voorbereiding"
        case .open: "Open"
        case .gesloten: "Gesloten"
        case .gearchiveerd: "Gearchiveerd"
        }
    }
}

/// A consultation: the plan the councils are asked about, its themes, its deadline, the gemeenten
/// it invites and its settings.
package struct Raadpleging: Sendable, Equatable {
    package var id: String
    package var titel: String
    package var deadline: Date?
    package var rboVergadering: LocalDate?
    package var status: RaadplegingStatus
    package var themas: [Thema]
    /// When griffies that have not submitted are reminded (days before the deadline).
    package var herinneringen: ReminderSchedule
    /// Free text for the consultation's page ("" when none).
    package var omschrijving: String
    /// Whether a submission must carry the signed council decision (issue 14 enforces it in the
    /// form; the operations already refuse a submission without one, except `geen-zienswijze`).
    package var raadsbesluitVerplicht: Bool
    /// When the consultation was created; a gemeente merged on or before that day cannot take part.
    package var aangemaaktOp: Date
    /// The CBS codes of the invited gemeenten, in code order.
    package var uitgenodigd: [String]

    package init(id: String, titel: String, deadline: Date?, rboVergadering: LocalDate?, status: RaadplegingStatus,
                 themas: [Thema], omschrijving: String = "", raadsbesluitVerplicht: Bool = false,
                 aangemaaktOp: Date = Date(timeIntervalSince1970: 0), uitgenodigd: [String] = [],
                 herinneringen: ReminderSchedule = .standard) {
        self.herinneringen = herinneringen
        self.id = id
        self.titel = titel
        self.deadline = deadline
        self.rboVergadering = rboVergadering
        self.status = status
        self.themas = themas
        self.omschrijving = omschrijving
        self.raadsbesluitVerplicht = raadsbesluitVerplicht
        self.aangemaaktOp = aangemaaktOp
        self.uitgenodigd = uitgenodigd
    }

    /// The consultation the migrations seed, which the web pages' old addresses (`/zienswijze`,
    /// `/coordinator`, ...) and the command line use.
    package static let defaultID = "coalitie-voor-veiligheid-2023-2026"

    /// Where the consultation stands at `now`.
    package func deadlineState(at now: Date) -> DeadlineState { DeadlineState(deadline: deadline, now: now) }

    /// Whether the griffie of `gemeente` takes part: it is invited, and it had not merged into
    /// another gemeente by the day the consultation was created.
    package func invites(_ gemeente: Gemeente) -> Bool {
        uitgenodigd.contains(gemeente.code) && gemeente.isActive(on: AmsterdamTime.today(aangemaaktOp))
    }
}
