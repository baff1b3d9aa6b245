import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct ConsultationRow {
    var titel: String
    var id: String
    var status: String
    var deadline: String
    var overviewHref: String
    var editHref: String
}

struct ConsultationsView {
    var csrf: String
    var rows: [ConsultationRow]
    var hasRows: Bool
    var errors: [ErrorItem]
    var hasErrors: Bool
    var id: FieldView
    var titel: FieldView
    var omschrijving: FieldView
}

extension Web {
    /// The coordinator's list of consultations with the form for a new one, and copying one.
    func registerConsultationListPages(_ routes: inout RouteTable) {
        web(&routes, .get, Links.coordinatorHome) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            return try consultationsPage(session, values: [:], problems: FormProblems())
        }
        web(&routes, .post, Links.coordinatorHome, bodyLimit: 64 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            var values: [String: String] = [:]
            for (name, value) in try checkedForm(request, expected: session.csrfToken).fields { values[name] = value }
            let draft = RaadplegingDraft(id: values["id"] ?? "", titel: values["titel"] ?? "",
                                         omschrijving: normalizedLineBreaks(values["omschrijving"] ?? ""))
            var problems = FormProblems()
            do {
                let created = try ops.createRaadpleging(draft, by: request.actor(.code(session.principal), .web))
                return .redirect(to: Links.edit(created.id) + "?opgeslagen=aangemaakt")
            } catch Refusal.invalid(let params, _) {
                problems.add(params) { name in (id: "nieuw-" + name, label: Self.consultationFieldLabel(name)) }
            } catch Refusal.conflict(.raadplegingExists) {
                problems.add("nieuw-id", Refusal.conflict(.raadplegingExists).detail)
            }
            var response = try consultationsPage(session, values: values, problems: problems)
            response.status = 422
            return response
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/kopie", bodyLimit: 64 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            var values: [String: String] = [:]
            for (name, value) in try checkedForm(request, expected: session.csrfToken).fields { values[name] = value }
            let actor = request.actor(.code(session.principal), .web)
            let source = try consultation(consultationID(request), by: actor)
            var problems = FormProblems()
            do {
                let copy = try ops.copyRaadpleging(source.id, as: RaadplegingKopie(id: values["id"] ?? "", titel: values["titel"] ?? ""),
                                                   by: actor)
                return .redirect(to: Links.edit(copy.id) + "?opgeslagen=gekopieerd")
            } catch Refusal.invalid(let params, _) {
                problems.add(params) { name in (id: "kopie-" + name, label: Self.consultationFieldLabel(name)) }
            } catch Refusal.conflict(.raadplegingExists) {
                problems.add("kopie-id", Refusal.conflict(.raadplegingExists).detail)
            }
            return try editPage(session, source, form: .copy(values), problems: problems, status: 422)
        }
    }

    static func consultationFieldLabel(_ name: String) -> String {
        switch name {
        case "id": "Het id"
        case "titel": "De titel"
        case "omschrijving": "De omschrijving"
        case "rboVergadering": "De datum van de RBO-vergadering"
        default: "Het veld ‘\(name)’"
        }
    }

    private func consultationsPage(_ session: Session, values: [String: String], problems: FormProblems) throws -> HTTPResponse {
        let actor = Actor(.code(session.principal), channel: .web)
        let order: [RaadplegingStatus] = [.open, .concept, .gesloten, .gearchiveerd]
        let all = try ops.raadplegingen(by: actor).sorted {
            (order.firstIndex(of: $0.status) ?? 0, $0.titel) < (order.firstIndex(of: $1.status) ?? 0, $1.titel)
        }
        let rows = all.map { c in
            ConsultationRow(titel: c.titel, id: c.id, status: c.status.label, deadline: c.deadline.map(shortDateTime) ?? "–",
                            overviewHref: Links.overview(c.id), editHref: Links.edit(c.id))
        }
        let view = ConsultationsView(
            csrf: session.csrfToken, rows: rows, hasRows: !rows.isEmpty, errors: problems.errors, hasErrors: !problems.isEmpty,
            id: FieldView(id: "nieuw-id", name: "id", label: "Id (in de adressen)", value: values["id"] ?? "",
                          hint: "Kleine letters, cijfers en streepjes, zoals coalitie-voor-veiligheid-2027-2030. Later niet te wijzigen.",
                          error: problems["nieuw-id"], optional: false, maxlength: 100),
            titel: FieldView(id: "nieuw-titel", name: "titel", label: "Titel", value: values["titel"] ?? "",
                             hint: "De naam van het plan, zoals griffies die kennen.", error: problems["nieuw-titel"], optional: false,
                             maxlength: RaadplegingRules.maxTitel),
            omschrijving: FieldView(id: "nieuw-omschrijving", name: "omschrijving", label: "Omschrijving", value: values["omschrijving"] ?? "",
                                    hint: "Wat er gevraagd wordt en waarom; staat op de pagina van de raadpleging.",
                                    error: problems["nieuw-omschrijving"], optional: true, maxlength: RaadplegingRules.maxOmschrijving))
        return page("raadplegingen", title: "Raadplegingen", session: session, hasErrors: !problems.isEmpty,
                    path: Links.coordinatorHome, content: view)
    }
}

/// Line breaks as `\n`: browsers send a textarea's as CRLF.
func normalizedLineBreaks(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n", with: "\n")
}
