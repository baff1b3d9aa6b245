import Foundation
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct BijlageView {
    var id: String
    var href: String
    var bestandsnaam: String
    var grootte: String
    var sha256: String
}

struct OpmerkingView {
    var titel: String
    var tekst: String
}

/// A stored version as the receipt and the coordinator's pages show it.
struct VersionView {
    var versie: Int
    var kenmerk: String
    var status: String
    var statusClass: String
    var ingetrokken: Bool
    var ontvangen: String
    var ontvangenISO: String
    var teLaat: Bool
    var digest: String
    var standpunt: String
    var datumRaadsbesluit: String?
    var naam: String
    var email: String
    /// `mailto:` with the address percent-encoded (`TextRules.mailtoURL`).
    var mailto: String
    var toelichting: String?
    var opmerkingen: [OpmerkingView]
    var hasOpmerkingen: Bool
    var bijlagen: [BijlageView]
    var hasBijlagen: Bool
    var receiptHref: String
    /// The deadline in force when the version was received, in words (nil: none, or not recorded).
    var deadlineBijOntvangst: String?

    /// `bijlagePrefix` is where this viewer downloads attachments (the griffie's or the coordinator's path).
    init(_ v: Versie, themas: [Thema], bijlagePrefix: String, receiptHref: String) {
        versie = v.versie
        kenmerk = v.kenmerk
        status = statusLabel(v.status)
        statusClass = "status-" + v.status.rawValue
        ingetrokken = v.status == .ingetrokken
        ontvangen = AmsterdamTime.inWords(v.ontvangenOp)
        ontvangenISO = AmsterdamTime.rfc3339(v.ontvangenOp)
        teLaat = v.teLaat
        digest = v.digest
        standpunt = v.standpunt.label
        datumRaadsbesluit = v.datumRaadsbesluit?.inWords
        naam = v.indiener.naam
        email = v.indiener.email
        mailto = TextRules.mailtoURL(v.indiener.email)
        toelichting = v.toelichting.isEmpty ? nil : v.toelichting
        opmerkingen = v.opmerkingen.map { opmerking in
            OpmerkingView(titel: themas.first { $0.code == opmerking.thema }?.titel ?? opmerking.thema, tekst: opmerking.tekst)
        }
        hasOpmerkingen = !opmerkingen.isEmpty
        bijlagen = v.bijlagen.map {
            BijlageView(id: $0.id, href: bijlagePrefix + $0.id, bestandsnaam: $0.bestandsnaam, grootte: sizeInWords($0.grootte), sha256: $0.sha256)
        }
        hasBijlagen = !bijlagen.isEmpty
        self.receiptHref = receiptHref
        deadlineBijOntvangst = v.deadlineBijOntvangst.map(AmsterdamTime.inWords)
    }

    /// Judges lateness by the deadline in force now (`Lateness`), as every page that shows it does.
    mutating func judge(_ v: Versie, deadline: Date?) {
        let now = Lateness.status(of: v, deadline: deadline)
        status = statusLabel(now)
        statusClass = "status-" + now.rawValue
        teLaat = now == .teLaat
    }
}

func statusLabel(_ status: VersieStatus) -> String {
    switch status {
    case .ingediend: "Ingediend"
    case .teLaat: "Te laat ingediend"
    case .ingetrokken: "Ingetrokken"
    }
}

func stateLabel(_ state: GemeenteStatus.State) -> String {
    switch state {
    case .ontbreekt: "Nog niet ingediend"
    case .ingediend: "Ingediend"
    case .teLaat: "Te laat ingediend"
    case .ingetrokken: "Ingetrokken"
    }
}

/// "Nog 2 dagen en 3 uur." from "nog 2 dagen en 3 uur": for time left standing as its own sentence.
func sentence(_ words: String) -> String {
    words.prefix(1).uppercased() + words.dropFirst() + "."
}

/// "12 kB", "1,4 MB": decimal units, a Dutch decimal comma.
func sizeInWords(_ bytes: Int) -> String {
    if bytes < 1000 { return "\(bytes) bytes" }
    if bytes < 1_000_000 { return "\((bytes + 500) / 1000) kB" }
    let tenths = (bytes + 50_000) / 100_000
    return "\(tenths / 10),\(tenths % 10) MB"
}

/// "1 december 2026, 17:00": a compact Amsterdam date and time for tables.
func shortDateTime(_ date: Date) -> String {
    let stamp = AmsterdamTime.rfc3339(date)
    let day = LocalDate(iso: String(stamp.prefix(10)))?.inWords ?? String(stamp.prefix(10))
    return "\(day), \(stamp.dropFirst(11).prefix(5))"
}
