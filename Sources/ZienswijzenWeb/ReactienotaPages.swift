import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct ReactienotaView {
    var csrf: String
    var vastgesteld: Bool
    var rboDatum: String?
    var vastgesteldOp: String?
    var summary: String
    /// Zienswijzen without an answer to their current version (nil: none).
    var open: Int?
    var reactiesHref: String
    var downloadHref: String
    var printHref: String
    var vaststellenAction: String
    var heropenenAction: String
    var datum: String
    var datumError: String?
    var bevestigError: String?
    var conflict: String?
    var errors: [ErrorItem]
    var hasErrors: Bool
    var saved: String?
    /// The published result (issue 15): when, and where it is; nil while nothing is published.
    var gepubliceerdOp: String?
    var publicatieHref: String
    var publishAction: String
    var withdrawAction: String
}

extension Web {
    /// The reactienota: its state, vaststellen (with the RBO's date and a confirmation) or
    /// heropenen (with a confirmation), and the ODT download.
    func registerReactienotaPages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/raadplegingen/{id}/reactienota") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let saved = ((try? request.queryFields()) ?? FormFields()).first("opgeslagen").flatMap { saved -> String? in
                switch saved {
                case "vastgesteld": "De reactienota is vastgesteld. De griffies kunnen de reactie op hun zienswijze nu lezen."
                case "heropend": "De reactienota is heropend. De reacties kunnen weer worden gewijzigd; griffies zien ze niet meer."
                case "gepubliceerd": "De reacties zijn gepubliceerd: iedereen kan ze lezen op de openbare pagina."
                case "ingetrokken": "De publicatie is ingetrokken."
                default: nil
                }
            }
            return try notaPage(session, request, values: [:], problems: FormProblems(), saved: saved)
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/reactienota/vaststellen", bodyLimit: 16 * 1024,
            role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let form = try checkedForm(request, expected: session.csrfToken)
            var values: [String: String] = [:]
            for (name, value) in form.fields { values[name] = value }
            var problems = FormProblems()
            let datum = LocalDate(iso: values["rboDatum"] ?? "")
            if datum == nil { problems.add("rboDatum", "Vul de datum in waarop het RBO de reactienota vaststelde, als JJJJ-MM-DD.") }
            if values["bevestig"] != "ja" { problems.add("bevestig-vaststellen", "Bevestig dat het RBO de reactienota heeft vastgesteld.") }
            var conflict: String?
            if problems.isEmpty, let datum {
                do {
                    _ = try ops.vaststellen(raadpleging: consultationID(request), rboDatum: datum, by: request.actor(.code(session.principal), .web))
                    return .redirect(to: Links.reactienota(consultationID(request)) + "?opgeslagen=vastgesteld")
                } catch Refusal.invalid(let params, _) {
                    problems.add(params) { _ in (id: "rboDatum", label: "De datum") }
                } catch Refusal.conflict(let reason) {
                    conflict = Refusal.conflict(reason).detail
                }
            }
            return try notaPage(session, request, values: values, problems: problems, conflict: conflict)
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/reactienota/heropenen", bodyLimit: 16 * 1024,
            role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let form = try checkedForm(request, expected: session.csrfToken)
            var problems = FormProblems()
            if form.first("bevestig") != "ja" { problems.add("bevestig-heropenen", "Bevestig dat u de reactienota wilt heropenen.") }
            var conflict: String?
            if problems.isEmpty {
                do {
                    _ = try ops.heropenen(raadpleging: consultationID(request), by: request.actor(.code(session.principal), .web))
                    return .redirect(to: Links.reactienota(consultationID(request)) + "?opgeslagen=heropend")
                } catch Refusal.conflict(let reason) {
                    conflict = Refusal.conflict(reason).detail
                }
            }
            return try notaPage(session, request, values: [:], problems: problems, conflict: conflict)
        }
        web(&routes, .get, "/coordinator/raadplegingen/{id}/reactienota.odt") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let actor = request.actor(.code(session.principal), .web)
            let c = try consultation(consultationID(request), by: actor)
            let inhoud = try ops.reactienotaInhoud(raadpleging: c.id, by: actor)
            var response = HTTPResponse(status: 200, contentType: ReactienotaODT.mediaType,
                                        body: try ReactienotaODT.document(inhoud.document))
            response.headers.add("Content-Disposition", contentDisposition(filename: "reactienota-\(c.id).odt"))
            response.headers.add("Cache-Control", "private, no-store")
            return response
        }
    }

    private func notaPage(_ session: Session, _ request: HTTPRequest, values: [String: String], problems: FormProblems,
                          conflict: String? = nil, saved: String? = nil) throws -> HTTPResponse {
        let actor = request.actor(.code(session.principal), .web)
        let c = try consultation(consultationID(request), by: actor)
        let voortgang = try ops.reactieVoortgang(raadpleging: c.id, by: actor)
        let nota = voortgang.nota
        let failed = !problems.isEmpty || conflict != nil
        let gepubliceerd = try? ops.publicatie(raadpleging: c.id, by: actor)
        let view = ReactienotaView(
            csrf: session.csrfToken, vastgesteld: nota.isVastgesteld, rboDatum: nota.rboDatum?.inWords,
            vastgesteldOp: nota.vastgesteldOp.map(AmsterdamTime.inWords), summary: voortgang.summary,
            open: voortgang.count(.open) + voortgang.count(.verouderd) == 0 ? nil : voortgang.count(.open) + voortgang.count(.verouderd),
            reactiesHref: Links.reacties(c.id), downloadHref: Links.reactienota(c.id) + ".odt",
            printHref: Links.printableReactienota(c.id),
            vaststellenAction: Links.reactienota(c.id) + "/vaststellen", heropenenAction: Links.reactienota(c.id) + "/heropenen",
            datum: values["rboDatum"] ?? c.rboVergadering?.iso ?? "", datumError: problems["rboDatum"],
            bevestigError: problems["bevestig-vaststellen"] ?? problems["bevestig-heropenen"], conflict: conflict,
            errors: problems.errors, hasErrors: !problems.isEmpty, saved: saved,
            gepubliceerdOp: gepubliceerd.map { AmsterdamTime.inWords($0.gepubliceerdOp) }, publicatieHref: Links.publicatie(c.id),
            publishAction: Links.publish(c.id), withdrawAction: Links.withdrawPublication(c.id))
        return page("reactienota", title: "Reactienota", session: session, status: failed ? (conflict != nil ? 409 : 422) : 200,
                    hasErrors: failed, path: Links.reactienota(c.id), consultation: c, content: view)
    }
}
