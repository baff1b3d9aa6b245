import Foundation

/// One gemeente's line in the status overview.
package struct GemeenteStatus: Sendable, Equatable {
    package enum State: String, Sendable, CaseIterable {
        case ontbreekt, ingediend, teLaat = "te-laat", ingetrokken
    }
    package var gemeente: Gemeente
    /// The state of the current version against the deadline in force now (`Lateness`).
    package var state: State
    package var versie: Int?
    package var kenmerk: String?
    package var ontvangenOp: Date?
    package var standpunt: Standpunt?
    /// When the current version is late but an earlier one came in time ("op tijd ingediend, na de
    /// deadline gewijzigd"): that version, the one received in time.
    package var opTijd: OnTimeVersion?
    /// Who submitted the current version (nil without one).
    package var indiener: Indiener?
    /// How many attachments (PDFs: the signed council decision) the current version carries.
    package var bijlagen: Int
    /// The griffie's access codes: the latest use of any of them (nil: never used, so never logged in).
    package var laatstGebruiktOp: Date?
    /// The name and e-mail address on the gemeente's newest griffie code that is not revoked.
    package var codeNaam: String?
    package var codeEmail: String?

    package struct OnTimeVersion: Sendable, Equatable {
        package var versie: Int
        package var kenmerk: String
        package var ontvangenOp: Date

        package init(versie: Int, kenmerk: String, ontvangenOp: Date) {
            self.versie = versie
            self.kenmerk = kenmerk
            self.ontvangenOp = ontvangenOp
        }
    }

    package init(gemeente: Gemeente, state: State, versie: Int? = nil, kenmerk: String? = nil, ontvangenOp: Date? = nil,
                 standpunt: Standpunt? = nil, opTijd: OnTimeVersion? = nil, indiener: Indiener? = nil, bijlagen: Int = 0,
                 laatstGebruiktOp: Date? = nil, codeNaam: String? = nil, codeEmail: String? = nil) {
        self.gemeente = gemeente
        self.state = state
        self.versie = versie
        self.kenmerk = kenmerk
        self.ontvangenOp = ontvangenOp
        self.standpunt = standpunt
        self.opTijd = opTijd
        self.indiener = indiener
        self.bijlagen = bijlagen
        self.laatstGebruiktOp = laatstGebruiktOp
        self.codeNaam = codeNaam
        self.codeEmail = codeEmail
    }

    /// Whether the current version is a submission (not withdrawn) that should carry the signed
    /// council decision and does not: every standpunt except "geen zienswijze".
    package var missesRaadsbesluit: Bool {
        (state == .ingediend || state == .teLaat) && standpunt != .geenZienswijze && bijlagen == 0
    }
}

/// Every gemeente of a consultation with the state of its current zienswijze.
package struct StatusOverview: Sendable, Equatable {
    package var raadpleging: Raadpleging
    package var gemeenten: [GemeenteStatus]

    package init(raadpleging: Raadpleging, gemeenten: [GemeenteStatus]) {
        self.raadpleging = raadpleging
        self.gemeenten = gemeenten
    }

    package func count(_ state: GemeenteStatus.State) -> Int { gemeenten.filter { $0.state == state }.count }
}
