import Foundation
import HTTP

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
    var naam: String
    var code: String
    var regio: String
    var status: String
    var versions: [VersionView]
    var hasVersions: Bool
}

struct DeadlineView {
    var csrf: String
    var value: String
    var current: String?
    var remaining: String?
    var saved: Bool
    var error: String?
    var hasErrors: Bool
    /// Whether the consultation still accepts versions, and what the last status change was.
    var open: Bool
    var statusSaved: String?
}

extension App {
    func registerCoordinatorPages(_ router: inout Router) {
        web(&router, .get, "/coordinator") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let query = (try? request.queryFields()) ?? FormFields()
            let filter = query.first("status").flatMap(GemeenteStatus.State.init(rawValue:))
            guard let overview = try read({ try StatusStore.overview($0, raadpleging: App.defaultConsultation) }) else {
                throw WebFailure.notFound("De raadpleging is niet gevonden.")
            }
            return page("coordinator", title: filter.map { "Overzicht: \(stateLabel($0).lowercased())" } ?? "Overzicht",
                        session: session, path: "/coordinator",
                        content: overviewView(overview, filter: filter, now: clock.now()))
        }
        web(&router, .get, "/coordinator/gemeenten/{code}") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let code = request.parameters["code"] ?? ""
            let consultation = try currentConsultation()
            let (gemeente, versions) = try read { db in
                (try CatalogStore.gemeente(db, code: code),
                 try VersionStore.all(db, raadpleging: consultation.id, gemeente: code))
            }
            guard let gemeente else { throw WebFailure.notFound("Deze gemeente bestaat niet.") }
            let views = versions.reversed().map {
                VersionView($0, themas: consultation.themas, bijlagePrefix: "/coordinator/gemeenten/\(code)/bijlagen/",
                            receiptHref: "")
            }
            let status = versions.last.map { statusLabel($0.status) } ?? stateLabel(.ontbreekt)
            return page("gemeente", title: "Zienswijze van \(gemeente.naam)", session: session,
                        content: GemeenteView(naam: gemeente.naam, code: gemeente.code, regio: gemeente.regio, status: status,
                                              versions: views, hasVersions: !views.isEmpty))
        }
        web(&router, .get, "/coordinator/gemeenten/{code}/bijlagen/{bijlage}") { [self] request in
            _ = try requireSession(request, role: .coordinator)
            return try attachmentDownload(gemeente: request.parameters["code"] ?? "", id: request.parameters["bijlage"] ?? "")
        }
        web(&router, .get, "/coordinator/export.csv") { [self] request in
            _ = try requireSession(request, role: .coordinator)
            let consultation = try currentConsultation()
            var response = HTTPResponse(status: 200, contentType: "text/csv; charset=utf-8", body: try exportCSV(consultation))
            response.headers.add("Content-Disposition", contentDisposition(filename: "zienswijzen-\(consultation.id).csv"))
            response.headers.add("Cache-Control", "private, no-store")
            return response
        }
        web(&router, .get, "/coordinator/deadline") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let consultation = try currentConsultation()
            let saved = ((try? request.queryFields()) ?? FormFields()).first("opgeslagen")
            return deadlinePage(session, consultation, value: consultation.deadline.map(AmsterdamTime.localInputValue) ?? "",
                                saved: saved == "1", error: nil,
                                statusSaved: saved == "gesloten" ? "De raadpleging is gesloten. Griffies kunnen niets meer indienen, wijzigen of intrekken."
                                    : saved == "open" ? "De raadpleging is weer open." : nil)
        }
        // Closing the consultation (on the RBO day, say) makes every new version a 409; reopening undoes it.
        web(&router, .post, "/coordinator/raadpleging-status", bodyLimit: 16 * 1024) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let fields = try checkedForm(request, expected: session.csrfToken)
            let consultation = try currentConsultation()
            guard let status = (fields.first { $0.0 == "status" }?.1).flatMap(ConsultationStatus.init(rawValue:)) else {
                throw Problem.badRequest("Kies 'open' of 'gesloten'.")
            }
            let now = clock.now()
            let principal = session.principal
            try write { db in
                try CatalogStore.updateConsultation(db, id: consultation.id, deadline: nil, rboVergadering: nil, status: status)
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "raadpleging-gewijzigd", onderwerp: consultation.id,
                                      details: "status=\(status.rawValue) (web)", adres: request.remoteAddress)
            }
            return .redirect(to: "/coordinator/deadline?opgeslagen=\(status.rawValue)")
        }
        web(&router, .post, "/coordinator/deadline", bodyLimit: 16 * 1024) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let fields = try checkedForm(request, expected: session.csrfToken)
            let consultation = try currentConsultation()
            let typed = (fields.first { $0.0 == "deadline" }?.1 ?? "").trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty, let deadline = AmsterdamTime.instant(fromLocal: typed) else {
                let message = typed.isEmpty ? "Vul de nieuwe deadline in."
                    : "Vul de deadline in als datum en tijd, bijvoorbeeld 2026-12-01T17:00."
                return deadlinePage(session, consultation, value: typed, saved: false, error: message)
            }
            guard PlausibleDates.contains(deadline) else {
                return deadlinePage(session, consultation, value: typed, saved: false,
                                    error: "De deadline \(PlausibleDates.reason). Controleer het jaartal.")
            }
            let now = clock.now()
            let principal = session.principal
            try write { db in
                try CatalogStore.updateConsultation(db, id: consultation.id, deadline: .some(deadline), rboVergadering: nil, status: nil)
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "raadpleging-gewijzigd", onderwerp: consultation.id,
                                      details: "deadline=\(AmsterdamTime.rfc3339(deadline)) (web)", adres: request.remoteAddress)
            }
            return .redirect(to: "/coordinator/deadline?opgeslagen=1")
        }
    }

    private func deadlinePage(_ session: WebSession, _ consultation: Consultation, value: String, saved: Bool,
                              error: String?, statusSaved: String? = nil) -> HTTPResponse {
        let now = clock.now()
        let view = DeadlineView(csrf: session.csrfToken, value: value, current: consultation.deadline.map(AmsterdamTime.inWords),
                                remaining: consultation.deadline.map { AmsterdamTime.remainingInWords(from: now, to: $0) },
                                saved: saved, error: error, hasErrors: error != nil,
                                open: consultation.status == .open, statusSaved: statusSaved)
        return page("deadline", title: "Deadline wijzigen", session: session, status: error == nil ? 200 : 422,
                    hasErrors: error != nil, path: "/coordinator/deadline", content: view)
    }

    private func overviewView(_ overview: StatusOverview, filter: GemeenteStatus.State?, now: Date) -> OverviewView {
        let deadline = overview.consultation.deadline
        let counts = GemeenteStatus.State.allCases.map { state in
            CountView(value: state.rawValue, label: stateLabel(state), count: overview.count(state),
                      href: "/coordinator?status=\(state.rawValue)", current: state == filter)
        }
        let rows = overview.gemeenten.filter { filter == nil || $0.state == filter }.map { line in
            OverviewRow(
                naam: line.gemeente.naam, href: "/coordinator/gemeenten/\(line.gemeente.code)",
                status: stateLabel(line.state), statusClass: "status-" + line.state.rawValue,
                versie: line.versie.map(String.init) ?? "–",
                ontvangen: line.ontvangenOp.map(shortDateTime) ?? "–",
                standpunt: line.standpunt?.label ?? "–",
                teLaat: line.state == .teLaat ? "Ja" : (line.state == .ingediend ? "Nee" : "–"))
        }
        return OverviewView(
            consultatie: overview.consultation.titel,
            deadline: deadline.map(AmsterdamTime.inWords), deadlineISO: deadline.map(AmsterdamTime.rfc3339),
            remaining: deadline.map { sentence(AmsterdamTime.remainingInWords(from: now, to: $0)) },
            past: isLate(receivedAt: now, deadline: deadline),
            total: overview.gemeenten.count, counts: counts,
            options: [OptionView(value: "", label: "Alle gemeenten", selected: filter == nil)]
                + GemeenteStatus.State.allCases.map { OptionView(value: $0.rawValue, label: stateLabel($0), selected: $0 == filter) },
            filter: filter.map(stateLabel), rows: rows, shown: rows.count)
    }
}
