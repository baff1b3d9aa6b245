import Foundation

/// What the audit log records, one case per kind of event. The raw values are what the `actie`
/// column holds (and what `GET /api/v1/audit` shows), unchanged since the first release.
package enum AuditAction: String, Sendable, CaseIterable {
    case zienswijzeIngediend = "zienswijze-ingediend"
    case zienswijzeIngetrokken = "zienswijze-ingetrokken"
    case bijlageToegevoegd = "bijlage-toegevoegd"
    case toegangscodeUitgegeven = "toegangscode-uitgegeven"
    case toegangscodeIngetrokken = "toegangscode-ingetrokken"
    case raadplegingGewijzigd = "raadpleging-gewijzigd"
    case ingelogd
    case uitgelogd
    case authenticatieMislukt = "authenticatie-mislukt"
    // Notifications (issue 16).
    case webhookGeregistreerd = "webhook-geregistreerd"
    case webhookGewijzigd = "webhook-gewijzigd"
    case webhookVerwijderd = "webhook-verwijderd"
    /// By the delivery worker (`systeem`): too many failed attempts in a row.
    case webhookUitgeschakeld = "webhook-uitgeschakeld"
    case bezorgingOpnieuw = "bezorging-opnieuw"
    /// By the reminder scheduler (`systeem`): one row per step, naming the gemeenten reminded.
    case herinneringenVerstuurd = "herinneringen-verstuurd"
    // Consultations that coordinators manage (issue 17).
    case raadplegingAangemaakt = "raadpleging-aangemaakt"
    case raadplegingGekopieerd = "raadpleging-gekopieerd"
    case themasGewijzigd = "themas-gewijzigd"
    case uitnodigingenGewijzigd = "uitnodigingen-gewijzigd"
    case documentToegevoegd = "document-toegevoegd"
    case documentGewijzigd = "document-gewijzigd"
    case documentVerwijderd = "document-verwijderd"
    case gemeenteToegevoegd = "gemeente-toegevoegd"
    case gemeenteSamengevoegd = "gemeente-samengevoegd"
    // Answers and the reactienota (issue 15).
    case reactieGewijzigd = "reactie-gewijzigd"
    case reactienotaVastgesteld = "reactienota-vastgesteld"
    case reactienotaHeropend = "reactienota-heropend"
    case publicatieGepubliceerd = "publicatie-gepubliceerd"
    case publicatieIngetrokken = "publicatie-ingetrokken"
}

/// Who does something, from where, and through which edge: every operation takes one, and every
/// audit row is written from one.
package struct Actor: Sendable, Equatable {
    package enum Who: Sendable, Equatable {
        /// Someone holding an access code (through the API or a web session).
        case code(Principal)
        /// An operator at the command line.
        case cli
        /// Nobody known: a failed login, the server itself at first start.
        case anonymous
        /// The service itself, acting on its own: the delivery worker, the reminder scheduler.
        case system
    }

    package enum Channel: String, Sendable {
        case api, web, cli
        /// The service's own background work (delivery worker, reminder scheduler).
        case system
    }

    package var who: Who
    /// The client address (after a trusted proxy), "" at the command line.
    package var address: String
    package var channel: Channel

    package init(_ who: Who, address: String = "", channel: Channel) {
        self.who = who
        self.address = address
        self.channel = channel
    }

    package static let cli = Actor(.cli, channel: .cli)
    /// The service itself (audited as `systeem`).
    package static let system = Actor(.system, channel: .system)

    package var principal: Principal? {
        if case .code(let principal) = who { principal } else { nil }
    }

    /// How the audit log names the actor: `griffie:<id>`, `coordinator:<id>`, `cli`, `anoniem` or `systeem`.
    /// Never the code itself.
    package var auditName: String {
        switch who {
        case .code(let principal): principal.actor
        case .cli: "cli"
        case .anonymous: "anoniem"
        case .system: "systeem"
        }
    }
}

/// One row for the audit log, before it is stored.
package struct AuditRecord: Sendable, Equatable {
    package var action: AuditAction
    package var actor: Actor
    package var at: Date
    /// What it was about: `raadpleging/gemeente`, `toegangscode:<id>`, `sessie`, a path.
    package var onderwerp: String
    package var details: String

    package init(_ action: AuditAction, by actor: Actor, at: Date, onderwerp: String = "", details: String = "") {
        self.action = action
        self.actor = actor
        self.at = at
        self.onderwerp = onderwerp
        // Web actions have always been marked in the details, so the log tells the two edges apart.
        self.details = actor.channel == .web ? (details.isEmpty ? "(web)" : details + " (web)") : details
    }
}

/// A stored audit row, as the API and the command line show it.
package struct AuditEntry: Sendable, Equatable {
    package var id: Int64
    package var op: Date
    package var actor: String
    package var actie: String
    package var onderwerp: String
    package var details: String
    package var adres: String

    package init(id: Int64, op: Date, actor: String, actie: String, onderwerp: String, details: String, adres: String) {
        self.id = id
        self.op = op
        self.actor = actor
        self.actie = actie
        self.onderwerp = onderwerp
        self.details = details
        self.adres = adres
    }
}
