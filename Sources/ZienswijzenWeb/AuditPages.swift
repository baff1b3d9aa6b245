import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct AuditRowView {
    var wanneer: String
    var wanneerISO: String
    var wie: String
    var actie: String
    var onderwerp: String
    var details: String
    var adres: String
}

struct AuditView {
    var action: String
    var options: [OptionView]
    var filter: String?
    var rows: [AuditRowView]
    var hasRows: Bool
    var olderHref: String?
    var newestHref: String?
    var notice: String?
}

extension Web {
    /// Entries on one page of the audit log.
    static let auditPageSize = 50

    /// The audit log for coordinators (`/coordinator/logboek`): newest first, 50 to a page with an
    /// "Oudere" link (`?voor=<id>`), filterable by gemeente (`?gemeente=GM0518`: the entries that
    /// name it). Every value is text in the template, so escaped; actions have Dutch labels.
    func registerAuditPages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/logboek") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let actor = request.actor(.code(session.principal), .web)
            let query = (try? request.queryFields()) ?? FormFields()
            let gemeenten = try ops.gemeenten()
            let asked = query.first("gemeente").flatMap { $0.isEmpty ? nil : $0 }
            let gemeente = asked.flatMap { code in gemeenten.first { $0.code == code } }
            let before = query.first("voor").flatMap { Int64($0) }
            let entries = try ops.auditEntries(limit: Self.auditPageSize + 1, before: before, gemeente: gemeente?.code, by: actor)
            let shown = Array(entries.prefix(Self.auditPageSize))
            let codes = Dictionary(try ops.toegangscodes(by: actor).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let names = Dictionary(gemeenten.map { ($0.code, $0.naam) }, uniquingKeysWith: { a, _ in a })
            let rows = shown.map { entry in
                AuditRowView(wanneer: DutchNumeric.dateTime(entry.op) + ":" + String(AmsterdamTime.rfc3339(entry.op).dropFirst(17).prefix(2)),
                             wanneerISO: AmsterdamTime.rfc3339(entry.op), wie: actorLabel(entry.actor, codes: codes, gemeenten: names),
                             actie: auditActionLabel(entry.actie), onderwerp: entry.onderwerp, details: entry.details, adres: entry.adres)
            }
            let view = AuditView(
                action: Links.audit(gemeente: nil),
                options: [OptionView(value: "", label: "Alle gemeenten", selected: gemeente == nil)]
                    + gemeenten.map { OptionView(value: $0.code, label: $0.naam, selected: $0.code == gemeente?.code) },
                filter: gemeente?.naam, rows: rows, hasRows: !rows.isEmpty,
                olderHref: entries.count > Self.auditPageSize ? shown.last.map { Links.audit(gemeente: gemeente?.code, before: $0.id) } : nil,
                newestHref: before == nil ? nil : Links.audit(gemeente: gemeente?.code),
                notice: asked != nil && gemeente == nil ? "Deze gemeente staat niet in het register; het logboek toont alle gemeenten." : nil)
            return page("logboek", title: "Logboek", session: session, path: Links.audit(gemeente: nil), content: view)
        }
    }

    /// "Griffie Den Haag (code 3)", "Coördinator (code 1)": the role and the code's id as the log
    /// has them, with the holder's name and gemeente when the code is known.
    private func actorLabel(_ actor: String, codes: [Int64: ToegangscodeRecord], gemeenten: [String: String]) -> String {
        switch actor {
        case "cli": return "Beheerder (opdrachtregel)"
        case "anoniem": return "Onbekend (niet ingelogd)"
        case "systeem": return "De dienst zelf"
        default: break
        }
        let parts = actor.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[1]) else { return actor }
        let record = codes[id]
        let holder = record.map { $0.naam.isEmpty ? "" : ": \($0.naam)" } ?? ""
        switch parts[0] {
        case "griffie":
            let gemeente = record?.gemeente.flatMap { gemeenten[$0] }.map { " \($0)" } ?? ""
            return "Griffie\(gemeente) (code \(id)\(holder))"
        case "coordinator":
            return "Coördinator (code \(id)\(holder))"
        default:
            return actor
        }
    }
}

/// The Dutch words for an audit action (`actie`); an unknown value is shown as it is.
func auditActionLabel(_ raw: String) -> String {
    guard let action = AuditAction(rawValue: raw) else { return raw }
    return switch action {
    case .zienswijzeIngediend: "Zienswijze ingediend"
    case .zienswijzeIngetrokken: "Zienswijze ingetrokken"
    case .bijlageToegevoegd: "Bijlage toegevoegd"
    case .toegangscodeUitgegeven: "Toegangscode uitgegeven"
    case .toegangscodeIngetrokken: "Toegangscode ingetrokken"
    case .raadplegingGewijzigd: "Raadpleging gewijzigd"
    case .ingelogd: "Ingelogd"
    case .uitgelogd: "Uitgelogd"
    case .authenticatieMislukt: "Mislukte inlogpoging"
    case .webhookGeregistreerd: "Webhook geregistreerd"
    case .webhookGewijzigd: "Webhook gewijzigd"
    case .webhookVerwijderd: "Webhook verwijderd"
    case .webhookUitgeschakeld: "Webhook uitgeschakeld na mislukte bezorgingen"
    case .bezorgingOpnieuw: "Bezorging opnieuw verstuurd"
    case .herinneringenVerstuurd: "Herinneringen verstuurd"
    case .raadplegingAangemaakt: "Raadpleging aangemaakt"
    case .raadplegingGekopieerd: "Raadpleging gekopieerd"
    case .themasGewijzigd: "Thema’s gewijzigd"
    case .uitnodigingenGewijzigd: "Uitnodigingen gewijzigd"
    case .documentToegevoegd: "Document toegevoegd"
    case .documentGewijzigd: "Document gewijzigd"
    case .documentVerwijderd: "Document verwijderd"
    case .gemeenteToegevoegd: "Gemeente toegevoegd"
    case .gemeenteSamengevoegd: "Samenvoeging van gemeenten vastgelegd"
    case .reactieGewijzigd: "Reactie op zienswijze gewijzigd"
    case .reactienotaVastgesteld: "Reactienota vastgesteld"
    case .reactienotaHeropend: "Reactienota heropend"
    case .publicatieGepubliceerd: "Reacties gepubliceerd"
    case .publicatieIngetrokken: "Publicatie ingetrokken"
    }
}
