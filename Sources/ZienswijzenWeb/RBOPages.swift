import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// The date of the RBO meeting on the deadline page: three fields (day, month, year), as NL
/// Design System and GOV.UK advise for a known date, the same as the council decision's date in
/// the griffie's form (`DateParts`, `date-field.mustache`).
struct RBOFormView {
    var action: String
    var datum: DateFieldView
    /// The date in words, or nil. Not `current`: a template looks a nil name up in the enclosing
    /// view, whose `current` is the deadline.
    var rboInWords: String?
    var error: String?
    var saved: Bool

    /// `typed`: what was sent, by field name (`rbo.dag` …); `invalid`: the parts the error is about.
    init(_ consultation: Raadpleging, saved: Bool, typed: [String: String]? = nil, error: String? = nil,
         invalid: Set<String> = []) {
        action = Links.rbo(consultation.id)
        datum = DateFieldView(id: "rbo", name: "rbo", legend: "Datum van de RBO-vergadering",
                              hint: "Bijvoorbeeld 15 12 2026. Laat de drie velden leeg om de datum te wissen.",
                              values: typed ?? DateParts.values(consultation.rboVergadering, name: "rbo"),
                              error: error, invalid: invalid)
        rboInWords = consultation.rboVergadering?.inWords
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
            var typed: [String: String] = [:]
            for (name, value) in fields where name.hasPrefix("rbo.") { typed[name] = value }
            let refuse = { (message: String, invalid: Set<String>) in
                deadlinePage(session, consultation, value: consultation.deadline.map(AmsterdamTime.localInputValue) ?? "",
                             saved: false, error: nil,
                             rbo: RBOFormView(consultation, saved: false, typed: typed, error: message, invalid: invalid))
            }
            let (combined, problems) = DateParts.combine(fields, name: "rbo")
            guard problems.isEmpty else {
                return refuse(problems.map(\.reason).joined(separator: " "),
                              Set(problems.compactMap { $0.name.split(separator: ".").last.map(String.init) }))
            }
            let iso = combined.first { $0.0 == "rbo" }?.1 ?? ""
            let date = iso.isEmpty ? nil : LocalDate(iso: iso)
            do {
                _ = try ops.change(raadpleging: consultation.id, RaadplegingChange(rboVergadering: .some(date)), by: actor)
            } catch Refusal.invalid {
                return refuse("De datum van de RBO-vergadering \(PlausibleDates.reason). Controleer het jaartal.", ["jaar"])
            }
            return .redirect(to: Links.deadline(consultation.id) + "?opgeslagen=rbo")
        }
    }
}
