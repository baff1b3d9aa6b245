import Foundation

/// The reactienota (nota van beantwoording) as a document: what it says, section by section, in
/// the order both formats show it (the ODT, `ReactienotaODT`, and the printable web page). Made
/// once, from the live data (`init(_:nota:regels:)`, for coordinators) or from a published
/// snapshot (`init(publicatie:)`, for everyone); the formats only lay it out. Texts are as typed:
/// each format escapes them itself.
package struct ReactienotaDocument: Sendable, Equatable {
    /// An answer written for an older version than the gemeente's current one.
    package struct OlderAnswer: Sendable, Equatable {
        package var beantwoordtVersie: Int
        package var huidigeVersie: Int

        /// " (reactie op versie 1; de gemeente diende daarna versie 2 in)", said after the reaction.
        package var note: String {
            " (reactie op versie \(beantwoordtVersie); de gemeente diende daarna versie \(huidigeVersie) in)"
        }
    }

    /// One gemeente with a current zienswijze: a row of the overview table and an entry of the index.
    package struct GemeenteRegel: Sendable, Equatable {
        package var naam: String
        /// Nil only for a snapshot with a standpunt this version does not know.
        package var standpunt: Standpunt?
        package var datumRaadsbesluit: LocalDate?
        /// Nil when not known (a snapshot published before it held this).
        package var opTijd: Bool?
        package var versie: Int?
        /// Nil in a published document: kenmerken are never public.
        package var kenmerk: String?
        package var toelichting: String
        package var algemeneReactie: String
        package var older: OlderAnswer?
    }

    /// A council's remark on a theme, with the reaction to it (nil: none written).
    package struct ThemaOpmerking: Sendable, Equatable {
        package var gemeente: String
        package var tekst: String
        package var reactie: String?
        package var verwerking: Verwerking?
        package var older: OlderAnswer?
    }

    /// A theme with every remark on it, in the order of the overview.
    package struct ThemaSectie: Sendable, Equatable {
        package var titel: String
        package var opmerkingen: [ThemaOpmerking]
    }

    package var raadpleging: String
    package var titel: String
    /// Nil when there is none, or not known (a published document leaves out what its snapshot lacks).
    package var deadline: Date?
    package var rboVergadering: LocalDate?
    package var status: ReactienotaStatus
    package var rboDatum: LocalDate?
    package var vastgesteldOp: Date?
    /// How many gemeenten were invited; nil when not known.
    package var uitgenodigd: Int?
    package var gemeenten: [GemeenteRegel]
    /// Only the themes someone remarked on.
    package var themas: [ThemaSectie]

    package var isVastgesteld: Bool { status == .vastgesteld }

    /// The document of the live data: every invited gemeente with a current zienswijze, its
    /// version and its answer (see `ReactienotaInhoud`).
    package init(_ raadpleging: Raadpleging, nota: Reactienota, regels: [(gemeente: Gemeente, versie: Versie, reactie: Reactie?)]) {
        self.raadpleging = raadpleging.id
        titel = raadpleging.titel
        deadline = raadpleging.deadline
        rboVergadering = raadpleging.rboVergadering
        status = nota.status
        rboDatum = nota.rboDatum
        vastgesteldOp = nota.vastgesteldOp
        uitgenodigd = raadpleging.uitgenodigd.count
        let older = regels.map { regel in
            regel.reactie.flatMap { reactie in
                reactie.beantwoordtVersie < regel.versie.versie
                    ? OlderAnswer(beantwoordtVersie: reactie.beantwoordtVersie, huidigeVersie: regel.versie.versie) : nil
            }
        }
        gemeenten = zip(regels, older).map { regel, older in
            GemeenteRegel(naam: regel.gemeente.naam, standpunt: regel.versie.standpunt, datumRaadsbesluit: regel.versie.datumRaadsbesluit,
                     opTijd: !regel.versie.teLaat, versie: regel.versie.versie, kenmerk: regel.versie.kenmerk,
                     toelichting: regel.versie.toelichting, algemeneReactie: regel.reactie?.algemeen ?? "", older: older)
        }
        themas = raadpleging.themas.compactMap { thema in
            let opmerkingen = zip(regels, older).compactMap { regel, older -> ThemaOpmerking? in
                guard let opmerking = regel.versie.opmerkingen.first(where: { $0.thema == thema.code }) else { return nil }
                let reactie = regel.reactie?.opmerking(thema.code)
                return ThemaOpmerking(gemeente: regel.gemeente.naam, tekst: opmerking.tekst, reactie: reactie?.tekst,
                                 verwerking: reactie?.verwerking, older: reactie == nil ? nil : older)
            }
            return opmerkingen.isEmpty ? nil : ThemaSectie(titel: thema.titel, opmerkingen: opmerkingen)
        }
    }

    /// The document of a published snapshot (`Publicatie.snapshot`): exactly what was published,
    /// nothing read live. A snapshot holds no kenmerken; what an older snapshot lacks (the
    /// deadline, on time, the order of the themes) is left out or nil.
    package init(publicatie p: Publicatie) {
        let v = p.inhoud
        raadpleging = v["raadpleging"]?.stringValue ?? p.raadpleging
        titel = v["titel"]?.stringValue ?? p.raadpleging
        deadline = v["deadline"]?.stringValue.flatMap(AmsterdamTime.parseRFC3339)
        rboVergadering = nil
        status = .vastgesteld  // only a vastgestelde reactienota is published
        rboDatum = v["rboDatum"]?.stringValue.flatMap { LocalDate(iso: $0) }
        vastgesteldOp = v["vastgesteldOp"]?.stringValue.flatMap(AmsterdamTime.parseRFC3339)
        uitgenodigd = v["uitgenodigd"]?.intValue
        let entries = v["gemeenten"]?.arrayValue ?? []
        let older = entries.map { g -> OlderAnswer? in
            guard let answered = g["beantwoordtVersie"]?.intValue, let current = g["versie"]?.intValue, answered < current else { return nil }
            return OlderAnswer(beantwoordtVersie: answered, huidigeVersie: current)
        }
        gemeenten = zip(entries, older).map { g, older in
            GemeenteRegel(naam: g["naam"]?.stringValue ?? "", standpunt: g["standpunt"]?.stringValue.flatMap(Standpunt.init(rawValue:)),
                     datumRaadsbesluit: g["datumRaadsbesluit"]?.stringValue.flatMap { LocalDate(iso: $0) },
                     opTijd: g["teLaat"]?.boolValue.map { !$0 }, versie: g["versie"]?.intValue, kenmerk: nil,
                     toelichting: g["toelichting"]?.stringValue ?? "", algemeneReactie: g["algemeneReactie"]?.stringValue ?? "", older: older)
        }
        // The themes in the consultation's order when the snapshot holds it, else as they first appear.
        var order: [(code: String, titel: String)] = (v["themas"]?.arrayValue ?? []).compactMap { t in
            t["code"]?.stringValue.map { (code: $0, titel: t["titel"]?.stringValue ?? $0) }
        }
        for g in entries {
            for o in g["opmerkingen"]?.arrayValue ?? [] {
                guard let code = o["thema"]?.stringValue, !order.contains(where: { $0.code == code }) else { continue }
                order.append((code: code, titel: o["themaTitel"]?.stringValue ?? code))
            }
        }
        themas = order.compactMap { thema in
            let opmerkingen = zip(entries, older).compactMap { g, older -> ThemaOpmerking? in
                guard let o = (g["opmerkingen"]?.arrayValue ?? []).first(where: { $0["thema"]?.stringValue == thema.code }) else { return nil }
                let reactie = o["reactie"]?.stringValue
                return ThemaOpmerking(gemeente: g["naam"]?.stringValue ?? "", tekst: o["opmerking"]?.stringValue ?? "", reactie: reactie,
                                 verwerking: o["verwerking"]?.stringValue.flatMap(Verwerking.init(rawValue:)),
                                 older: reactie == nil ? nil : older)
            }
            return opmerkingen.isEmpty ? nil : ThemaSectie(titel: thema.titel, opmerkingen: opmerkingen)
        }
    }
}

