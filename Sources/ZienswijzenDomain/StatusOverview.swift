import Foundation

/// One gemeente's line in the status overview.
package struct GemeenteStatus: Sendable, Equatable {
    package enum State: String, Sendable, CaseIterable {
        case ontbreekt, ingediend, teLaat = "te-laat", ingetrokken
    }
    package var gemeente: Gemeente
    package var state: State
    package var versie: Int?
    package var kenmerk: String?
    package var ontvangenOp: Date?
    package var standpunt: Standpunt?

    package init(gemeente: Gemeente, state: State, versie: Int? = nil, kenmerk: String? = nil, ontvangenOp: Date? = nil,
                 standpunt: Standpunt? = nil) {
        self.gemeente = gemeente
        self.state = state
        self.versie = versie
        self.kenmerk = kenmerk
        self.ontvangenOp = ontvangenOp
        self.standpunt = standpunt
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
