/// What a submission is checked against: the consultation's themes and today's date, and the
/// project's text limits (documented in the OpenAPI document as `maxLength`).
///
/// Lengths count Unicode scalars (code points). A browser's `maxlength` counts UTF-16 code units,
/// which are never fewer, so whatever a form lets through also passes here.
package struct SubmissionRules: Sendable {
    /// The consultation's thema codes, in display order.
    package var themas: [String]
    /// Today in Europe/Amsterdam (`AmsterdamTime.today(clock.now())`): `datumRaadsbesluit` may not be later.
    package var today: LocalDate

    package static let maxNaam = 200
    /// RFC 5321's limit on a forward path, the longest address that can actually be delivered.
    package static let maxEmail = 254
    package static let maxToelichting = 20_000
    package static let maxTekst = 10_000

    package init(themas: [String], today: LocalDate) {
        self.themas = themas
        self.today = today
    }

    /// A valid e-mail address by the HTML standard's definition (`TextRules.isValidEmail`: ASCII,
    /// no spaces, quotes or brackets), that is also deliverable on the internet: at least two
    /// domain labels, the last at least two characters.
    package static func isPlausibleEmail(_ s: String) -> Bool {
        guard TextRules.isValidEmail(s), let domain = s.split(separator: "@").last else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && (labels.last?.count ?? 0) >= 2
    }
}

/// The Dutch reasons given in `invalidParams`, one wording everywhere (API and web form).
package enum Reason {
    package static let required = "is verplicht"
    package static let unknownField = "onbekend veld"
    package static let repeatedField = "komt meer dan eens voor"
    package static let mustBeText = "moet een tekst zijn"
    package static let mustBeList = "moet een lijst (array) zijn"
    package static let indienerObject = "moet een object zijn met naam en email"
    package static let opmerkingObject = "moet een object zijn met thema en tekst"
    package static let attachmentID = "moet het id van een bijlage zijn (een tekst)"
    package static let dateRequired = "is verplicht, behalve bij standpunt geen-zienswijze"
    package static let dateFormat = "moet een datum zijn in de vorm JJJJ-MM-DD"
    package static let dateNotReal = "is geen bestaande datum"
    package static let email = "is geen geldig e-mailadres"
    package static let duplicateThema = "komt al eerder voor"
    package static let controlCharacters = "bevat niet-toegestane stuurtekens"
    package static let lineBreaks = "mag geen regeleinden of stuurtekens bevatten"
    package static let formatCharacters = "bevat onzichtbare opmaaktekens (zoals tekens die de leesrichting omdraaien); verwijder die"

    package static func tooLong(_ max: Int) -> String { "te lang: ten hoogste \(max) tekens" }
    package static func future(_ today: LocalDate) -> String { "mag niet in de toekomst liggen (vandaag is \(today.inWords))" }
    package static var unknownStandpunt: String {
        "onbekend standpunt; kies uit: " + Standpunt.allCases.map(\.rawValue).joined(separator: ", ")
    }
    package static func unknownThema(_ themas: [String]) -> String {
        "onbekend thema; kies uit: " + themas.joined(separator: ", ")
    }
}

/// Checks single field values and collects every problem, so a submission's problems are all
/// reported at once. Shared by the JSON and form decoders so both give the same verdicts.
struct FieldChecker {
    let rules: SubmissionRules
    private(set) var problems: [InvalidParam] = []

    init(rules: SubmissionRules) { self.rules = rules }

    mutating func report(_ name: String, _ reason: String) {
        problems.append(InvalidParam(name: name, reason: reason))
    }

    /// `raw` nil or empty: absent.
    mutating func standpunt(_ raw: String?, name: String) -> Standpunt? {
        guard let raw, !raw.isEmpty else { report(name, Reason.required); return nil }
        guard let value = Standpunt(rawValue: raw) else { report(name, Reason.unknownStandpunt); return nil }
        return value
    }

    /// `raw` nil or empty: absent, which is fine only for `geen-zienswijze` (a missing or invalid
    /// standpunt counts as one that needs a date). Returns `.some(nil)` for an allowed absence.
    mutating func datum(_ raw: String?, standpunt: Standpunt?, name: String) -> LocalDate?? {
        guard let raw, !raw.isEmpty else {
            if standpunt == .geenZienswijze { return .some(nil) }
            report(name, Reason.dateRequired)
            return nil
        }
        let shapeOK = raw.utf8.count == 10 && raw.utf8.enumerated().allSatisfy { n, b in
            n == 4 || n == 7 ? b == UInt8(ascii: "-") : (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        }
        guard shapeOK else { report(name, Reason.dateFormat); return nil }
        guard let date = LocalDate(iso: raw) else { report(name, Reason.dateNotReal); return nil }
        guard date <= rules.today else { report(name, Reason.future(rules.today)); return nil }
        return .some(date)
    }

    /// Trimmed; blank counts as absent.
    mutating func naam(_ raw: String?, name: String) -> String? {
        let value = raw.map(trimmed) ?? ""
        guard !value.isEmpty else { report(name, Reason.required); return nil }
        if let problem = TextRules.nameProblem(value, max: SubmissionRules.maxNaam) { report(name, problem); return nil }
        return value
    }

    /// Trimmed; blank counts as absent.
    mutating func email(_ raw: String?, name: String) -> String? {
        let value = raw.map(trimmed) ?? ""
        guard !value.isEmpty else { report(name, Reason.required); return nil }
        guard value.unicodeScalars.count <= SubmissionRules.maxEmail else {
            report(name, Reason.tooLong(SubmissionRules.maxEmail))
            return nil
        }
        guard SubmissionRules.isPlausibleEmail(value) else { report(name, Reason.email); return nil }
        return value
    }

    /// Kept exactly as sent (what was sent is what is stored and hashed).
    mutating func toelichting(_ raw: String, name: String) -> String? {
        textOK(raw, max: SubmissionRules.maxToelichting, multiline: true, name: name) ? raw : nil
    }

    /// A thema code: known, and not used before in this submission (`seen` tracks that).
    mutating func thema(_ raw: String?, name: String, seen: inout Set<String>) -> String? {
        guard let raw, !raw.isEmpty else { report(name, Reason.required); return nil }
        guard rules.themas.contains(raw) else { report(name, Reason.unknownThema(rules.themas)); return nil }
        guard seen.insert(raw).inserted else { report(name, Reason.duplicateThema); return nil }
        return raw
    }

    /// A remark's text: required (not blank), kept exactly as sent.
    mutating func tekst(_ raw: String?, name: String) -> String? {
        guard let raw, !trimmed(raw).isEmpty else { report(name, Reason.required); return nil }
        return textOK(raw, max: SubmissionRules.maxTekst, multiline: true, name: name) ? raw : nil
    }

    /// Length and character checks. Multi-line texts may hold `\n`, `\r` and `\t`; no text may hold
    /// other control characters (C0, DEL, C1), which have no place in a letter and can upset
    /// exports and terminals.
    private mutating func textOK(_ s: String, max: Int, multiline: Bool, name: String) -> Bool {
        var count = 0
        var badCharacter = false
        for c in s.unicodeScalars {
            count += 1
            if c.value < 0x20 || (0x7F...0x9F).contains(c.value) {
                if !(multiline && (c == "\n" || c == "\r" || c == "\t")) { badCharacter = true }
            }
        }
        if count > max { report(name, Reason.tooLong(max)); return false }
        if badCharacter { report(name, multiline ? Reason.controlCharacters : Reason.lineBreaks); return false }
        return true
    }

    private func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
