import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// The date of the RBO meeting on the deadline page: three fields (day, month, year), as NL
/// Design System and GOV.UK advise for a known date, instead of the browser's date picker.
struct RBOFormView {
    var action: String
    var dag: String
    var maand: String
    var jaar: String
    var current: String?
    var error: String?
    var saved: Bool

    init(_ consultation: Raadpleging, saved: Bool, typed: (dag: String, maand: String, jaar: String)? = nil, error: String? = nil) {
        action = Links.rbo(consultation.id)
        let date = consultation.rboVergadering
        dag = typed?.dag ?? date.map { String($0.day) } ?? ""
        maand = typed?.maand ?? date.map { String($0.month) } ?? ""
        jaar = typed?.jaar ?? date.map { String($0.year) } ?? ""
        current = date?.inWords
        self.error = error
        self.saved = saved
    }
}

extension Web {
    /// `POST …/rbo`: sets (or, with three empty fields, clears) the date of the RBO meeting, which
    /// the start page and the overview show. Audited as a change of the consultation.
    func registerRBOPages(_ routes: inout RouteTable) {
        web(&routes, .post, "/coordinator/raadplegingen/{id}/rbo", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let fields = try checkedForm(request, expected: session.csrfToken).fields
            let actor = request.actor(.code(session.principal), .web)
            let consultation = try consultation(consultationID(request), by: actor)
            let field = { (name: String) in (fields.first { $0.0 == name }?.1 ?? "").trimmingCharacters(in: .whitespaces) }
            let typed = (dag: field("rbo-dag"), maand: field("rbo-maand"), jaar: field("rbo-jaar"))
            let refuse = { (message: String) in
                deadlinePage(session, consultation, value: consultation.deadline.map(AmsterdamTime.localInputValue) ?? "",
                             saved: false, error: nil, rbo: RBOFormView(consultation, saved: false, typed: typed, error: message))
            }
            let date: LocalDate?
            if typed.dag.isEmpty && typed.maand.isEmpty && typed.jaar.isEmpty {
                date = nil
            } else {
                guard let d = Int(typed.dag), let m = Int(typed.maand), let y = Int(typed.jaar), typed.jaar.count == 4,
                      let parsed = LocalDate(year: y, month: m, day: d) else {
                    return refuse("Vul de datum van de RBO-vergadering in als dag, maand en jaar, bijvoorbeeld 15 12 2026.")
                }
                date = parsed
            }
            do {
                _ = try ops.change(raadpleging: consultation.id, RaadplegingChange(rboVergadering: .some(date)), by: actor)
            } catch Refusal.invalid {
                return refuse("De datum van de RBO-vergadering \(PlausibleDates.reason). Controleer het jaartal.")
            }
            return .redirect(to: Links.deadline(consultation.id) + "?opgeslagen=rbo")
        }
    }
}
