import Foundation
import ZienswijzenDomain

/// The reactienota (nota van beantwoording) as an OpenDocument text, laid out from a
/// `ReactienotaDocument` (which the printable page lays out too): the consultation and its dates,
/// an overview of the zienswijzen (gemeente, standpunt, datum raadsbesluit, op tijd), then per
/// theme every council's remark with its reaction and how it was processed, then per gemeente the
/// general reaction. Small enough to build in memory.
package enum ReactienotaODT {
    package static let mediaType = ODTPackage.mediaType

    package static func document(_ doc: ReactienotaDocument) throws -> [UInt8] {
        try ODTPackage.make(body: body(doc), automaticStyles: ODTText.automaticStyles,
                            modified: doc.vastgesteldOp ?? Date(timeIntervalSince1970: 0))
    }

    /// The `office:text` content (separately, for tests that read the XML).
    package static func body(_ doc: ReactienotaDocument) -> String {
        var out = ODTText.paragraph("Reactienota: \(doc.titel)", style: "Title")
        out += ODTText.labelled("Raadpleging:", doc.raadpleging)
        out += ODTText.labelled("Deadline:", doc.deadline.map(AmsterdamTime.inWords) ?? "geen")
        out += ODTText.labelled("RBO-vergadering:", doc.rboVergadering?.iso ?? "nog niet bepaald")
        switch doc.status {
        case .vastgesteld:
            out += ODTText.labelled("Status:", "vastgesteld door het RBO op \(doc.rboDatum?.iso ?? "")")
        case .concept:
            out += ODTText.labelled("Status:", "concept (niet vastgesteld)")
        }
        out += ODTText.labelled("Zienswijzen:", "\(doc.gemeenten.count) van \(doc.uitgenodigd.map { String($0) } ?? "?") uitgenodigde gemeenten")

        out += ODTText.heading("Overzicht van de zienswijzen", level: 1)
        out += ODTText.table(name: "Overzicht", header: ["Gemeente", "Standpunt", "Datum raadsbesluit", "Op tijd"], rows: doc.gemeenten.map {
            [$0.naam, $0.standpunt?.label ?? "—", $0.datumRaadsbesluit?.iso ?? "—", $0.opTijd.map { $0 ? "Ja" : "Nee" } ?? "—"]
        })

        out += ODTText.heading("Reacties per thema", level: 1)
        for thema in doc.themas {
            out += ODTText.heading(thema.titel, level: 2)
            for opmerking in thema.opmerkingen {
                out += ODTText.heading(opmerking.gemeente, level: 3)
                out += ODTText.labelled("Opmerking:", opmerking.tekst)
                if let reactie = opmerking.reactie {
                    out += ODTText.labelled("Reactie:", reactie)
                    out += ODTText.labelled("Verwerking:", (opmerking.verwerking?.label ?? "—") + (opmerking.older?.note ?? ""))
                } else {
                    out += ODTText.labelled("Reactie:", "(nog geen reactie)")
                }
            }
        }

        out += ODTText.heading("Algemene reacties per gemeente", level: 1)
        for gemeente in doc.gemeenten {
            out += ODTText.heading(gemeente.naam, level: 2)
            let versie = [gemeente.versie.map { "versie \($0)" }, gemeente.kenmerk].compactMap { $0 }.joined(separator: ", ")
            out += ODTText.labelled("Standpunt:", (gemeente.standpunt?.label ?? "—") + (versie.isEmpty ? "" : " (\(versie))"))
            if !gemeente.toelichting.isEmpty { out += ODTText.labelled("Toelichting van de raad:", gemeente.toelichting) }
            let algemeen = gemeente.algemeneReactie
            out += ODTText.labelled("Reactie:", (algemeen.isEmpty ? "(geen algemene reactie)" : algemeen) + (gemeente.older?.note ?? ""))
        }
        return out
    }
}
