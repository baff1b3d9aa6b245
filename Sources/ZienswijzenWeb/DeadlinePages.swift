import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct DeadlineView {
    var csrf: String
    var action: String
    var statusAction: String
    var editHref: String
    var value: String
    var current: String?
    var remaining: String?
    var saved: Bool
    var error: String?
    var hasErrors: Bool
    /// Whether the consultation still accepts versions, and what the last status change was.
    var open: Bool
    /// Open or closed: the page offers closing or reopening (a concept is opened, an archived one
    /// brought back, on the edit page).
    var canToggle: Bool
    var status: String
    var statusSaved: String?
    /// Set when the deadline typed lies in the past: saved only with the box ticked.
    var pastWarning: String?
    /// The date of the RBO meeting, as separate day, month and year fields.
    var rbo: RBOFormView
    var auditHref: String
}

extension Web {
    /// The deadline page: moving the deadline, and closing or reopening the consultation; each at
    /// its old address too (`/coordinator/deadline`, `/coordinator/raadpleging-status`) for the
    /// seeded consultation.
    func registerDeadlinePages(_ routes: inout RouteTable) {
        web(&routes, .get, ["/coordinator/raadplegingen/{id}/deadline", "/coordinator/deadline"]) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let consultation = try consultation(consultationID(request), by: request.actor(.code(session.principal), .web))
            let saved = ((try? request.queryFields()) ?? FormFields()).first("opgeslagen")
            return deadlinePage(session, consultation, value: consultation.deadline.map(AmsterdamTime.localInputValue) ?? "",
                                saved: saved == "1", error: nil, statusSaved: saved.flatMap(statusMessage),
                                rbo: RBOFormView(consultation, saved: saved == "rbo"))
        }
        // A status change (closing on the RBO day, reopening, opening a concept, archiving), from
        // this page or the edit page (`terug=bewerken`), which it returns to.
        web(&routes, .post, ["/coordinator/raadplegingen/{id}/status", "/coordinator/raadpleging-status"], bodyLimit: 16 * 1024,
            role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let fields = try checkedForm(request, expected: session.csrfToken).fields
            guard let status = (fields.first { $0.0 == "status" }?.1).flatMap(RaadplegingStatus.init(rawValue:)) else {
                throw Problem.badRequest("Kies een van " + RaadplegingStatus.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            let id = consultationID(request)
            let actor = request.actor(.code(session.principal), .web)
            let current = try consultation(id, by: actor)
            let before = current.status
            let back = fields.first { $0.0 == "terug" }?.1 == "bewerken" ? Links.edit(id) : Links.deadline(id)
            // Closing ends what every griffie can do: asked first, on a page of its own (no JavaScript needed).
            if status == .gesloten, before == .open, fields.first(where: { $0.0 == confirmedField.name })?.1 != confirmedField.value {
                return closeConfirmation(session, current, back: back, terug: fields.first { $0.0 == "terug" }?.1)
            }
            do {
                _ = try ops.change(raadpleging: id, RaadplegingChange(status: status), by: actor)
            } catch Refusal.notFound {
                throw WebFailure.notFound("Deze raadpleging bestaat niet.")
            } catch Refusal.invalid(let problems, _) {
                throw WebFailure.conflict(problems.map { "De raadpleging kan niet open: \($0.reason)." }.joined(separator: " "))
            }
            return .redirect(to: "\(back)?opgeslagen=" + (before == .gesloten && status == .open ? "heropend" : status.rawValue))
        }
        web(&routes, .post, ["/coordinator/raadplegingen/{id}/deadline", "/coordinator/deadline"], bodyLimit: 16 * 1024,
            role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let fields = try checkedForm(request, expected: session.csrfToken).fields
            let actor = request.actor(.code(session.principal), .web)
            let consultation = try consultation(consultationID(request), by: actor)
            let typed = (fields.first { $0.0 == "deadline" }?.1 ?? "").trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty, let deadline = AmsterdamTime.instant(fromLocal: typed) else {
                let message = typed.isEmpty ? "Vul de nieuwe deadline in."
                    : "Vul de deadline in als datum en tijd, bijvoorbeeld 2026-12-01T17:00."
                return deadlinePage(session, consultation, value: typed, saved: false, error: message)
            }
            // A deadline in the past makes every griffie that has not submitted late at once: asked first.
            if deadline < clock.now(), fields.first(where: { $0.0 == "verleden" })?.1 != "ja" {
                return deadlinePage(session, consultation, value: typed, saved: false,
                                    error: "De deadline \(AmsterdamTime.inWords(deadline)) ligt in het verleden. Vink hieronder aan "
                                        + "dat u dat zeker weet, of vul een later moment in.",
                                    pastWarning: "Ja, sla deze deadline in het verleden op. Wie daarna nog indient, is te laat.")
            }
            do {
                _ = try ops.change(raadpleging: consultation.id, RaadplegingChange(deadline: .some(deadline)), by: actor)
            } catch Refusal.invalid {
                return deadlinePage(session, consultation, value: typed, saved: false,
                                    error: "De deadline \(PlausibleDates.reason). Controleer het jaartal.")
            }
            return .redirect(to: Links.deadline(consultation.id) + "?opgeslagen=1")
        }
    }

    /// The page that asks before a consultation is closed.
    private func closeConfirmation(_ session: Session, _ consultation: Raadpleging, back: String, terug: String?) -> HTTPResponse {
        let deadline = consultation.deadline.map { " De deadline is \(AmsterdamTime.inWords($0))." } ?? ""
        return page("bevestigen", title: "Raadpleging sluiten", session: session, path: Links.deadline(consultation.id),
                    consultation: consultation,
                    content: ConfirmView(
                        heading: "Weet u zeker dat u de raadpleging wilt sluiten?",
                        lead: "U sluit de raadpleging ‘\(consultation.titel)’.\(deadline)",
                        warning: "Na het sluiten kunnen griffies niets meer indienen, wijzigen of intrekken, ook niet als de deadline "
                            + "nog niet voorbij is. Alleen heropenen maakt dat weer mogelijk.",
                        action: Links.status(consultation.id), csrf: session.csrfToken,
                        hidden: [HiddenField(name: "status", value: RaadplegingStatus.gesloten.rawValue), confirmedField]
                            + (terug.map { [HiddenField(name: "terug", value: $0)] } ?? []),
                        confirmLabel: "Ja, raadpleging sluiten", cancelHref: back, cancelLabel: "Nee, de raadpleging open laten"))
    }

    /// What a page says after a status change (`opgeslagen=` in its address), or nil.
    func statusMessage(_ saved: String) -> String? {
        switch saved {
        case "gesloten": "De raadpleging is gesloten. Griffies kunnen niets meer indienen, wijzigen of intrekken."
        case "heropend": "De raadpleging is weer open."
        case "open": "De raadpleging is geopend. Griffies van de uitgenodigde gemeenten kunnen nu indienen."
        case "gearchiveerd": "De raadpleging is gearchiveerd. Zij staat niet meer op de startpagina; alles blijft bewaard."
        default: nil
        }
    }

    func deadlinePage(_ session: Session, _ consultation: Raadpleging, value: String, saved: Bool,
                      error: String?, statusSaved: String? = nil, pastWarning: String? = nil,
                      rbo: RBOFormView? = nil) -> HTTPResponse {
        let rbo = rbo ?? RBOFormView(consultation, saved: false)
        let failed = error != nil || rbo.error != nil
        let now = clock.now()
        let view = DeadlineView(csrf: session.csrfToken, action: Links.deadline(consultation.id),
                                statusAction: Links.status(consultation.id), editHref: Links.edit(consultation.id), value: value,
                                current: consultation.deadline.map(AmsterdamTime.inWords),
                                remaining: consultation.deadlineState(at: now).remainingInWords,
                                saved: saved, error: error, hasErrors: failed,
                                open: consultation.status == .open,
                                canToggle: consultation.status == .open || consultation.status == .gesloten,
                                status: consultation.status.label, statusSaved: statusSaved, pastWarning: pastWarning,
                                rbo: rbo, auditHref: Links.audit(gemeente: nil))
        return page("deadline", title: "Deadline wijzigen", session: session, status: failed ? 422 : 200,
                    hasErrors: failed, path: Links.deadline(consultation.id), consultation: consultation, content: view)
    }
}
