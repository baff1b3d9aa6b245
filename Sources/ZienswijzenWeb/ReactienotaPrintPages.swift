import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// The reactienota as a printable page: the same `ReactienotaDocument` the ODT lays out, as HTML
/// that prints on A4 (see `print.css`).
struct ReactienotaPrintView {
    struct Gemeente {
        var naam: String
        var standpunt: String
        /// "versie 2" (with the kenmerk for coordinators), or nil when not known.
        var versie: String?
        var datumRaadsbesluit: String
        var opTijd: String
        var teLaat: Bool
        var toelichting: String?
        var algemeneReactie: String?
        var older: String?
    }

    struct Opmerking {
        var gemeente: String
        var tekst: String
        var reactie: String?
        var verwerking: String?
        var older: String?
    }

    struct Thema {
        var titel: String
        var opmerkingen: [Opmerking]
    }

    var titel: String
    var vastgesteld: Bool
    var rboDatum: String?
    var vastgesteldOp: String?
    var deadline: String?
    var rboVergadering: String?
    var aantal: String
    var gepubliceerdOp: String?
    var backHref: String
    var backLabel: String
    /// The ODT of the same contents (coordinators only).
    var odtHref: String?
    var gemeenten: [Gemeente]
    var hasGemeenten: Bool
    var themas: [Thema]
    var hasThemas: Bool

    init(_ doc: ReactienotaDocument, gepubliceerdOp: Date? = nil, backHref: String, backLabel: String, odtHref: String? = nil) {
        titel = doc.titel
        vastgesteld = doc.isVastgesteld
        rboDatum = doc.rboDatum?.inWords
        vastgesteldOp = doc.isVastgesteld ? doc.vastgesteldOp.map(AmsterdamTime.inWords) : nil
        deadline = doc.deadline.map(AmsterdamTime.inWords)
        rboVergadering = doc.rboVergadering?.inWords
        aantal = doc.uitgenodigd.map { "\(doc.gemeenten.count) van \($0) uitgenodigde gemeenten" } ?? "\(doc.gemeenten.count) gemeenten"
        self.gepubliceerdOp = gepubliceerdOp.map(AmsterdamTime.inWords)
        self.backHref = backHref
        self.backLabel = backLabel
        self.odtHref = odtHref
        gemeenten = doc.gemeenten.map { g in
            Gemeente(naam: g.naam, standpunt: g.standpunt?.label ?? "—",
                     versie: g.versie.map { "versie \($0)" + (g.kenmerk.map { ", kenmerk \($0)" } ?? "") },
                     datumRaadsbesluit: g.datumRaadsbesluit?.inWords ?? "—",
                     opTijd: g.opTijd.map { $0 ? "Op tijd" : "Te laat" } ?? "—", teLaat: g.opTijd == false,
                     toelichting: g.toelichting.isEmpty ? nil : g.toelichting,
                     algemeneReactie: g.algemeneReactie.isEmpty ? nil : g.algemeneReactie, older: g.older.map(Self.olderSentence))
        }
        hasGemeenten = !gemeenten.isEmpty
        themas = doc.themas.map { t in
            Thema(titel: t.titel, opmerkingen: t.opmerkingen.map { o in
                Opmerking(gemeente: o.gemeente, tekst: o.tekst, reactie: o.reactie, verwerking: o.verwerking?.label,
                          older: o.older.map(Self.olderSentence))
            })
        }
        hasThemas = !themas.isEmpty
    }

    private static func olderSentence(_ older: ReactienotaDocument.OlderAnswer) -> String {
        "Deze reactie is geschreven op versie \(older.beantwoordtVersie); de gemeente diende daarna versie \(older.huidigeVersie) in."
    }
}

extension Web {
    /// The printable page of `doc` without a session (the API's `formaat=html`): no navigation,
    /// a link back to the coordinator's reactienota page.
    package func printableReactienota(_ doc: ReactienotaDocument) -> HTTPResponse {
        page("reactienota-afdrukken", title: "Reactienota: \(doc.titel)" + (doc.isVastgesteld ? "" : " (concept)"), session: nil,
             content: ReactienotaPrintView(doc, backHref: Links.reactienota(doc.raadpleging), backLabel: "Naar de reactienota"))
    }

    /// The printable reactienota: for coordinators the state of now (a concept says so), for
    /// everyone the published snapshot once it is published.
    func registerReactienotaPrintPages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/raadplegingen/{id}/reactienota/afdrukken") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let actor = request.actor(.code(session.principal), .web)
            let c = try consultation(consultationID(request), by: actor)
            let inhoud = try ops.reactienotaInhoud(raadpleging: c.id, by: actor)
            let view = ReactienotaPrintView(inhoud.document, backHref: Links.reactienota(c.id), backLabel: "Terug naar de reactienota",
                                            odtHref: Links.reactienota(c.id) + ".odt")
            return page("reactienota-afdrukken", title: "Reactienota: \(c.titel)" + (inhoud.nota.isVastgesteld ? "" : " (concept)"),
                        session: session, path: Links.printableReactienota(c.id), consultation: c, content: view)
        }
        web(&routes, .get, "/raadplegingen/{id}/publicatie/reactienota") { [self] request in
            let session = webSession(request)
            let actor = session.map { request.actor(.code($0.principal), .web) } ?? request.actor(.anonymous, .web)
            let c = try consultation(consultationID(request), by: actor)
            let publicatie: Publicatie
            do {
                publicatie = try ops.publicatie(raadpleging: c.id, by: actor)
            } catch Refusal.notFound(let subject) {
                throw WebFailure.notFound(Refusal.notFound(subject).detail)
            }
            let view = ReactienotaPrintView(ReactienotaDocument(publicatie: publicatie), gepubliceerdOp: publicatie.gepubliceerdOp,
                                            backHref: Links.publicatie(c.id), backLabel: "Terug naar de gepubliceerde reacties")
            return page("reactienota-afdrukken", title: "Reactienota: \(c.titel)", session: session,
                        path: Links.publishedReactienota(c.id), consultation: session == nil ? nil : c, content: view)
        }
    }
}
