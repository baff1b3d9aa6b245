import Foundation

/// The kinds of event others can hear of, by webhook (as a CloudEvent) and, for some, by e-mail.
/// The raw value is the last part of the CloudEvent `type`
/// (`nl.rsiv-haaglanden.zienswijzen.zienswijze-ingediend`) and what an endpoint subscribes to.
///
/// Adding an event type (issue 15's `reactienota-vastgesteld`, say) is three small steps:
/// 1. a case here, with its raw value (Dutch, kebab-case, as the contract would name it);
/// 2. its payload: a static constructor on `Gebeurtenis` below that sets `subject` and `data`
///    (leave personal data out of `data` unless `personal`);
/// 3. in the operation that makes the change, inside its transaction, `try enqueue(db, gebeurtenis)`
///    (`Operations+Outbox.swift`), and the value in `Gebeurtenistype` in `Public/openapi.json`.
/// Nothing else changes: the outbox stores the kind as text (no CHECK to migrate), the worker and
/// the transports do not look at it, and endpoints that subscribed to "all" get the new kind too.
package enum GebeurtenisType: String, Sendable, CaseIterable, Equatable, Hashable {
    /// A first version, on time.
    case zienswijzeIngediend = "zienswijze-ingediend"
    /// A later version (a revision), on time.
    case zienswijzeGewijzigd = "zienswijze-gewijzigd"
    /// A version (first or later) received after the deadline.
    case zienswijzeTeLaat = "zienswijze-te-laat"
    case zienswijzeIngetrokken = "zienswijze-ingetrokken"
    /// An attachment added to the current version (which makes a new version).
    case bijlageToegevoegd = "bijlage-toegevoegd"
    case deadlineGewijzigd = "deadline-gewijzigd"
    case raadplegingGesloten = "raadpleging-gesloten"
    case raadplegingHeropend = "raadpleging-heropend"
    /// The RBO adopted the reactienota: griffies can read the answers to their zienswijzen.
    case reactienotaVastgesteld = "reactienota-vastgesteld"
    /// The coordinator published the result (the snapshot of what is public), or published it again.
    case resultaatGepubliceerd = "resultaat-gepubliceerd"

    /// The reverse-DNS prefix of every CloudEvent `type` we send.
    package static let typePrefix = "nl.rsiv-haaglanden.zienswijzen."

    /// The CloudEvent `type`.
    package var cloudEventType: String { Self.typePrefix + rawValue }

    /// Dutch, for pages.
    package var label: String {
        switch self {
        case .zienswijzeIngediend: "Zienswijze ingediend"
        case .zienswijzeGewijzigd: "Zienswijze gewijzigd"
        case .zienswijzeTeLaat: "Zienswijze te laat ingediend"
        case .zienswijzeIngetrokken: "Zienswijze ingetrokken"
        case .bijlageToegevoegd: "Bijlage toegevoegd"
        case .deadlineGewijzigd: "Deadline gewijzigd"
        case .raadplegingGesloten: "Raadpleging gesloten"
        case .raadplegingHeropend: "Raadpleging heropend"
        case .reactienotaVastgesteld: "Reactienota vastgesteld"
        case .resultaatGepubliceerd: "Resultaat gepubliceerd"
        }
    }

    /// Whether a version event of this type is one the indiener gets a confirmation e-mail for.
    package var confirmsToIndiener: Bool {
        switch self {
        case .zienswijzeIngediend, .zienswijzeGewijzigd, .zienswijzeTeLaat, .zienswijzeIngetrokken, .bijlageToegevoegd: true
        default: false
        }
    }
}

/// One event: what happened, when, about what, and its data. Made in the operation that made the
/// change (in its transaction) and turned into outbox entries there.
package struct Gebeurtenis: Sendable {
    package var type: GebeurtenisType
    package var raadpleging: Raadpleging
    package var at: Date
    /// The CloudEvent `subject`: the kenmerk of a version, or the consultation's id.
    package var subject: String
    /// The version a version event is about.
    package var versie: Versie?

    package init(type: GebeurtenisType, raadpleging: Raadpleging, at: Date, subject: String, versie: Versie? = nil) {
        self.type = type
        self.raadpleging = raadpleging
        self.at = at
        self.subject = subject
        self.versie = versie
    }

    /// What kind of new version it was, for choosing the event type.
    package enum VersieChange: Sendable {
        case submitted, withdrawn, attachmentAdded
    }

    /// The event for a new version: ingetrokken, bijlage-toegevoegd, te-laat (a late submission),
    /// ingediend (the first) or gewijzigd (a later one).
    package static func versie(_ versie: Versie, _ change: VersieChange, in raadpleging: Raadpleging) -> Gebeurtenis {
        let type: GebeurtenisType = switch change {
        case .withdrawn: .zienswijzeIngetrokken
        case .attachmentAdded: .bijlageToegevoegd
        case .submitted where versie.teLaat: .zienswijzeTeLaat
        case .submitted: versie.versie == 1 ? .zienswijzeIngediend : .zienswijzeGewijzigd
        }
        return Gebeurtenis(type: type, raadpleging: raadpleging, at: versie.ontvangenOp, subject: versie.kenmerk, versie: versie)
    }

    /// An event about the consultation itself (deadline, closing, reopening), after the change.
    package static func raadpleging(_ type: GebeurtenisType, _ raadpleging: Raadpleging, at: Date) -> Gebeurtenis {
        Gebeurtenis(type: type, raadpleging: raadpleging, at: at, subject: raadpleging.id)
    }

    /// The CloudEvent's `data`. A version event carries the version as `GET .../versies/{n}` shows
    /// it (with its `sha256`), without `indiener` (name and e-mail address) unless `personal`; a
    /// consultation event carries the consultation's id, title, deadline and status.
    package func data(personal: Bool) -> JSONValue {
        if let versie {
            guard case .object(let members) = versie.json(sha256: versie.digest) else { return .null }
            return .object(personal ? members : members.filter { $0.0 != "indiener" })
        }
        return .object([
            ("raadpleging", .string(raadpleging.id)),
            ("titel", .string(raadpleging.titel)),
            ("deadline", .string(raadpleging.deadline.map(AmsterdamTime.rfc3339))),
            ("status", .string(raadpleging.status.rawValue)),
        ])
    }
}
