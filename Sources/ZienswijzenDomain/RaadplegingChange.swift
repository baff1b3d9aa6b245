import Foundation

/// A change to a consultation: each field nil when it stays as it is (`.some(nil)` clears it).
/// `themas` and `uitgenodigd` replace the whole list (themes matched by code).
package struct RaadplegingChange: Sendable, Equatable {
    package var deadline: Date??
    package var rboVergadering: LocalDate??
    package var status: RaadplegingStatus?
    package var titel: String?
    package var omschrijving: String?
    package var raadsbesluitVerplicht: Bool?
    package var themas: [Thema]?
    package var uitgenodigd: [String]?
    package var herinneringen: ReminderSchedule?

    package init(deadline: Date?? = nil, rboVergadering: LocalDate?? = nil, status: RaadplegingStatus? = nil,
                 titel: String? = nil, omschrijving: String? = nil, raadsbesluitVerplicht: Bool? = nil,
                 themas: [Thema]? = nil, uitgenodigd: [String]? = nil,
                herinneringen: ReminderSchedule? = nil) {
        self.herinneringen = herinneringen
        self.deadline = deadline
        self.rboVergadering = rboVergadering
        self.status = status
        self.titel = titel
        self.omschrijving = omschrijving
        self.raadsbesluitVerplicht = raadsbesluitVerplicht
        self.themas = themas
        self.uitgenodigd = uitgenodigd
    }

    package var isEmpty: Bool {
        deadline == nil && rboVergadering == nil && status == nil && titel == nil && omschrijving == nil
            && raadsbesluitVerplicht == nil && themas == nil && uitgenodigd == nil && herinneringen == nil
    }

    /// Whether anything but the themes and the invitations changes (each of those has its own
    /// audit row).
    package var changesSettings: Bool {
        deadline != nil || rboVergadering != nil || status != nil || titel != nil || omschrijving != nil
            || raadsbesluitVerplicht != nil || herinneringen != nil
    }

    /// What the audit log says was changed: `deadline=… rboVergadering=… status=…` (and the new
    /// settings: `titel=…`, `omschrijving` (its length), `raadsbesluitVerplicht=…`).
    package var auditText: String {
        var parts: [String] = []
        if let deadline { parts.append("deadline=\(deadline.map(AmsterdamTime.rfc3339) ?? "null")") }
        if let rboVergadering { parts.append("rboVergadering=\(rboVergadering?.iso ?? "null")") }
        if let status { parts.append("status=\(status.rawValue)") }
        if let titel { parts.append("titel=\(titel)") }
        if let omschrijving { parts.append("omschrijving=(\(omschrijving.unicodeScalars.count) tekens)") }
        if let raadsbesluitVerplicht { parts.append("raadsbesluitVerplicht=\(raadsbesluitVerplicht)") }
        if let herinneringen { parts.append("herinneringen=\(herinneringen.text)") }
        return parts.joined(separator: " ")
    }
}

/// A new consultation as a coordinator describes it. It starts as a `concept`. `uitgenodigd` nil
/// invites every gemeente that is active in the register on the day it is created.
package struct RaadplegingDraft: Sendable, Equatable {
    package var id: String
    package var titel: String
    package var omschrijving: String
    package var deadline: Date?
    package var rboVergadering: LocalDate?
    package var raadsbesluitVerplicht: Bool
    package var themas: [Thema]
    package var uitgenodigd: [String]?

    package init(id: String, titel: String, omschrijving: String = "", deadline: Date? = nil, rboVergadering: LocalDate? = nil,
                 raadsbesluitVerplicht: Bool = false, themas: [Thema] = [], uitgenodigd: [String]? = nil) {
        self.id = id
        self.titel = titel
        self.omschrijving = omschrijving
        self.deadline = deadline
        self.rboVergadering = rboVergadering
        self.raadsbesluitVerplicht = raadsbesluitVerplicht
        self.themas = themas
        self.uitgenodigd = uitgenodigd
    }
}

/// How the themes of a consultation change when a list replaces them (matched by code).
package struct ThemaDiff: Sendable, Equatable {
    package var added: [String]
    package var removed: [String]
    package var changed: [String]
    /// Whether the order of the themes that stay is different.
    package var reordered: Bool

    package init(from old: [Thema], to new: [Thema]) {
        let oldCodes = old.map(\.code), newCodes = new.map(\.code)
        added = newCodes.filter { !oldCodes.contains($0) }
        removed = oldCodes.filter { !newCodes.contains($0) }
        changed = new.filter { thema in old.first { $0.code == thema.code }.map { $0 != thema } ?? false }.map(\.code)
        reordered = oldCodes.filter(newCodes.contains) != newCodes.filter(oldCodes.contains)
    }

    package var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty && !reordered }

    /// `+code -code ~code` and `volgorde` when reordered, for the audit log.
    package var auditText: String {
        (added.map { "+\($0)" } + removed.map { "-\($0)" } + changed.map { "~\($0)" } + (reordered ? ["volgorde"] : []))
            .joined(separator: " ")
    }
}
