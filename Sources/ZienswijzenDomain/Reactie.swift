import Foundation

/// How a council's remark was processed in the plan (issue 15). Raw values are the API's words.
package enum Verwerking: String, Sendable, CaseIterable {
    case overgenomen
    case gedeeltelijkOvergenomen = "gedeeltelijk-overgenomen"
    case nietOvergenomen = "niet-overgenomen"
    case terKennisname = "ter-kennisname"

    /// Dutch, for pages and the reactienota.
    package var label: String {
        switch self {
        case .overgenomen: "Overgenomen"
        case .gedeeltelijkOvergenomen: "Gedeeltelijk overgenomen"
        case .nietOvergenomen: "Niet overgenomen"
        case .terKennisname: "Ter kennisname"
        }
    }

    package static var reason: String {
        "onbekende verwerking; kies uit: " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

/// The reaction to one theme remark of a zienswijze.
package struct ReactieOpmerking: Sendable, Equatable {
    /// The thema code of the remark answered.
    package var thema: String
    package var tekst: String
    package var verwerking: Verwerking

    package init(thema: String, tekst: String, verwerking: Verwerking) {
        self.thema = thema
        self.tekst = tekst
        self.verwerking = verwerking
    }
}

/// What a coordinator writes for one gemeente: the general reaction and a reaction per remark.
package struct ReactieInput: Sendable, Equatable {
    package var algemeen: String
    package var opmerkingen: [ReactieOpmerking]

    package init(algemeen: String, opmerkingen: [ReactieOpmerking]) {
        self.algemeen = algemeen
        self.opmerkingen = opmerkingen
    }
}

/// The RSIV's answer to the zienswijze of one gemeente, and the version it answers. When the
/// council submitted a newer version since, `beantwoordtVersie` is lower than the current version
/// and the answer is shown as answering an older one.
package struct Reactie: Sendable, Equatable {
    package var raadpleging: String
    package var gemeente: String
    package var beantwoordtVersie: Int
    package var algemeen: String
    package var opmerkingen: [ReactieOpmerking]
    package var gewijzigdOp: Date

    package init(raadpleging: String, gemeente: String, beantwoordtVersie: Int, algemeen: String,
                 opmerkingen: [ReactieOpmerking], gewijzigdOp: Date) {
        self.raadpleging = raadpleging
        self.gemeente = gemeente
        self.beantwoordtVersie = beantwoordtVersie
        self.algemeen = algemeen
        self.opmerkingen = opmerkingen
        self.gewijzigdOp = gewijzigdOp
    }

    /// The reaction to the remark on `thema`, if written.
    package func opmerking(_ thema: String) -> ReactieOpmerking? { opmerkingen.first { $0.thema == thema } }
}

/// Where the reactienota of a consultation stands.
package enum ReactienotaStatus: String, Sendable, CaseIterable {
    /// The answers are drafts: coordinators write and change them; griffies see nothing.
    case concept
    /// Adopted by the RBO on `rboDatum`: the answers are frozen and griffies see their own.
    case vastgesteld

    package var label: String {
        switch self {
        case .concept: "Concept"
        case .vastgesteld: "Vastgesteld"
        }
    }
}

/// The reactienota (nota van beantwoording) of a consultation: all answers together, adopted by
/// the RBO. Without a stored row it is a concept.
package struct Reactienota: Sendable, Equatable {
    package var raadpleging: String
    package var status: ReactienotaStatus
    package var rboDatum: LocalDate?
    package var vastgesteldOp: Date?

    package init(raadpleging: String, status: ReactienotaStatus = .concept, rboDatum: LocalDate? = nil, vastgesteldOp: Date? = nil) {
        self.raadpleging = raadpleging
        self.status = status
        self.rboDatum = rboDatum
        self.vastgesteldOp = vastgesteldOp
    }

    package var isVastgesteld: Bool { status == .vastgesteld }
}

/// The rules for what a coordinator writes in a reactie, judged against the remarks of the
/// version it answers: every problem at once, by JSON path.
package enum ReactieRules {
    package static let maxTekst = 20_000

    /// Problems with `input` as the answer to `versie`: texts (line breaks allowed, no other
    /// control characters, at most `maxTekst`), a reaction's tekst required, each thema a remark
    /// of the version and at most once.
    package static func problems(_ input: ReactieInput, answering versie: Versie) -> [InvalidParam] {
        var problems = RaadplegingRules.multiline(input.algemeen, max: maxTekst, name: "algemeen")
        let remarked = versie.opmerkingen.map(\.thema)
        var seen = Set<String>()
        for (n, opmerking) in input.opmerkingen.enumerated() {
            let path = "opmerkingen[\(n)]"
            if !remarked.contains(opmerking.thema) {
                problems.append(InvalidParam(name: path + ".thema", reason: remarked.isEmpty
                    ? "deze zienswijze heeft geen opmerkingen per thema"
                    : "de zienswijze heeft geen opmerking over dit thema; kies uit: " + remarked.joined(separator: ", ")))
            } else if !seen.insert(opmerking.thema).inserted {
                problems.append(InvalidParam(name: path + ".thema", reason: Reason.duplicateThema))
            }
            if opmerking.tekst.trimmingWhitespace.isEmpty {
                problems.append(InvalidParam(name: path + ".tekst", reason: Reason.required))
            } else {
                problems += RaadplegingRules.multiline(opmerking.tekst, max: maxTekst, name: path + ".tekst")
            }
        }
        return problems
    }
}

/// How far the answers of a consultation are: per invited gemeente with a current zienswijze
/// (not withdrawn), whether it is answered (the current version), answered for an older version,
/// or not yet.
package struct ReactieVoortgang: Sendable, Equatable {
    package enum Stand: String, Sendable {
        case beantwoord
        /// Answered, but the council submitted a newer version since.
        case verouderd
        case open
    }

    package struct Regel: Sendable, Equatable {
        package var gemeente: Gemeente
        package var versie: Int
        package var beantwoordtVersie: Int?
        package var stand: Stand

        package init(gemeente: Gemeente, versie: Int, beantwoordtVersie: Int?) {
            self.gemeente = gemeente
            self.versie = versie
            self.beantwoordtVersie = beantwoordtVersie
            self.stand = switch beantwoordtVersie {
            case nil: .open
            case let n? where n < versie: .verouderd
            default: .beantwoord
            }
        }
    }

    package var raadpleging: String
    package var uitgenodigd: Int
    package var regels: [Regel]
    package var nota: Reactienota

    package init(raadpleging: String, uitgenodigd: Int, regels: [Regel], nota: Reactienota) {
        self.raadpleging = raadpleging
        self.uitgenodigd = uitgenodigd
        self.regels = regels
        self.nota = nota
    }

    package var metZienswijze: Int { regels.count }
    package func count(_ stand: Stand) -> Int { regels.filter { $0.stand == stand }.count }
    /// "21 van 27 beantwoord".
    package var summary: String { "\(count(.beantwoord)) van \(metZienswijze) beantwoord" }
}
