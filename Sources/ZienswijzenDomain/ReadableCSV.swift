import Foundation

/// The export for people who open it in Excel ("Download voor Excel"), beside the machine CSV
/// (`CSVExport`, whose column names and values scripts rely on): Dutch column titles, labels
/// instead of enum values ("Instemmend met opmerkingen", "Op tijd ingediend, na de deadline
/// gewijzigd"), dates as `3-12-2026 14:05` and `20-11-2026`, and "Ja"/"Nee".
///
/// The same framing as the machine CSV: `;` separator, UTF-8 with a byte-order mark (Excel with
/// Dutch settings opens it in columns, accents intact), CRLF, quoting, and the same formula guard
/// (`CSVExport.field`: a cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`).
package enum ReadableCSV {
    /// One row per line of `status` (every invited gemeente, by name); `versies` are the current
    /// versions (for the texts and attachments).
    package static func make(status: StatusOverview, versies: [Versie]) -> [UInt8] {
        let consultation = status.raadpleging
        let byGemeente = Dictionary(versies.map { ($0.gemeente, $0) }, uniquingKeysWith: { a, _ in a })
        var header = ["Gemeente", "CBS-code", "Regio", "Status", "Versie", "Kenmerk", "Ontvangen op",
                      "Op tijd ontvangen versie", "Op tijd ontvangen op", "Standpunt", "Datum raadsbesluit",
                      "Raadsbesluit bijgevoegd", "Ingediend door", "E-mailadres", "Toelichting"]
        header += consultation.themas.map { "Opmerking: \($0.titel)" }
        header += ["Bijlagen", "Controlegetal"]
        var lines = [header]
        for line in status.gemeenten {
            var row = [line.gemeente.naam, line.gemeente.code, line.gemeente.regio, stateLabel(line)]
            if let v = byGemeente[line.gemeente.code], line.versie == v.versie {
                row += [String(v.versie), v.kenmerk, DutchNumeric.dateTime(v.ontvangenOp),
                        line.opTijd.map { String($0.versie) } ?? "", line.opTijd.map { DutchNumeric.dateTime($0.ontvangenOp) } ?? "",
                        v.standpunt.label, v.datumRaadsbesluit.map(DutchNumeric.date) ?? "",
                        v.bijlagen.isEmpty ? "Nee" : "Ja", v.indiener.naam, v.indiener.email, v.toelichting]
                row += consultation.themas.map { thema in v.opmerkingen.first { $0.thema == thema.code }?.tekst ?? "" }
                row += [v.bijlagen.map(\.bestandsnaam).joined(separator: ", "), v.digest]
            } else {
                row += Array(repeating: "", count: header.count - row.count)
            }
            lines.append(row)
        }
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        for line in lines {
            out += Array(line.map(CSVExport.field).joined(separator: CSVExport.separator).utf8)
            out += [0x0D, 0x0A]
        }
        return out
    }

    /// The Dutch words for a gemeente's state, as the web overview shows them.
    package static func stateLabel(_ line: GemeenteStatus) -> String {
        switch line.state {
        case .ontbreekt: "Nog niet ingediend"
        case .ingediend: "Ingediend"
        case .teLaat: line.opTijd == nil ? "Te laat ingediend" : "Op tijd ingediend, na de deadline gewijzigd"
        case .ingetrokken: "Ingetrokken"
        }
    }
}
