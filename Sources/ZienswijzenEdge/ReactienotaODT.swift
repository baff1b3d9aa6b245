import Foundation
import ZienswijzenDomain
import ZienswijzenOperations

/// The reactienota (nota van beantwoording) as an OpenDocument text, generated from the data:
/// the consultation and its dates, an overview of the zienswijzen (gemeente, standpunt, datum
/// raadsbesluit, op tijd), then per theme every council's remark with its reaction and how it was
/// processed, then per gemeente the general reaction. Small enough to build in memory.
package enum ReactienotaODT {
    package static let mediaType = ODTPackage.mediaType

    package static func document(_ inhoud: ReactienotaInhoud, themas: [Thema]) throws -> [UInt8] {
        try ODTPackage.make(body: body(inhoud, themas: themas), automaticStyles: ODTText.automaticStyles,
                            modified: inhoud.nota.vastgesteldOp ?? Date(timeIntervalSince1970: 0))
    }

    /// The `office:text` content (separately, for tests that read the XML).
    package static func body(_ inhoud: ReactienotaInhoud, themas: [Thema]) -> String {
        let r = inhoud.raadpleging
        var out = ODTText.paragraph("Reactienota: \(r.titel)", style: "Title")
        out += ODTText.labelled("Raadpleging:", r.id)
        out += ODTText.labelled("Deadline:", r.deadline.map(AmsterdamTime.inWords) ?? "geen")
        out += ODTText.labelled("RBO-vergadering:", r.rboVergadering?.iso ?? "nog niet bepaald")
        switch inhoud.nota.status {
        case .vastgesteld:
            out += ODTText.labelled("Status:", "vastgesteld door het RBO op \(inhoud.nota.rboDatum?.iso ?? "")")
        case .concept:
            out += ODTText.labelled("Status:", "concept (niet vastgesteld)")
        }
        out += ODTText.labelled("Zienswijzen:", "\(inhoud.regels.count) van \(r.uitgenodigd.count) uitgenodigde gemeenten")

        out += ODTText.heading("Overzicht van de zienswijzen", level: 1)
        out += ODTText.table(name: "Overzicht", header: ["Gemeente", "Standpunt", "Datum raadsbesluit", "Op tijd"], rows: inhoud.regels.map {
            [$0.gemeente.naam, $0.versie.standpunt.label, $0.versie.datumRaadsbesluit?.iso ?? "—", $0.versie.teLaat ? "Nee" : "Ja"]
        })

        out += ODTText.heading("Reacties per thema", level: 1)
        for thema in themas {
            let remarks = inhoud.regels.compactMap { regel in
                regel.versie.opmerkingen.first { $0.thema == thema.code }.map { (regel, $0) }
            }
            guard !remarks.isEmpty else { continue }
            out += ODTText.heading(thema.titel, level: 2)
            for (regel, opmerking) in remarks {
                out += ODTText.heading(regel.gemeente.naam, level: 3)
                out += ODTText.labelled("Opmerking:", opmerking.tekst)
                if let reactie = regel.reactie?.opmerking(thema.code) {
                    out += ODTText.labelled("Reactie:", reactie.tekst)
                    out += ODTText.labelled("Verwerking:", reactie.verwerking.label + olderNote(regel))
                } else {
                    out += ODTText.labelled("Reactie:", "(nog geen reactie)")
                }
            }
        }

        out += ODTText.heading("Algemene reacties per gemeente", level: 1)
        for regel in inhoud.regels {
            out += ODTText.heading(regel.gemeente.naam, level: 2)
            out += ODTText.labelled("Standpunt:", regel.versie.standpunt.label + " (versie \(regel.versie.versie), \(regel.versie.kenmerk))")
            if !regel.versie.toelichting.isEmpty { out += ODTText.labelled("Toelichting van de raad:", regel.versie.toelichting) }
            let algemeen = regel.reactie?.algemeen ?? ""
            out += ODTText.labelled("Reactie:", (algemeen.isEmpty ? "(geen algemene reactie)" : algemeen) + olderNote(regel))
        }
        return out
    }

    private static func olderNote(_ regel: (gemeente: Gemeente, versie: Versie, reactie: Reactie?)) -> String {
        guard let reactie = regel.reactie, reactie.beantwoordtVersie < regel.versie.versie else { return "" }
        return " (reactie op versie \(reactie.beantwoordtVersie); de gemeente diende daarna versie \(regel.versie.versie) in)"
    }
}
