import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// A document as the pages list it.
struct DocumentView {
    var id: String
    var href: String
    var titel: String
    var soort: String
    var bestandsnaam: String
    var grootte: String
    var openbaar: Bool

    init(_ d: Document) {
        id = d.id
        href = Links.document(d.raadpleging, d.id)
        titel = d.titel
        soort = d.soort.label
        bestandsnaam = d.bestand.bestandsnaam
        grootte = sizeInWords(d.bestand.grootte)
        openbaar = d.openbaar
    }
}

/// A consultation's own page: what is asked, the documents to judge, the themes, the deadline,
/// and the way in for who is looking.
struct ConsultationView {
    var titel: String
    var omschrijving: String?
    var status: String
    var open: Bool
    var isConcept: Bool
    var deadline: String?
    var remaining: String?
    var past: Bool
    var themas: [ThemaView]
    var hasThemas: Bool
    var themaCount: Int
    var invitedCount: Int
    var documenten: [DocumentView]
    var hasDocumenten: Bool
    /// Without a code only public documents show; the page says there may be more.
    var moreAfterLogin: Bool
    var requiresDecision: Bool
    var action: NavItem?
    var notInvited: Bool
    /// The RSIV's answer to the griffie's own zienswijze, once the reactienota is vastgesteld (issue 15).
    var antwoord: AntwoordView?
}

extension Web {
    /// `/raadplegingen/{id}`, for everyone (a concept only for coordinators), and its documents.
    func registerConsultationPages(_ routes: inout RouteTable) {
        web(&routes, .get, "/raadplegingen/{id}") { [self] request in
            let session = webSession(request)
            let actor = session.map { request.actor(.code($0.principal), .web) } ?? request.actor(.anonymous, .web)
            let c = try consultation(consultationID(request), by: actor)
            let documenten = try ops.documenten(raadpleging: c.id, by: actor)
            let gemeente = try session?.principal.gemeente.flatMap { try ops.gemeente($0) }
            let invited = gemeente.map(c.invites) ?? false
            let state = c.deadlineState(at: clock.now())
            let antwoord = try gemeente.flatMap { g in
                invited ? AntwoordView(try ops.beantwoording(raadpleging: c.id, gemeente: g.code, by: actor)) : nil
            }
            let action: NavItem? = switch session?.principal.role {
            case nil: c.status == .open ? NavItem(href: "/inloggen", label: "Inloggen met uw toegangscode", current: false) : nil
            case .griffie?: invited ? NavItem(href: Links.form(c.id), label: c.status == .open ? "Naar het formulier"
                                               : "Uw ontvangstbevestiging", current: false) : nil
            case .coordinator?: NavItem(href: Links.overview(c.id), label: "Naar het overzicht", current: false)
            }
            let view = ConsultationView(
                titel: c.titel, omschrijving: c.omschrijving.isEmpty ? nil : c.omschrijving, status: c.status.label,
                open: c.status == .open, isConcept: c.status == .concept,
                deadline: c.deadline.map(AmsterdamTime.inWords), remaining: state.remainingInWords.map(sentence), past: state.isPast,
                themas: c.themas.map { ThemaView(code: $0.code, titel: $0.titel, samenvatting: $0.samenvatting) },
                hasThemas: !c.themas.isEmpty, themaCount: c.themas.count, invitedCount: c.uitgenodigd.count,
                documenten: documenten.map(DocumentView.init), hasDocumenten: !documenten.isEmpty, moreAfterLogin: session == nil,
                requiresDecision: c.raadsbesluitVerplicht, action: action,
                notInvited: session?.principal.role == .griffie && !invited, antwoord: antwoord)
            return page("raadpleging", title: c.titel, session: session, path: Links.consultation(c.id),
                        consultation: session == nil ? nil : c, content: view)
        }
        web(&routes, .get, "/raadplegingen/{id}/documenten/{document}") { [self] request in
            let actor = webSession(request).map { request.actor(.code($0.principal), .web) } ?? request.actor(.anonymous, .web)
            do {
                let (document, reader) = try ops.documentReader(request.parameters["document"] ?? "", raadpleging: consultationID(request),
                                                                by: actor)
                return .download(reader, cacheControl: document.openbaar ? "public, no-cache" : "private, no-store")
            } catch Refusal.notFound {
                throw WebFailure.notFound("Dit document bestaat niet, of is alleen te zien na inloggen.")
            }
        }
    }
}
