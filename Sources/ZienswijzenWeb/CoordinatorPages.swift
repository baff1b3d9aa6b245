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
    /// Under "Te laat ingediend": how many of those were on time and changed after the deadline.
    var note: String? = nil
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
    var versie: String?
    var ontvangen: String
    var standpunt: String
    /// "Versie 1 kwam op tijd binnen (…)." when the current version is a late change of it.
    var opTijd: String?
    /// The signed council decision: "Ja", "Ontbreekt" or "Niet nodig" / "–".
    var raadsbesluit: String
    var raadsbesluitMissing: Bool
    var contact: GriffieContactView?
    /// "Ja, laatst …" or "Nee".
    var ingelogd: String
    var neverLoggedIn: Bool
}

/// The griffie's contact on the overview: from the latest version, else from the access code.
struct GriffieContactView {
    var naam: String
    var email: String?
    var mailto: String?
    var bron: String
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
    var excelHref: String
    var auditHref: String
    var rbo: String?
    var raadsbesluitVerplicht: Bool
    /// The gemeenten whose current submission lacks the signed decision (names).
    var missingRaadsbesluit: [String]
    var missingCount: Int
    var hasMissingRaadsbesluit: Bool
    /// "3 van de 27 griffies hebben nog nooit ingelogd." or nil.
    var neverLoggedIn: String?
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
    /// The version received in time that the late current one changed: shown unfolded, labelled.
    var onTime: Bool
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
            // Lateness by the deadline in force now; the version received in time stays in view.
            let onTime = Lateness.onTimeVersion(of: versions, deadline: consultation.deadline)
            let views = versions.reversed().map { v in
                var view = VersionView(v, themas: consultation.themas, bijlagePrefix: Links.gemeente(consultation.id, code) + "/bijlagen/",
                                       receiptHref: "")
                view.judge(v, deadline: consultation.deadline)
                return GemeenteVersionView(version: view, replaced: v.versie != newest, replacedBy: newest,
                                           onTime: v.versie == onTime?.versie)
            }
            let status = onTime != nil ? "Op tijd ingediend, na de deadline gewijzigd"
                : versions.last.map { statusLabel(Lateness.status(of: $0, deadline: consultation.deadline)) } ?? stateLabel(.ontbreekt)
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
            try csvDownload(request) { export in (export.csv, "zienswijzen-\(export.raadpleging.id).csv") }
        }
        // For Excel users: Dutch titles, labels and dates (`ReadableCSV`).
        web(&routes, .get, "/coordinator/raadplegingen/{id}/export-excel.csv") { [self] request in
            try csvDownload(request) { export in (export.excelCSV, "zienswijzen-\(export.raadpleging.id)-excel.csv") }
        }
    }

    /// The consultation's export as a CSV download: `render` gives the bytes and the file name.
    private func csvDownload(_ request: HTTPRequest, _ render: (Export) -> (csv: [UInt8], filename: String)) throws -> HTTPResponse {
        let session = try requireSession(request, role: .coordinator)
        let export: Export
        do {
            export = try ops.export(raadpleging: consultationID(request), by: request.actor(.code(session.principal), .web))
        } catch Refusal.notFound {
            throw WebFailure.notFound("Deze raadpleging bestaat niet.")
        }
        let (csv, filename) = render(export)
        var response = HTTPResponse(status: 200, contentType: "text/csv; charset=utf-8", body: csv)
        response.headers.add("Content-Disposition", contentDisposition(filename: filename))
        response.headers.add("Cache-Control", "private, no-store")
        return response
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
                      href: "\(href)?status=\(state.rawValue)", current: state == filter,
                      note: state == .teLaat ? changedAfterDeadline(overview) : nil)
        }
        let rows = overview.gemeenten.filter { filter == nil || $0.state == filter }.map { overviewRow($0, consultation: consultation.id) }
        // Where the decision is required: every gemeente whose current version does not carry one
        // (nothing submitted, withdrawn, or submitted without), except "geen zienswijze".
        let missing = overview.gemeenten.filter { line in
            line.missesRaadsbesluit || line.state == .ontbreekt || line.state == .ingetrokken
        }.map(\.gemeente.naam)
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
            filter: filter.map(stateLabel), rows: rows, shown: rows.count,
            excelHref: Links.excelExport(consultation.id), auditHref: Links.audit(gemeente: nil),
            rbo: consultation.rboVergadering?.inWords, raadsbesluitVerplicht: consultation.raadsbesluitVerplicht,
            missingRaadsbesluit: missing, missingCount: missing.count,
            hasMissingRaadsbesluit: consultation.raadsbesluitVerplicht && !missing.isEmpty,
            neverLoggedIn: neverLoggedIn(overview))
    }

    private func changedAfterDeadline(_ overview: StatusOverview) -> String? {
        let count = overview.gemeenten.filter { $0.opTijd != nil }.count
        return count == 0 ? nil : "waarvan \(count) op tijd ingediend, na de deadline gewijzigd"
    }

    private func neverLoggedIn(_ overview: StatusOverview) -> String? {
        let count = overview.gemeenten.filter { $0.laatstGebruiktOp == nil }.count
        guard count > 0 else { return nil }
        return count == 1 ? "1 van de \(overview.gemeenten.count) griffies heeft nog nooit ingelogd."
            : "\(count) van de \(overview.gemeenten.count) griffies hebben nog nooit ingelogd."
    }

    private func overviewRow(_ line: GemeenteStatus, consultation id: String) -> OverviewRow {
        let submitted = line.state == .ingediend || line.state == .teLaat
        let raadsbesluit = !submitted ? "–" : line.bijlagen > 0 ? "Ja" : line.standpunt == .geenZienswijze ? "Niet nodig" : "Ontbreekt"
        let contact: GriffieContactView? = if let indiener = line.indiener {
            GriffieContactView(naam: indiener.naam, email: indiener.email, mailto: TextRules.mailtoURL(indiener.email), bron: "uit de laatste versie")
        } else if line.codeNaam?.isEmpty == false || line.codeEmail != nil {
            GriffieContactView(naam: line.codeNaam ?? "", email: line.codeEmail, mailto: line.codeEmail.map(TextRules.mailtoURL),
                        bron: "bij de toegangscode")
        } else {
            nil
        }
        return OverviewRow(
            naam: line.gemeente.naam, href: Links.gemeente(id, line.gemeente.code),
            status: ReadableCSV.stateLabel(line), statusClass: "status-" + (line.opTijd == nil ? line.state.rawValue : "na-deadline"),
            versie: line.versie.map(String.init),
            ontvangen: line.ontvangenOp.map(shortDateTime) ?? "–",
            standpunt: line.standpunt?.label ?? "–",
            opTijd: line.opTijd.map { "Versie \($0.versie) kwam op tijd binnen (\(shortDateTime($0.ontvangenOp)))." },
            raadsbesluit: raadsbesluit, raadsbesluitMissing: raadsbesluit == "Ontbreekt", contact: contact,
            ingelogd: line.laatstGebruiktOp.map { "Ja, laatst \(DutchNumeric.dateTime($0))" } ?? "Nee",
            neverLoggedIn: line.laatstGebruiktOp == nil)
    }
}
