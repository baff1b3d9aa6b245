import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

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

extension Web {
    /// The deadline page: moving the deadline, and closing or reopening the consultation.
    func registerDeadlinePages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/deadline") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let consultation = try currentConsultation()
            let saved = ((try? request.queryFields()) ?? FormFields()).first("opgeslagen")
            return deadlinePage(session, consultation, value: consultation.deadline.map(AmsterdamTime.localInputValue) ?? "",
                                saved: saved == "1", error: nil,
                                statusSaved: saved == "gesloten" ? "De raadpleging is gesloten. Griffies kunnen niets meer indienen, wijzigen of intrekken."
                                    : saved == "open" ? "De raadpleging is weer open." : nil)
        }
        // Closing the consultation (on the RBO day, say) makes every new version a 409; reopening undoes it.
        web(&routes, .post, "/coordinator/raadpleging-status", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let fields = try checkedForm(request, expected: session.csrfToken).fields
            guard let status = (fields.first { $0.0 == "status" }?.1).flatMap(RaadplegingStatus.init(rawValue:)) else {
                throw Problem.badRequest("Kies 'open' of 'gesloten'.")
            }
            _ = try ops.change(raadpleging: Raadpleging.defaultID, RaadplegingChange(status: status),
                               by: request.actor(.code(session.principal), .web))
            return .redirect(to: "/coordinator/deadline?opgeslagen=\(status.rawValue)")
        }
        web(&routes, .post, "/coordinator/deadline", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let fields = try checkedForm(request, expected: session.csrfToken).fields
            let consultation = try currentConsultation()
            let typed = (fields.first { $0.0 == "deadline" }?.1 ?? "").trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty, let deadline = AmsterdamTime.instant(fromLocal: typed) else {
                let message = typed.isEmpty ? "Vul de nieuwe deadline in."
                    : "Vul de deadline in als datum en tijd, bijvoorbeeld 2026-12-01T17:00."
                return deadlinePage(session, consultation, value: typed, saved: false, error: message)
            }
            do {
                _ = try ops.change(raadpleging: consultation.id, RaadplegingChange(deadline: .some(deadline)),
                                   by: request.actor(.code(session.principal), .web))
            } catch Refusal.invalid {
                return deadlinePage(session, consultation, value: typed, saved: false,
                                    error: "De deadline \(PlausibleDates.reason). Controleer het jaartal.")
            }
            return .redirect(to: "/coordinator/deadline?opgeslagen=1")
        }
    }

    private func deadlinePage(_ session: Session, _ consultation: Raadpleging, value: String, saved: Bool,
                              error: String?, statusSaved: String? = nil) -> HTTPResponse {
        let now = clock.now()
        let view = DeadlineView(csrf: session.csrfToken, value: value, current: consultation.deadline.map(AmsterdamTime.inWords),
                                remaining: consultation.deadlineState(at: now).remainingInWords,
                                saved: saved, error: error, hasErrors: error != nil,
                                open: consultation.status == .open, statusSaved: statusSaved)
        return page("deadline", title: "Deadline wijzigen", session: session, status: error == nil ? 200 : 422,
                    hasErrors: error != nil, path: "/coordinator/deadline", content: view)
    }
}
