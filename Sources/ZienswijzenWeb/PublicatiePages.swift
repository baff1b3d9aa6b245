import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct PublicatieView {
    struct Opmerking {
        var themaTitel: String
        var opmerking: String
        var reactie: String?
        var verwerking: String?
    }

    struct Gemeente {
        var naam: String
        var standpunt: String
        var datumRaadsbesluit: String?
        var algemeneReactie: String?
        var opmerkingen: [Opmerking]
        var hasOpmerkingen: Bool
    }

    var titel: String
    var rboDatum: String?
    var gepubliceerdOp: String
    var gemeenten: [Gemeente]
    var hasGemeenten: Bool
    /// The printable reactienota of the same snapshot.
    var notaHref: String

    /// The page's view of the stored snapshot (see `Publicatie.snapshot`): it shows the snapshot,
    /// nothing read live.
    init(_ p: Publicatie) {
        let v = p.inhoud
        titel = v["titel"]?.stringValue ?? p.raadpleging
        rboDatum = v["rboDatum"]?.stringValue.flatMap { LocalDate(iso: $0)?.inWords }
        gepubliceerdOp = AmsterdamTime.inWords(p.gepubliceerdOp)
        gemeenten = (v["gemeenten"]?.arrayValue ?? []).map { g in
            let opmerkingen = (g["opmerkingen"]?.arrayValue ?? []).map { o in
                Opmerking(themaTitel: o["themaTitel"]?.stringValue ?? "", opmerking: o["opmerking"]?.stringValue ?? "",
                          reactie: o["reactie"]?.stringValue,
                          verwerking: o["verwerking"]?.stringValue.flatMap(Verwerking.init(rawValue:))?.label)
            }
            let algemeen = g["algemeneReactie"]?.stringValue ?? ""
            return Gemeente(naam: g["naam"]?.stringValue ?? "",
                            standpunt: g["standpunt"]?.stringValue.flatMap(Standpunt.init(rawValue:))?.label ?? "",
                            datumRaadsbesluit: g["datumRaadsbesluit"]?.stringValue.flatMap { LocalDate(iso: $0)?.inWords },
                            algemeneReactie: algemeen.isEmpty ? nil : algemeen, opmerkingen: opmerkingen, hasOpmerkingen: !opmerkingen.isEmpty)
        }
        hasGemeenten = !gemeenten.isEmpty
        notaHref = Links.publishedReactienota(p.raadpleging)
    }
}

extension Web {
    /// The published result, for everyone; publishing and withdrawing it (coordinators, from the
    /// reactienota page).
    func registerPublicatiePages(_ routes: inout RouteTable) {
        web(&routes, .get, "/raadplegingen/{id}/publicatie") { [self] request in
            let session = webSession(request)
            let actor = session.map { request.actor(.code($0.principal), .web) } ?? request.actor(.anonymous, .web)
            let c = try consultation(consultationID(request), by: actor)
            let publicatie: Publicatie
            do {
                publicatie = try ops.publicatie(raadpleging: c.id, by: actor)
            } catch Refusal.notFound(let subject) {
                throw WebFailure.notFound(Refusal.notFound(subject).detail)
            }
            return page("publicatie", title: "Reacties op de zienswijzen: \(c.titel)", session: session, path: Links.publicatie(c.id),
                        consultation: session == nil ? nil : c, content: PublicatieView(publicatie))
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/publicatie/publiceren", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            _ = try checkedForm(request, expected: session.csrfToken)
            let id = consultationID(request)
            do {
                _ = try ops.publish(raadpleging: id, by: request.actor(.code(session.principal), .web))
            } catch Refusal.conflict(let reason) {
                throw WebFailure.conflict(Refusal.conflict(reason).detail)
            }
            return .redirect(to: Links.reactienota(id) + "?opgeslagen=gepubliceerd")
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/publicatie/intrekken", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            _ = try checkedForm(request, expected: session.csrfToken)
            let id = consultationID(request)
            do {
                try ops.withdrawPublication(raadpleging: id, by: request.actor(.code(session.principal), .web))
            } catch Refusal.notFound(let subject) {
                throw WebFailure.notFound(Refusal.notFound(subject).detail)
            }
            return .redirect(to: Links.reactienota(id) + "?opgeslagen=ingetrokken")
        }
    }
}
