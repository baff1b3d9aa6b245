import Foundation

/// The export for the RBO as CSV: one row per gemeente (all 27, with or without a zienswijze) and
/// one column per theme.
///
/// Format (RFC 4180 with two deliberate choices for Dutch spreadsheet users):
/// - Separator `;`. Excel with Dutch regional settings splits on `;` (its list separator there),
///   and LibreOffice Calc detects `;`; a comma would put every row in one column in Dutch Excel.
/// - UTF-8 with a byte-order mark, so Excel reads `'s-Gravenhage` and `ë` correctly. No `sep=` line:
///   Excel ignores the BOM when it sees one.
/// - CRLF line ends; fields quoted when they hold `;`, `"`, CR or LF anywhere; quotes doubled.
/// - Cells that start with `=`, `+`, `-`, `@` (after any combining marks, format characters or
///   white space), TAB, CR or LF get a leading `'` so a spreadsheet shows them as text instead of
///   running them as a formula (CSV injection). See `field`.
package enum CSVExport {
    package static let separator = ";"

    package static func make(raadpleging consultation: Raadpleging, gemeenten: [Gemeente], versies versions: [Versie]) -> [UInt8] {
        let byGemeente = Dictionary(versions.map { ($0.gemeente, $0) }, uniquingKeysWith: { a, _ in a })
        var header = ["gemeente", "naam", "regio", "status", "versie", "kenmerk", "ontvangenOp", "teLaat", "standpunt",
                      "datumRaadsbesluit", "indienerNaam", "indienerEmail", "toelichting"]
        header += consultation.themas.map { "opmerking \($0.code)" }
        header += ["bijlagen", "sha256"]
        var lines = [header]
        for gemeente in gemeenten {
            var row = [gemeente.code, gemeente.naam, gemeente.regio]
            if let v = byGemeente[gemeente.code] {
                // Lateness by the deadline in force now, not as judged at receipt (`Lateness`).
                row += [Lateness.status(of: v, deadline: consultation.deadline).rawValue, String(v.versie), v.kenmerk,
                        AmsterdamTime.rfc3339(v.ontvangenOp),
                        isLate(receivedAt: v.ontvangenOp, deadline: consultation.deadline) ? "ja" : "nee", v.standpunt.rawValue, v.datumRaadsbesluit?.iso ?? "",
                        v.indiener.naam, v.indiener.email, v.toelichting]
                row += consultation.themas.map { thema in v.opmerkingen.first { $0.thema == thema.code }?.tekst ?? "" }
                row += [v.bijlagen.map(\.bestandsnaam).joined(separator: ", "), v.digest]
            } else {
                row += ["ontbreekt"] + Array(repeating: "", count: header.count - 4)
            }
            lines.append(row)
        }
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        for line in lines {
            out += Array(line.map(field).joined(separator: separator).utf8)
            out += [0x0D, 0x0A]
        }
        return out
    }

    /// One cell, judged per Unicode scalar (never per `Character`: `"\u{0600};"` is a single
    /// character that is not `;`, and a quote followed by a combining accent is not `"`).
    /// - Formula guard: the first scalar that is not a combining mark, a format character (such as
    ///   U+0600 or a bidi control) or white space decides; if it is `=`, `+`, `-` or `@`, or the cell
    ///   starts with TAB, CR or LF, a `'` goes in front of the whole cell.
    /// - Quoting: a cell with `;`, `"`, CR or LF anywhere is quoted, quotes doubled.
    package static func field(_ raw: String) -> String {
        var value = raw
        if looksLikeFormula(raw.unicodeScalars) { value = "'" + value }
        let special = value.unicodeScalars.contains { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard special else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(scalar)
        }
        quoted.unicodeScalars.append("\"")
        return quoted
    }

    static func looksLikeFormula(_ scalars: String.UnicodeScalarView) -> Bool {
        if let first = scalars.first, first == "\t" || first == "\r" || first == "\n" { return true }
        let lead = scalars.first { scalar in
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark, .format, .spaceSeparator: false
            default: !scalar.properties.isWhitespace
            }
        }
        guard let lead else { return false }
        return lead == "=" || lead == "+" || lead == "-" || lead == "@"
            || lead == "\u{FF1D}" || lead == "\u{FF0B}" || lead == "\u{FF0D}" || lead == "\u{FF20}" // fullwidth forms
    }
}
