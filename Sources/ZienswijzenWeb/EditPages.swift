import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension Web {
    /// The edit page of a consultation: its settings, themes, invited gemeenten, status and a copy.
    /// Each form posts to its own address and comes back here; what the status does not allow is
    /// shown as a problem on the page, with what was typed kept.
    func registerEditPages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/raadplegingen/{id}/bewerken") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let c = try consultation(consultationID(request), by: request.actor(.code(session.principal), .web))
            let saved = ((try? request.queryFields()) ?? FormFields()).first("opgeslagen").flatMap(savedMessage)
            return try editPage(session, c, form: .none, problems: FormProblems(), saved: saved)
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/bewerken", bodyLimit: 64 * 1024, role: .coordinator) { [self] request in
            try editForm(request) { c, fields in
                var values: [String: String] = [:]
                for (name, value) in fields { values[name] = value }
                var change = RaadplegingChange(titel: values["titel"] ?? c.titel,
                                               omschrijving: normalizedLineBreaks(values["omschrijving"] ?? c.omschrijving))
                let typedDate = (values["rboVergadering"] ?? "").trimmingWhitespace
                if typedDate.isEmpty { change.rboVergadering = .some(nil) }
                else if let date = LocalDate(iso: typedDate) { change.rboVergadering = .some(date) }
                else { return (.gegevens(values), [InvalidParam(name: "rboVergadering", reason: "moet een datum zijn, zoals 2027-03-15")], change, "gegevens") }
                if !c.status.wasOpened { change.raadsbesluitVerplicht = values["raadsbesluitVerplicht"] == "ja" }
                return (.gegevens(values), [], change, "gegevens")
            } field: { name in (id: name, label: Self.consultationFieldLabel(name)) }
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/themas", bodyLimit: 512 * 1024, role: .coordinator) { [self] request in
            var rows: [String] = []
            return try editForm(request) { c, fields in
                var values: [String: String] = [:]
                for (name, value) in fields { values[name] = value }
                let (themas, rowIDs, problems) = Self.themas(from: values, count: c.themas.count)
                rows = rowIDs
                return (.themas(values), problems, RaadplegingChange(themas: themas), "themas")
            } field: { name in
                if name.hasPrefix("positie.") { return (id: "thema-\(name.dropFirst(8))-positie", label: "Thema: de volgorde") }
                // `themas[k].titel`: the k-th theme of the list sent, which is form row rows[k].
                let parts = name.split(separator: ".", maxSplits: 1)
                let index = parts.first.flatMap { Int($0.drop { $0 != "[" }.dropFirst().dropLast()) }
                let row = index.flatMap { rows.indices.contains($0) ? rows[$0] : nil } ?? "thema-nieuw"
                let field = parts.count > 1 ? String(parts[1]) : "titel"
                let label = ["code": "de code", "titel": "de titel", "samenvatting": "de samenvatting"][field] ?? field
                return (id: "\(row)-\(field)", label: "Thema: \(label)")
            }
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/uitnodigingen", bodyLimit: 64 * 1024, role: .coordinator) { [self] request in
            try editForm(request) { _, fields in
                let codes = fields.filter { $0.0 == "gemeente" }.map(\.1)
                return (.uitnodigingen(codes), [], RaadplegingChange(uitgenodigd: codes), "uitnodigingen")
            } field: { _ in (id: "uitnodigingen", label: "Uitgenodigde gemeenten:") }
        }
    }

    /// A POST of one of the edit page's forms: `parse` turns the fields into a change (or
    /// problems), the operation judges it; problems and refusals come back on the page.
    private func editForm(_ request: HTTPRequest,
                          parse: (Raadpleging, [(String, String)]) -> (EditForm, [InvalidParam], RaadplegingChange, String),
                          field: (String) -> (id: String, label: String)) throws -> HTTPResponse {
        let session = try requireSession(request, role: .coordinator)
        let fields = try checkedForm(request, expected: session.csrfToken).fields
        let actor = request.actor(.code(session.principal), .web)
        let c = try consultation(consultationID(request), by: actor)
        let (form, parseProblems, change, anchor) = parse(c, fields)
        var problems = FormProblems()
        var status = 422
        if parseProblems.isEmpty {
            do {
                _ = try ops.change(raadpleging: c.id, change, by: actor)
                return .redirect(to: Links.edit(c.id) + "?opgeslagen=\(anchor)")
            } catch Refusal.invalid(let params, let detail) {
                if params.isEmpty { problems.add(anchor, detail) }
                problems.add(params, field: field)
            } catch Refusal.conflict(let conflict) {
                problems.add(anchor, Refusal.conflict(conflict).detail)
                status = 409
            }
        } else {
            problems.add(parseProblems, field: field)
        }
        return try editPage(session, c, form: form, problems: problems, status: status)
    }

    /// The themes the form sent, in the order of their `positie`, without those marked for
    /// removal, plus the new one when it has a code or title; with the form row of each and the
    /// problems of the form itself (a position that is not a number).
    static func themas(from values: [String: String], count: Int) -> ([Thema], [String], [InvalidParam]) {
        var entries: [(positie: Int, order: Int, thema: Thema, row: String)] = []
        var problems: [InvalidParam] = []
        for n in 0..<count {
            guard let code = values["thema.\(n).code"], values["thema.\(n).verwijderen"] != "ja" else { continue }
            let typed = (values["thema.\(n).positie"] ?? "").trimmingWhitespace
            let positie = Int(typed) ?? (typed.isEmpty ? n + 1 : nil)
            if positie == nil { problems.append(InvalidParam(name: "positie.\(n)", reason: "moet een geheel getal zijn")) }
            entries.append((positie ?? n + 1, n, Thema(code: code, titel: values["thema.\(n).titel"] ?? "",
                                                     samenvatting: normalizedLineBreaks(values["thema.\(n).samenvatting"] ?? "")),
                            "thema-\(n)"))
        }
        entries.sort { ($0.positie, $0.order) < ($1.positie, $1.order) }
        let code = (values["nieuw.code"] ?? "").trimmingWhitespace, titel = values["nieuw.titel"] ?? ""
        if !code.isEmpty || !titel.trimmingWhitespace.isEmpty {
            entries.append((Int.max, count, Thema(code: code, titel: titel, samenvatting: normalizedLineBreaks(values["nieuw.samenvatting"] ?? "")),
                            "thema-nieuw"))
        }
        return (entries.map(\.thema), entries.map(\.row), problems)
    }

    func editPage(_ session: Session, _ c: Raadpleging, form: EditForm, problems: FormProblems, status: Int = 200,
                  saved: String? = nil) throws -> HTTPResponse {
        let actor = Actor(.code(session.principal), channel: .web)
        let view = EditView(c, register: try ops.gemeenten(), themasInUse: try ops.themasInUse(raadpleging: c.id, by: actor),
                            csrf: session.csrfToken, form: form, problems: problems, saved: saved)
        return page("bewerken", title: "\(c.titel) bewerken", session: session, status: problems.isEmpty ? 200 : status,
                    hasErrors: !problems.isEmpty, path: Links.edit(c.id), consultation: c, content: view)
    }

    private func savedMessage(_ saved: String) -> String? {
        switch saved {
        case "aangemaakt": "De raadpleging is aangemaakt, in voorbereiding. Stel hieronder de thema’s en gemeenten in en voeg de documenten toe."
        case "gekopieerd": "De kopie is aangemaakt, in voorbereiding, met de thema’s en gemeenten van de oorspronkelijke raadpleging."
        case "gegevens": "De gegevens zijn opgeslagen."
        case "themas": "De thema’s zijn opgeslagen."
        case "uitnodigingen": "De uitgenodigde gemeenten zijn opgeslagen."
        default: statusMessage(saved)
        }
    }
}
