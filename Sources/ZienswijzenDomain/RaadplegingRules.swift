/// The rules for what a coordinator types when setting up a consultation, a document or a
/// gemeente: every problem at once, by field name (the JSON path; the web pages map them to their
/// fields), with Dutch reasons.
package enum RaadplegingRules {
    package static let maxTitel = 200
    package static let maxOmschrijving = 5000
    package static let maxSamenvatting = 2000
    package static let maxThemaCode = 60
    package static let maxThemas = 50
    package static let maxNaam = 100

    package static let idReason = "moet 3 tot 100 tekens zijn: kleine letters, cijfers en losse streepjes, zoals coalitie-voor-veiligheid-2027-2030"
    package static let themaCodeReason = "moet beginnen met een kleine letter, daarna kleine letters, cijfers en losse streepjes (ten hoogste 60)"
    package static let gemeenteCodeReason = "moet een CBS-code zijn: GM en vier cijfers, zoals GM0518"

    /// A consultation id (it is part of every address): `[a-z0-9]+(-[a-z0-9]+)*`, 3 to 100 long.
    package static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (3...100).contains(bytes.count) else { return false }
        return isSlug(bytes)
    }

    /// A theme code: a lowercase letter, then lowercase letters, digits and single hyphens.
    package static func isValidThemaCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard (1...maxThemaCode).contains(bytes.count), let first = bytes.first, isLower(first) else { return false }
        return isSlug(bytes)
    }

    /// `GM` and four digits.
    package static func isValidGemeenteCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        return bytes.count == 6 && bytes[0] == UInt8(ascii: "G") && bytes[1] == UInt8(ascii: "M")
            && bytes[2...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Problems with a consultation's title (required, one line).
    package static func titelProblems(_ titel: String, name: String = "titel") -> [InvalidParam] {
        oneLine(titel, max: maxTitel, name: name)
    }

    /// Problems with a description (optional; line breaks and tabs allowed, no other control characters).
    package static func omschrijvingProblems(_ text: String, name: String = "omschrijving") -> [InvalidParam] {
        multiline(text, max: maxOmschrijving, name: name)
    }

    /// Problems with a list of themes: valid, unique codes; a title each; summaries within limits.
    package static func themaProblems(_ themas: [Thema], name: String = "themas") -> [InvalidParam] {
        var problems: [InvalidParam] = []
        if themas.count > maxThemas { problems.append(InvalidParam(name: name, reason: "ten hoogste \(maxThemas) thema's")) }
        var seen = Set<String>()
        for (n, thema) in themas.enumerated() {
            let path = "\(name)[\(n)]"
            if !isValidThemaCode(thema.code) {
                problems.append(InvalidParam(name: "\(path).code", reason: themaCodeReason))
            } else if !seen.insert(thema.code).inserted {
                problems.append(InvalidParam(name: "\(path).code", reason: Reason.duplicateThema))
            }
            problems += oneLine(thema.titel, max: maxTitel, name: "\(path).titel")
            problems += multiline(thema.samenvatting, max: maxSamenvatting, name: "\(path).samenvatting")
        }
        return problems
    }

    /// Problems with everything a new consultation says about itself (the register's part, which
    /// gemeenten exist and are active, is the operation's to check).
    package static func draftProblems(_ draft: RaadplegingDraft) -> [InvalidParam] {
        var problems: [InvalidParam] = []
        if !isValidID(draft.id) { problems.append(InvalidParam(name: "id", reason: idReason)) }
        problems += titelProblems(draft.titel)
        problems += omschrijvingProblems(draft.omschrijving)
        problems += themaProblems(draft.themas)
        if let deadline = draft.deadline, !PlausibleDates.contains(deadline) {
            problems.append(InvalidParam(name: "deadline", reason: PlausibleDates.reason))
        }
        if let date = draft.rboVergadering, !PlausibleDates.contains(date) {
            problems.append(InvalidParam(name: "rboVergadering", reason: PlausibleDates.reason))
        }
        return problems
    }

    /// Problems with a new gemeente of the register (the code's uniqueness is the operation's).
    package static func gemeenteProblems(_ gemeente: Gemeente) -> [InvalidParam] {
        var problems: [InvalidParam] = []
        if !isValidGemeenteCode(gemeente.code) { problems.append(InvalidParam(name: "code", reason: gemeenteCodeReason)) }
        problems += oneLine(gemeente.naam, max: maxNaam, name: "naam")
        problems += oneLine(gemeente.regio, max: maxNaam, name: "regio")
        return problems
    }

    /// Required, trimmed by the caller, one line, no hidden format characters, at most `max`.
    package static func oneLine(_ text: String, max: Int, name: String) -> [InvalidParam] {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { return [InvalidParam(name: name, reason: Reason.required)] }
        guard trimmed == text else { return [InvalidParam(name: name, reason: "mag niet met spaties beginnen of eindigen")] }
        return TextRules.nameProblem(text, max: max).map { [InvalidParam(name: name, reason: $0)] } ?? []
    }

    /// Optional; line breaks and tabs allowed; no other control characters; at most `max`.
    package static func multiline(_ text: String, max: Int, name: String) -> [InvalidParam] {
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value), scalar != "\n", scalar != "\r", scalar != "\t" {
                return [InvalidParam(name: name, reason: Reason.controlCharacters)]
            }
        }
        return count > max ? [InvalidParam(name: name, reason: Reason.tooLong(max))] : []
    }

    private static func isLower(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }

    /// Lowercase letters and digits in groups joined by single hyphens.
    private static func isSlug(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != UInt8(ascii: "-"), last != UInt8(ascii: "-") else { return false }
        var previousHyphen = false
        for b in bytes {
            let hyphen = b == UInt8(ascii: "-")
            guard hyphen || isLower(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else { return false }
            if hyphen && previousHyphen { return false }
            previousHyphen = hyphen
        }
        return true
    }
}

extension String {
    /// Without leading and trailing white space (Unicode's definition), judged per scalar.
    package var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
