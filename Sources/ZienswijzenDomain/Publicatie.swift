import Foundation

/// The published result of a consultation (issue 15): a snapshot of exactly what is public, taken
/// when a coordinator publishes it. It never holds the indiener (name, e-mail address), kenmerken,
/// access codes or audit data: per gemeente its standpunt, the date of its council decision, the
/// council's toelichting, its remarks per theme and the RSIV's reactions, and the dates the
/// published reactienota shows.
package struct Publicatie: Sendable, Equatable {
    package var raadpleging: String
    /// The JSON object `GET /api/v1/raadplegingen/{id}/publicatie` returns, as stored.
    package var inhoud: JSONValue
    package var gepubliceerdOp: Date

    package init(raadpleging: String, inhoud: JSONValue, gepubliceerdOp: Date) {
        self.raadpleging = raadpleging
        self.inhoud = inhoud
        self.gepubliceerdOp = gepubliceerdOp
    }

    /// The snapshot: `{raadpleging, titel, deadline, rboDatum, vastgesteldOp, gepubliceerdOp,
    /// uitgenodigd, themas: [{code, titel}], gemeenten: [{code, naam, standpunt, datumRaadsbesluit,
    /// teLaat, versie, beantwoordtVersie, toelichting, algemeneReactie, opmerkingen: [{thema,
    /// themaTitel, opmerking, reactie, verwerking}]}]}`; `reactie` and `verwerking` are null for a
    /// remark without a reaction, `algemeneReactie` "" when there is none. It holds everything the
    /// published reactienota shows (`ReactienotaDocument(publicatie:)`); snapshots from before
    /// `deadline`, `vastgesteldOp`, `uitgenodigd`, `themas`, `teLaat`, `beantwoordtVersie` and
    /// `toelichting` lack those members.
    package static func snapshot(_ raadpleging: Raadpleging, nota: Reactienota,
                                 regels: [(gemeente: Gemeente, versie: Versie, reactie: Reactie?)], at: Date) -> JSONValue {
        .object([
            ("raadpleging", .string(raadpleging.id)), ("titel", .string(raadpleging.titel)),
            ("deadline", .string(raadpleging.deadline.map(AmsterdamTime.rfc3339))),
            ("rboDatum", .string(nota.rboDatum?.iso)), ("vastgesteldOp", .string(nota.vastgesteldOp.map(AmsterdamTime.rfc3339))),
            ("gepubliceerdOp", .string(AmsterdamTime.rfc3339(at))),
            ("uitgenodigd", .int(raadpleging.uitgenodigd.count)),
            ("themas", .array(raadpleging.themas.map { .object([("code", .string($0.code)), ("titel", .string($0.titel))]) })),
            ("gemeenten", .array(regels.map { regel in
                .object([
                    ("code", .string(regel.gemeente.code)), ("naam", .string(regel.gemeente.naam)),
                    ("standpunt", .string(regel.versie.standpunt.rawValue)),
                    ("datumRaadsbesluit", .string(regel.versie.datumRaadsbesluit?.iso)),
                    ("teLaat", .bool(regel.versie.teLaat)),
                    ("versie", .int(regel.versie.versie)),
                    ("beantwoordtVersie", regel.reactie.map { .int($0.beantwoordtVersie) } ?? .null),
                    ("toelichting", .string(regel.versie.toelichting)),
                    ("algemeneReactie", .string(regel.reactie?.algemeen ?? "")),
                    ("opmerkingen", .array(regel.versie.opmerkingen.map { opmerking in
                        let reactie = regel.reactie?.opmerking(opmerking.thema)
                        return .object([
                            ("thema", .string(opmerking.thema)),
                            ("themaTitel", .string(raadpleging.themas.first { $0.code == opmerking.thema }?.titel ?? opmerking.thema)),
                            ("opmerking", .string(opmerking.tekst)),
                            ("reactie", .string(reactie?.tekst)),
                            ("verwerking", .string(reactie?.verwerking.rawValue)),
                        ])
                    })),
                ])
            })),
        ])
    }
}
