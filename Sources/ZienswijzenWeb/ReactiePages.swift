import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct ReactieProgressRow {
    var naam: String
    var href: String
    var versie: Int
    var stand: String
    var standClass: String
}

struct ThemaLink {
    var titel: String
    var href: String
    var count: Int
    /// "1 opmerking", "3 opmerkingen" (stored: templates see stored properties only).
    var countLabel: String
}

struct ReactiesView {
    var summary: String
    var uitgenodigd: Int
    var vastgesteld: Bool
    var notaHref: String
    var rows: [ReactieProgressRow]
    var hasRows: Bool
    var themas: [ThemaLink]
    var hasThemas: Bool
}

/// One remark of the zienswijze beside the fields for its reaction.
struct ReactieField {
    var thema: String
    var titel: String
    var opmerking: String
    var tekst: FieldView
    var verwerkingID: String
    var verwerkingName: String
    var verwerkingen: [OptionView]
    var verwerkingError: String?
    var verwerkingLabel: String?
}

struct ReactieFormView {
    var csrf: String
    var action: String
    var backHref: String
    var naam: String
    var standpunt: String
    var versie: Int
    var toelichting: String?
    var olderVersion: Int?
    var frozen: Bool
    var notaHref: String
    var fields: [ReactieField]
    var hasFields: Bool
    var algemeen: FieldView
    var algemeenText: String
    var errors: [ErrorItem]
    var hasErrors: Bool
    var saved: Bool
}

struct ThemaReactie {
    var naam: String
    var href: String
    var opmerking: String
    var reactie: String?
    var verwerking: String?
    var older: Bool
}

struct ThemaReactiesView {
    var titel: String
    var samenvatting: String
    var backHref: String
    var items: [ThemaReactie]
    var hasItems: Bool
}

extension Web {
    /// The coordinator's pages for answering: progress with links per gemeente and per theme, one
    /// form per gemeente (its remarks beside the fields for the reactions), and one page per theme.
    func registerReactiePages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/raadplegingen/{id}/reacties") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let actor = request.actor(.code(session.principal), .web)
            let c = try consultation(consultationID(request), by: actor)
            let inhoud = try ops.reactienotaInhoud(raadpleging: c.id, by: actor)
            let voortgang = try ops.reactieVoortgang(raadpleging: c.id, by: actor)
            let rows = voortgang.regels.map { regel in
                ReactieProgressRow(naam: regel.gemeente.naam, href: Links.reactie(c.id, regel.gemeente.code), versie: regel.versie,
                                   stand: standLabel(regel), standClass: "status-reactie-" + regel.stand.rawValue)
            }
            let themas = c.themas.compactMap { thema -> ThemaLink? in
                let count = inhoud.regels.filter { $0.versie.opmerkingen.contains { $0.thema == thema.code } }.count
                guard count > 0 else { return nil }
                return ThemaLink(titel: thema.titel, href: Links.reactieThema(c.id, thema.code), count: count,
                                 countLabel: count == 1 ? "1 opmerking" : "\(count) opmerkingen")
            }
            let view = ReactiesView(summary: voortgang.summary, uitgenodigd: voortgang.uitgenodigd, vastgesteld: voortgang.nota.isVastgesteld,
                                    notaHref: Links.reactienota(c.id), rows: rows, hasRows: !rows.isEmpty, themas: themas, hasThemas: !themas.isEmpty)
            return page("reacties", title: "Reacties: \(voortgang.summary)", session: session, path: Links.reacties(c.id),
                        consultation: c, content: view)
        }
        web(&routes, .get, "/coordinator/raadplegingen/{id}/reacties/gemeenten/{code}") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let saved = ((try? request.queryFields()) ?? FormFields()).first("opgeslagen") == "ja"
            return try reactieForm(session, request, values: nil, problems: FormProblems(), saved: saved)
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/reacties/gemeenten/{code}", bodyLimit: 1 << 20,
            role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let actor = request.actor(.code(session.principal), .web)
            let form = try checkedForm(request, expected: session.csrfToken)
            var values: [String: String] = [:]
            for (name, value) in form.fields { values[name] = value }
            let (id, code) = (consultationID(request), request.parameters["code"] ?? "")
            let found = try beantwoording(id, code, by: actor)
            guard let versie = found.versie else { throw WebFailure.conflict(Refusal.conflict(.noZienswijze).detail) }
            var problems = FormProblems()
            var opmerkingen: [ReactieOpmerking] = []
            for opmerking in versie.opmerkingen {
                let tekst = (values["reactie-\(opmerking.thema)"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
                let verwerking = Verwerking(rawValue: values["verwerking-\(opmerking.thema)"] ?? "")
                let titel = themaTitel(found.raadpleging, opmerking.thema)
                switch (tekst.trimmingWhitespace.isEmpty, verwerking) {
                case (true, nil): continue  // not answered yet
                case (true, .some): problems.add("reactie-\(opmerking.thema)", "Schrijf de reactie op de opmerking over \(titel).")
                case (false, nil): problems.add("verwerking-\(opmerking.thema)", "Kies hoe de opmerking over \(titel) is verwerkt.")
                case (false, let verwerking?): opmerkingen.append(ReactieOpmerking(thema: opmerking.thema, tekst: tekst, verwerking: verwerking))
                }
            }
            let algemeen = (values["algemeen"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            if problems.isEmpty {
                do {
                    _ = try ops.answer(ReactieInput(algemeen: algemeen, opmerkingen: opmerkingen), raadpleging: id, gemeente: code, by: actor)
                    return .redirect(to: Links.reactie(id, code) + "?opgeslagen=ja")
                } catch Refusal.invalid(let params, _) {
                    problems.add(params) { name in reactieField(name, opmerkingen, found.raadpleging) }
                } catch Refusal.conflict(let conflict) {
                    throw WebFailure.conflict(Refusal.conflict(conflict).detail)
                }
            }
            return try reactieForm(session, request, values: values, problems: problems)
        }
        web(&routes, .get, "/coordinator/raadplegingen/{id}/reacties/themas/{thema}") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let actor = request.actor(.code(session.principal), .web)
            let c = try consultation(consultationID(request), by: actor)
            guard let thema = c.themas.first(where: { $0.code == request.parameters["thema"] }) else {
                throw WebFailure.notFound("Dit thema bestaat niet in deze raadpleging.")
            }
            let inhoud = try ops.reactienotaInhoud(raadpleging: c.id, by: actor)
            let items = inhoud.regels.compactMap { regel -> ThemaReactie? in
                guard let opmerking = regel.versie.opmerkingen.first(where: { $0.thema == thema.code }) else { return nil }
                let reactie = regel.reactie?.opmerking(thema.code)
                return ThemaReactie(naam: regel.gemeente.naam, href: Links.reactie(c.id, regel.gemeente.code), opmerking: opmerking.tekst,
                                    reactie: reactie?.tekst, verwerking: reactie?.verwerking.label,
                                    older: (regel.reactie?.beantwoordtVersie ?? regel.versie.versie) < regel.versie.versie)
            }
            return page("reacties-thema", title: "Reacties op \(thema.titel)", session: session,
                        path: Links.reactieThema(c.id, thema.code), consultation: c,
                        content: ThemaReactiesView(titel: thema.titel, samenvatting: thema.samenvatting, backHref: Links.reacties(c.id),
                                           items: items, hasItems: !items.isEmpty))
        }
    }

    private func beantwoording(_ id: String, _ code: String, by actor: Actor) throws -> Beantwoording {
        do {
            return try ops.beantwoording(raadpleging: id, gemeente: code, by: actor)
        } catch Refusal.notFound(let subject) {
            throw WebFailure.notFound(Refusal.notFound(subject).detail)
        }
    }

    private func reactieForm(_ session: Session, _ request: HTTPRequest, values: [String: String]?, problems: FormProblems,
                             saved: Bool = false) throws -> HTTPResponse {
        let actor = request.actor(.code(session.principal), .web)
        let (id, code) = (consultationID(request), request.parameters["code"] ?? "")
        let found = try beantwoording(id, code, by: actor)
        guard let versie = found.versie, versie.status != .ingetrokken else {
            throw WebFailure.notFound("Deze gemeente heeft geen (niet-ingetrokken) zienswijze om te beantwoorden.")
        }
        let c = found.raadpleging
        let frozen = found.nota.isVastgesteld
        let fields = versie.opmerkingen.map { opmerking -> ReactieField in
            let stored = found.reactie?.opmerking(opmerking.thema)
            let titel = themaTitel(c, opmerking.thema)
            let selected = values.map { $0["verwerking-\(opmerking.thema)"] ?? "" } ?? stored?.verwerking.rawValue ?? ""
            return ReactieField(
                thema: opmerking.thema, titel: titel, opmerking: opmerking.tekst,
                tekst: FieldView(id: "reactie-\(opmerking.thema)", name: "reactie-\(opmerking.thema)", label: "Reactie op de opmerking over \(titel)",
                                 value: values.map { $0["reactie-\(opmerking.thema)"] ?? "" } ?? stored?.tekst ?? "", hint: nil,
                                 error: problems["reactie-\(opmerking.thema)"], optional: false, maxlength: ReactieRules.maxTekst),
                verwerkingID: "verwerking-\(opmerking.thema)", verwerkingName: "verwerking-\(opmerking.thema)",
                verwerkingen: [OptionView(value: "", label: "Kies de verwerking", selected: selected.isEmpty)]
                    + Verwerking.allCases.map { OptionView(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) },
                verwerkingError: problems["verwerking-\(opmerking.thema)"],
                verwerkingLabel: stored?.verwerking.label)
        }
        let algemeen = values.map { $0["algemeen"] ?? "" } ?? found.reactie?.algemeen ?? ""
        let view = ReactieFormView(
            csrf: session.csrfToken, action: Links.reactie(c.id, code), backHref: Links.reacties(c.id), naam: found.gemeente.naam,
            standpunt: versie.standpunt.label, versie: versie.versie, toelichting: versie.toelichting.isEmpty ? nil : versie.toelichting,
            olderVersion: found.answersOlderVersion ? found.reactie?.beantwoordtVersie : nil, frozen: frozen, notaHref: Links.reactienota(c.id),
            fields: fields, hasFields: !fields.isEmpty,
            algemeen: FieldView(id: "algemeen", name: "algemeen", label: "Algemene reactie", value: algemeen,
                                hint: "Op de zienswijze als geheel: het standpunt en de toelichting van de raad.",
                                error: problems["algemeen"], optional: true, maxlength: ReactieRules.maxTekst),
            algemeenText: algemeen, errors: problems.errors, hasErrors: !problems.isEmpty, saved: saved)
        return page("reactie", title: "Reactie aan \(found.gemeente.naam)", session: session, status: problems.isEmpty ? 200 : 422,
                    hasErrors: !problems.isEmpty, path: Links.reactie(c.id, code), consultation: c, content: view)
    }

    private func themaTitel(_ c: Raadpleging, _ code: String) -> String {
        c.themas.first { $0.code == code }?.titel ?? code
    }

    /// The form field of an operation's problem (`algemeen`, `opmerkingen[n].tekst`, ...).
    private func reactieField(_ name: String, _ opmerkingen: [ReactieOpmerking], _ c: Raadpleging) -> (id: String, label: String) {
        if name == "algemeen" { return ("algemeen", "De algemene reactie") }
        if name.hasPrefix("opmerkingen["), let close = name.firstIndex(of: "]"),
           let n = Int(name[name.index(name.startIndex, offsetBy: 12)..<close]), opmerkingen.indices.contains(n) {
            let thema = opmerkingen[n].thema
            return ("reactie-\(thema)", "De reactie op de opmerking over \(themaTitel(c, thema))")
        }
        return ("algemeen", "Het formulier:")
    }

    func standLabel(_ regel: ReactieVoortgang.Regel) -> String {
        switch regel.stand {
        case .beantwoord: "Beantwoord"
        case .verouderd: "Beantwoord op versie \(regel.beantwoordtVersie ?? 0); nieuwe versie \(regel.versie)"
        case .open: "Nog niet beantwoord"
        }
    }
}

/// The answer to a griffie's own zienswijze, once the reactienota is vastgesteld.
struct AntwoordView {
    struct Item {
        var titel: String
        var opmerking: String
        var tekst: String
        var verwerking: String
    }

    var rboDatum: String
    var algemeen: String?
    var items: [Item]
    var hasItems: Bool
    /// The version answered, when the gemeente submitted a newer one since.
    var olderVersion: Int?

    /// Nil unless the nota is vastgesteld and there is an answer.
    init?(_ b: Beantwoording) {
        guard b.nota.isVastgesteld, let reactie = b.reactie else { return nil }
        rboDatum = b.nota.rboDatum?.inWords ?? ""
        algemeen = reactie.algemeen.isEmpty ? nil : reactie.algemeen
        items = reactie.opmerkingen.map { o in
            Item(titel: b.raadpleging.themas.first { $0.code == o.thema }?.titel ?? o.thema,
                 opmerking: b.versie?.opmerkingen.first { $0.thema == o.thema }?.tekst ?? "", tekst: o.tekst, verwerking: o.verwerking.label)
        }
        hasItems = !items.isEmpty
        olderVersion = b.answersOlderVersion ? reactie.beantwoordtVersie : nil
    }
}
