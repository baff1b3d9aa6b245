import ZienswijzenDomain

/// Why an operation was not done: something the caller can be told about (and perhaps fix).
/// The edges give each case its status code and their own wording; `detail` is the default Dutch
/// sentence both edges use unless they say something more specific.
package enum Refusal: Error, Sendable, Equatable {
    case notFound(Subject)
    case forbidden(Forbidden)
    case conflict(Conflict)
    /// The input breaks the rules: every problem, by field.
    case invalid([InvalidParam], detail: String = Refusal.invalidDetail)
    case unauthenticated(Unauthenticated)
    /// Too many failed attempts from this address: try again after this many seconds.
    case throttled(retryAfter: Int)
    /// More than a limit allows (an attachment over 25 MiB).
    case tooLarge(String)

    package enum Subject: Sendable, Equatable {
        case raadpleging, gemeente, zienswijze, versie, bijlage, toegangscode, webhook, bezorging, document
        /// No answer to this zienswijze (yet), or none the caller may see (a draft).
        case reactie
        /// Nothing published for this consultation.
        case publicatie
    }

    package enum Forbidden: Sendable, Equatable {
        /// A griffie code of another gemeente.
        case otherGemeente
        /// Only the griffie of the gemeente itself may submit, withdraw or attach (not a coordinator).
        case griffieOnly
        /// Only a coordinator (RSIV) may do this.
        case coordinatorOnly
        /// A coordinator cannot revoke the code they are using.
        case ownCode
        /// The gemeente is not invited to this consultation (or had merged by its creation).
        case notInvited
    }

    package enum Conflict: Sendable, Equatable {
        case closed
        case noZienswijze
        case alreadyWithdrawn
        /// Only a failed delivery can be retried.
        case notFailed
        /// A delivery to an endpoint that is switched off or removed.
        case webhookInactive
        /// A consultation with this id exists already.
        case raadplegingExists
        /// A gemeente with this code exists already.
        case gemeenteExists
        /// The status cannot go from the first to the second.
        case transition(RaadplegingStatus, RaadplegingStatus)
        /// An archived consultation is read-only (bring it back as closed first).
        case archived
        /// This setting cannot change once the consultation was opened (the field's name).
        case fixedAfterOpening(String)
        /// These themes (titles) have remarks in stored versions and cannot be removed.
        case themaInUse([String])
        /// These gemeenten (names) cannot leave an opened consultation.
        case invitationFixed([String])
        /// A document can only be removed while the consultation is a concept.
        case documentFixed
        /// The reactienota is vastgesteld: its answers are frozen until it is reopened.
        case reactienotaVastgesteld
        /// Only a vastgestelde reactienota can be reopened.
        case reactienotaConcept
        /// The reactienota cannot be vastgesteld while these gemeenten (names) have a current
        /// zienswijze without an answer to it.
        case unanswered([String])
    }

    package enum Unauthenticated: Sendable, Equatable {
        case missing
        case notBearer
        case unknownOrRevoked
    }

    package static let invalidDetail = "Een of meer velden zijn ongeldig."

    /// One sentence in Dutch for the person who gets the refusal.
    package var detail: String {
        switch self {
        case .notFound(.raadpleging): "Deze raadpleging bestaat niet."
        case .notFound(.gemeente): "Deze gemeente bestaat niet."
        case .notFound(.zienswijze): "Deze gemeente heeft nog geen zienswijze ingediend."
        case .notFound(.versie): "Deze versie bestaat niet."
        case .notFound(.bijlage): "Deze bijlage bestaat niet."
        case .notFound(.toegangscode): "Deze toegangscode bestaat niet of is al ingetrokken."
        case .notFound(.webhook): "Dit webhook-eindpunt bestaat niet (meer)."
        case .notFound(.bezorging): "Deze bezorging bestaat niet (meer)."
        case .notFound(.document): "Dit document bestaat niet."
        case .notFound(.reactie): "Er is (nog) geen reactie op deze zienswijze."
        case .notFound(.publicatie): "De reacties op de zienswijzen van deze raadpleging zijn (nog) niet gepubliceerd."
        case .forbidden(.notInvited): "Uw gemeente is niet uitgenodigd voor deze raadpleging."
        case .forbidden(.otherGemeente): "Deze toegangscode hoort bij een andere gemeente."
        case .forbidden(.griffieOnly): "Alleen de griffie van deze gemeente mag haar zienswijze indienen of wijzigen."
        case .forbidden(.coordinatorOnly): "Alleen een coördinator (RSIV) mag dit."
        case .forbidden(.ownCode): "U kunt de toegangscode waarmee u nu bent ingelogd niet zelf intrekken."
        case .conflict(.closed): "De raadpleging is gesloten; er kunnen geen zienswijzen meer worden ingediend of gewijzigd."
        case .conflict(.noZienswijze): "Er is (nog) geen ingediende zienswijze van deze gemeente."
        case .conflict(.alreadyWithdrawn): "De zienswijze is al ingetrokken."
        case .conflict(.notFailed): "Alleen een mislukte bezorging kan opnieuw worden geprobeerd."
        case .conflict(.webhookInactive): "Het eindpunt van deze bezorging staat uit of is verwijderd. Schakel het eerst weer in."
        case .conflict(.raadplegingExists): "Er bestaat al een raadpleging met dit id. Kies een ander id."
        case .conflict(.gemeenteExists): "Deze gemeentecode staat al in het register."
        case .conflict(.transition(let from, let to)):
            "Een raadpleging met status ‘\(from.rawValue)’ kan niet de status ‘\(to.rawValue)’ krijgen."
                + (from == .open && to == .gearchiveerd ? " Sluit haar eerst." : "")
        case .conflict(.archived):
            "De raadpleging is gearchiveerd en kan niet meer worden gewijzigd. Zet haar eerst terug op ‘gesloten’."
        case .conflict(.fixedAfterOpening(let field)):
            "‘\(field)’ kan niet meer veranderen nu de raadpleging open is geweest: dat zou ingediende zienswijzen ongeldig maken."
        case .conflict(.themaInUse(let titels)):
            titels.count == 1
                ? "Het thema ‘\(titels[0])’ heeft opmerkingen in ingediende zienswijzen en kan daarom niet worden verwijderd. "
                    + "U kunt de titel en samenvatting wel wijzigen."
                : "De thema’s ‘\(titels.joined(separator: "’, ‘"))’ hebben opmerkingen in ingediende zienswijzen en kunnen daarom "
                    + "niet worden verwijderd. U kunt de titels en samenvattingen wel wijzigen."
        case .conflict(.invitationFixed(let namen)):
            "Nu de raadpleging open is geweest, kunnen gemeenten alleen worden toegevoegd, niet verwijderd: "
                + namen.joined(separator: ", ") + "."
        case .conflict(.documentFixed):
            "Een document kan alleen worden verwijderd zolang de raadpleging in voorbereiding is. Daarna kunt u het alleen niet-openbaar maken."
        case .conflict(.reactienotaVastgesteld):
            "De reactienota is vastgesteld; de reacties kunnen niet meer worden gewijzigd. Heropen de reactienota eerst."
        case .conflict(.reactienotaConcept): "De reactienota is nog niet vastgesteld."
        case .conflict(.unanswered(let namen)):
            "De reactienota kan niet worden vastgesteld: de actuele zienswijze van "
                + namen.joined(separator: ", ") + " is nog niet beantwoord."
        case .invalid(_, let detail): detail
        case .unauthenticated(.unknownOrRevoked): "De toegangscode is onbekend of ingetrokken."
        case .unauthenticated: "Geef een geldige toegangscode mee als Authorization: Bearer <toegangscode>."
        case .tooLarge(let detail): detail
        case .throttled(let seconds):
            "Te veel mislukte pogingen vanaf dit adres. Probeer het over \(seconds) seconden opnieuw."
        }
    }
}

extension Actor {
    /// A coordinator's code, the command line, or the service itself (its scheduler sees every consultation).
    package var isCoordinator: Bool {
        switch who {
        case .cli, .system: true
        case .code(let principal): principal.role == .coordinator
        case .anonymous: false
        }
    }

    /// The principal, when it is a coordinator (the command line counts as one); otherwise the refusal.
    package func requireCoordinator() throws(Refusal) {
        switch who {
        case .cli: return
        case .code(let principal) where principal.role == .coordinator: return
        default: throw .forbidden(.coordinatorOnly)
        }
    }

    /// The griffie of `gemeente`, or the refusal that says why not.
    package func requireGriffie(of gemeente: String) throws(Refusal) -> Principal {
        guard let principal else { throw .forbidden(.griffieOnly) }
        guard principal.mayWrite(gemeente: gemeente) else {
            throw .forbidden(principal.role == .coordinator ? .griffieOnly : .otherGemeente)
        }
        return principal
    }

    /// Someone who may read the zienswijze of `gemeente`: its griffie, a coordinator, the CLI.
    package func requireReader(of gemeente: String) throws(Refusal) {
        if case .cli = who { return }
        guard let principal else { throw .forbidden(.coordinatorOnly) }
        guard principal.mayRead(gemeente: gemeente) else { throw .forbidden(.otherGemeente) }
    }
}
