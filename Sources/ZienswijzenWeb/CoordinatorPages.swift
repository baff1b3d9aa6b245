import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct CountView {
    var value: String
    var label: String
    var count: Int
    var href: String
    var current: Bool
}

struct OptionView {
    var value: String
    var label: String
    var selected: Bool
}

struct OverviewRow {
    var naam: String
    var href: String
    var status: String
    var statusClass: String
    var versie: String
    var ontvangen: String
    var standpunt: String
    var teLaat: String
}

struct OverviewView {
    var consultatie: String
    var status: String
    var isConcept: Bool
    var closed: Bool
    var href: String
    var deadlineHref: String
    var editHref: String
    var exportHref: String
    var deadline: String?
    var deadlineISO: String?
    var remaining: String?
    var past: Bool
    var total: Int
    var counts: [CountView]
    var options: [OptionView]
    var filter: String?
    var rows: [OverviewRow]
    var shown: Int
}

struct GemeenteView {
    var backHref: String
    var naam: String
    var code: String
    var regio: String
    var status: String
    var versions: [GemeenteVersionView]
    var hasVersions: Bool
}

/// A version on a gemeente's page: the newest as it is, older ones folded and labelled replaced.
struct GemeenteVersionView {
    var version: VersionView
    var replaced: Bool
    var replacedBy: Int
}


extension Web {
    /// A consultation's overview, a gemeente's versions and attachments, and the CSV export; each
    /// also at its old address (`/coordinator`, `/coordinator/gemeenten/{code}`, ...) for the
    /// seeded consultation.
    func registerCoordinatorPages(_ routes: inout RouteTable) {
        web(&routes, .get, ["/coordinator/raadplegingen/{id}", "/coordinator"]) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let query = (try? request.queryFields()) ?? FormFields()
            let filter = query.first("status").flatMap(GemeenteStatus.State.init(rawValue:))
            let overview = try overview(consultationID(request), by: request.actor(.code(session.principal), .web))
            return page("coordinator", title: filter.map { "Overzicht: \(stateLabel($0).lowercased())" } ?? "Overzicht",
                        session: session, path: Links.overview(overview.raadpleging.id), consultation: overview.raadpleging,
                        content: overviewView(overview, filter: filter, now: clock.now()))
        }
        web(&routes, .get, ["/coordinator/raadplegingen/{id}/gemeenten/{code}", "/coordinator/gemeenten/{code}"]) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let actor = request.actor(.code(session.principal), .web)
            let code = request.parameters["code"] ?? ""
            let consultation = try consultation(consultationID(request), by: actor)
            guard let gemeente = try ops.gemeente(code) else { throw WebFailure.notFound("Deze gemeente bestaat niet.") }
            let versions = try ops.versies(raadpleging: consultation.id, gemeente: code, by: actor)
            let newest = versions.last?.versie ?? 0
            let views = versions.reversed().map {
                GemeenteVersionView(
                    version: VersionView($0, themas: consultation.themas, bijlagePrefix: Links.gemeente(consultation.id, code) + "/bijlagen/",
                                         receiptHref: ""),
                    replaced: $0.versie != newest, replacedBy: newest)
            }
            let status = versions.last.map { statusLabel($0.status) } ?? stateLabel(.ontbreekt)
            return page("gemeente", title: "Zienswijze van \(gemeente.naam)", session: session, consultation: consultation,
                        content: GemeenteView(backHref: Links.overview(consultation.id), naam: gemeente.naam, code: gemeente.code,
                                              regio: gemeente.regio, status: status, versions: views, hasVersions: !views.isEmpty))
        }
        web(&routes, .get, ["/coordinator/raadplegingen/{id}/gemeenten/{code}/bijlagen/{bijlage}",
                            "/coordinator/gemeenten/{code}/bijlagen/{bijlage}"]) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            return try attachmentDownload(raadpleging: consultationID(request), gemeente: request.parameters["code"] ?? "",
                                          id: request.parameters["bijlage"] ?? "", by: request.actor(.code(session.principal), .web))
        }
        web(&routes, .get, ["/coordinator/raadplegingen/{id}/export.csv", "/coordinator/export.csv"]) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let export: Export
            do {
                export = try ops.export(raadpleging: consultationID(request), by: request.actor(.code(session.principal), .web))
            } catch Refusal.notFound {
                throw WebFailure.notFound("Deze raadpleging bestaat niet.")
            }
            var response = HTTPResponse(status: 200, contentType: "text/csv; charset=utf-8", body: export.csv)
            response.headers.add("Content-Disposition", contentDisposition(filename: "zienswijzen-\(export.raadpleging.id).csv"))
            response.headers.add("Cache-Control", "private, no-store")
            return response
        }
    }

    private func overview(_ id: String, by actor: Actor) throws -> StatusOverview {
        do {
            return try ops.status(raadpleging: id, by: actor)
        } catch Refusal.notFound {
            throw WebFailure.notFound("Deze raadpleging bestaat niet.")
        }
    }

    private func overviewView(_ overview: StatusOverview, filter: GemeenteStatus.State?, now: Date) -> OverviewView {
        let consultation = overview.raadpleging
        let deadline = consultation.deadline
        let href = Links.overview(consultation.id)
        let counts = GemeenteStatus.State.allCases.map { state in
            CountView(value: state.rawValue, label: stateLabel(state), count: overview.count(state),
                      href: "\(href)?status=\(state.rawValue)", current: state == filter)
        }
        let rows = overview.gemeenten.filter { filter == nil || $0.state == filter }.map { line in
            OverviewRow(
                naam: line.gemeente.naam, href: Links.gemeente(consultation.id, line.gemeente.code),
                status: stateLabel(line.state), statusClass: "status-" + line.state.rawValue,
                versie: line.versie.map(String.init) ?? "–",
                ontvangen: line.ontvangenOp.map(shortDateTime) ?? "–",
                standpunt: line.standpunt?.label ?? "–",
                teLaat: line.state == .teLaat ? "Ja" : (line.state == .ingediend ? "Nee" : "–"))
        }
        return OverviewView(
            consultatie: consultation.titel, status: consultation.status.label, isConcept: consultation.status == .concept,
            closed: consultation.status == .gesloten,
            href: href, deadlineHref: Links.deadline(consultation.id), editHref: Links.edit(consultation.id),
            exportHref: Links.export(consultation.id),
            deadline: deadline.map(AmsterdamTime.inWords), deadlineISO: deadline.map(AmsterdamTime.rfc3339),
            remaining: consultation.deadlineState(at: now).remainingInWords.map(sentence),
            past: consultation.deadlineState(at: now).isPast,
            total: overview.gemeenten.count, counts: counts,
            options: [OptionView(value: "", label: "Alle gemeenten", selected: filter == nil)]
                + GemeenteStatus.State.allCases.map { OptionView(value: $0.rawValue, label: stateLabel($0), selected: $0 == filter) },
            filter: filter.map(stateLabel), rows: rows, shown: rows.count)
    }
}
