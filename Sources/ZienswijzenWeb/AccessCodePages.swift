import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct CodeRow {
    var id: Int64
    var rol: String
    var gemeente: String
    var naam: String
    var email: String
    var aangemaakt: String
    var laatstGebruikt: String
    var status: String
    var actief: Bool
    var eigen: Bool
    var canRevoke: Bool
}

struct AccessCodesView {
    var csrf: String
    var rows: [CodeRow]
    var gemeenten: [OptionView]
    var rolGriffie: Bool
    var rolCoordinator: Bool
    var naam: String
    var errors: [ErrorItem]
    var hasErrors: Bool
    var rolError: String?
    var gemeenteError: String?
    var naamError: String?
    var email: String
    var emailError: String?
    var revoked: String?
    /// Set when the page of a new code is asked for again: it was shown once and is gone.
    var alreadyShown: Bool
}

struct IssuedCodeView {
    var code: String
    /// The code's groups of four, each with its dash, so a narrow screen breaks it only between groups.
    var groups: [String]
    var voor: String
    var bericht: String
    /// The site address used in the message.
    var adres: String
    /// True when no `--public-url` is configured and the address was derived from the request.
    var adresGeraden: Bool
}

extension Web {
    /// Issuing and revoking access codes. A new code exists in clear only in memory between the
    /// POST that made it and the one GET it redirects to (sent with `Cache-Control: no-store`):
    /// it is never stored, and a reload neither shows it again nor issues another. Revoking asks first.
    func registerAccessCodePages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/toegangscodes") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let query = (try? request.queryFields()) ?? FormFields()
            return try accessCodesPage(session, fields: [:], problems: [], revoked: query.first("ingetrokken").flatMap { Int64($0) },
                                       alreadyShown: query.first("getoond") == "1")
        }
        web(&routes, .get, "/coordinator/toegangscodes/nieuw") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            guard let view = issuedCodes.take(session.csrfToken, now: clock.now()) else {
                return .redirect(to: "/coordinator/toegangscodes?getoond=1")
            }
            return page("toegangscode-uitgegeven", title: "Nieuwe toegangscode", session: session,
                        path: "/coordinator/toegangscodes", content: view)
        }
        web(&routes, .post, "/coordinator/toegangscodes", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            var fields: [String: String] = [:]
            for (name, value) in try checkedForm(request, expected: session.csrfToken).fields { fields[name] = value }
            let refused = { (problems: [(String, String)]) throws -> HTTPResponse in
                var response = try accessCodesPage(session, fields: fields, problems: problems, revoked: nil, alreadyShown: false)
                response.status = 422
                return response
            }
            guard let rol = Role(rawValue: fields["rol"] ?? "") else {
                return try refused([("rol", "Kies voor wie de toegangscode is.")])
            }
            let gemeente = rol == .griffie ? fields["gemeente"].flatMap { $0.isEmpty ? nil : $0 } : nil
            let issued: IssuedCode
            do {
                issued = try ops.issueCode(role: rol, gemeente: gemeente, naam: fields["naam"] ?? "",
                                           email: rol == .griffie ? fields["email"] : nil,
                                           by: request.actor(.code(session.principal), .web))
            } catch Refusal.invalid(let params, _) {
                return try refused(params.map { param in
                    switch (param.name, rol) {
                    case ("gemeente", _): ("gemeente", "Kies de gemeente van de griffie.")
                    case ("email", _): ("email", "Vul een geldig e-mailadres in, zoals griffie@gemeente.nl, of laat het veld leeg.")
                    case ("naam", .coordinator) where (fields["naam"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty:
                        ("naam", "Vul de naam van de coördinator in.")
                    default: (param.name, "De naam \(param.reason).")
                    }
                })
            }
            let consultation = try invitationConsultation(for: issued.gemeente)
            let site = siteAddress(request)
            let naam = issued.record.naam
            // Signed by the RSIV contact when configured: the name of a code ("Eerste coördinator") is no signature.
            let signature = configuration.contact.naam.isEmpty ? "De coördinator van de raadpleging" : configuration.contact.naam
            let view = IssuedCodeView(
                code: issued.code,
                groups: issued.code.split(separator: "-").enumerated().map { i, g in
                    String(g) + (i < issued.code.split(separator: "-").count - 1 ? "-" : "")
                },
                voor: rol == .griffie ? "Voor de griffie van \(issued.gemeente?.naam ?? "")." : "Voor \(naam), coördinator.",
                bericht: invitation(code: issued.code, role: rol, gemeente: issued.gemeente, naam: naam,
                                    consultation: consultation, sender: signature, site: site.url),
                adres: site.url, adresGeraden: site.guessed)
            issuedCodes.put(view, for: session.csrfToken, now: clock.now())
            return .redirect(to: "/coordinator/toegangscodes/nieuw")
        }
        web(&routes, .get, "/coordinator/toegangscodes/{id}/intrekken") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let records = try ops.toegangscodes(by: Actor(.code(session.principal), channel: .web))
            guard let id = Int64(request.parameters["id"] ?? ""), let record = records.first(where: { $0.id == id }) else {
                throw WebFailure.notFound("Deze toegangscode bestaat niet.")
            }
            guard record.id != session.principal.codeID else { throw WebFailure.conflict(Refusal.forbidden(.ownCode).detail) }
            guard record.ingetrokkenOp == nil else {
                throw WebFailure.conflict("De toegangscode van \(record.naam) (nr. \(id)) is al ingetrokken. Er is niets meer te doen.")
            }
            let gemeente = try record.gemeente.flatMap { try ops.gemeente($0) }
            return page("bevestigen", title: "Toegangscode intrekken", session: session, path: "/coordinator/toegangscodes",
                        content: ConfirmView(
                            heading: "Weet u zeker dat u deze toegangscode wilt intrekken?",
                            lead: "U trekt toegangscode nr. \(id) in van \(record.naam)"
                                + (gemeente.map { " (griffie van \($0.naam))" } ?? " (coördinator)") + ".",
                            warning: "Wie de code nog gebruikt, is meteen uitgelogd en kan er niet meer mee inloggen. "
                                + "Ingediende zienswijzen blijven bewaard. Dit kunt u niet ongedaan maken: daarna maakt u zo nodig een nieuwe code.",
                            action: "/coordinator/toegangscodes/\(id)/intrekken", csrf: session.csrfToken, hidden: [confirmedField],
                            confirmLabel: "Ja, code intrekken", cancelHref: "/coordinator/toegangscodes",
                            cancelLabel: "Nee, terug naar de toegangscodes"))
        }
        web(&routes, .post, "/coordinator/toegangscodes/{id}/intrekken", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let fields = try checkedForm(request, expected: session.csrfToken).fields
            guard let id = Int64(request.parameters["id"] ?? "") else { throw WebFailure.notFound("Deze toegangscode bestaat niet.") }
            // Only from the confirmation page: anything else is asked first.
            guard fields.contains(where: { $0.0 == confirmedField.name && $0.1 == confirmedField.value }) else {
                return .redirect(to: "/coordinator/toegangscodes/\(id)/intrekken")
            }
            do {
                try ops.revokeCode(id: id, by: request.actor(.code(session.principal), .web))
            } catch Refusal.forbidden(.ownCode) {
                throw WebFailure.conflict(Refusal.forbidden(.ownCode).detail)
            }
            return .redirect(to: "/coordinator/toegangscodes?ingetrokken=\(id)")
        }
    }

    private func accessCodesPage(_ session: Session, fields: [String: String], problems: [(String, String)],
                                 revoked: Int64?, alreadyShown: Bool) throws -> HTTPResponse {
        let records = try ops.toegangscodes(by: Actor(.code(session.principal), channel: .web))
        let gemeenten = try ops.gemeenten()
        let names = Dictionary(gemeenten.map { ($0.code, $0.naam) }, uniquingKeysWith: { a, _ in a })
        let rows = records.map { r in
            CodeRow(id: r.id, rol: r.role == .griffie ? "Griffie" : "Coördinator",
                    gemeente: r.gemeente.flatMap { names[$0] } ?? "–", naam: r.naam, email: r.email ?? "–",
                    aangemaakt: shortDateTime(r.aangemaaktOp), laatstGebruikt: r.laatstGebruiktOp.map(shortDateTime) ?? "Nooit",
                    status: r.ingetrokkenOp.map { "Ingetrokken op \(shortDateTime($0))" } ?? "Actief",
                    actief: r.ingetrokkenOp == nil, eigen: r.id == session.principal.codeID,
                    canRevoke: r.ingetrokkenOp == nil && r.id != session.principal.codeID)
        }
        let message = Dictionary(problems, uniquingKeysWith: { a, _ in a })
        let errors = problems.map { ErrorItem(href: $0.0 == "rol" ? "#rol-griffie" : "#code-" + $0.0, message: $0.1) }
        let selected = fields["gemeente"] ?? ""
        let revokedRow = revoked.flatMap { id in records.first { $0.id == id } }
        let view = AccessCodesView(
            csrf: session.csrfToken, rows: rows,
            gemeenten: [OptionView(value: "", label: "Kies een gemeente", selected: selected.isEmpty)]
                + gemeenten.map { OptionView(value: $0.code, label: $0.naam, selected: $0.code == selected) },
            rolGriffie: fields["rol"] == nil || fields["rol"] == "griffie", rolCoordinator: fields["rol"] == "coordinator",
            naam: fields["naam"] ?? "", errors: errors, hasErrors: !errors.isEmpty,
            rolError: message["rol"], gemeenteError: message["gemeente"], naamError: message["naam"],
            email: fields["email"] ?? "", emailError: message["email"],
            revoked: revokedRow.map { "De toegangscode van \($0.naam) is ingetrokken. Wie hem nog gebruikt, is uitgelogd." },
            alreadyShown: alreadyShown)
        return page("toegangscodes", title: "Toegangscodes", session: session, hasErrors: !errors.isEmpty,
                    path: "/coordinator/toegangscodes", content: view)
    }

    /// The site's own address for links that leave the site (the invitation): `--public-url` when
    /// configured. Otherwise a guess from the request's `Host` (only if it looks like a host name,
    /// never free text), which the page then says is a guess.
    private func siteAddress(_ request: HTTPRequest) -> (url: String, guessed: Bool) {
        if let url = configuration.publicURL { return (url, false) }
        let host = request.headers["Host"].flatMap(PublicURL.plausibleHost) ?? "localhost"
        return ((configuration.secureCookies ? "https://" : "http://") + host, true)
    }

    /// The consultation an invitation is about: the one open consultation the griffie's gemeente
    /// takes part in (for a coordinator: the one open consultation); nil when there are none or
    /// several, and the message then names none.
    private func invitationConsultation(for gemeente: Gemeente?) throws -> Raadpleging? {
        let open = try gemeente.map { try ops.openRaadplegingen(for: $0) } ?? ops.raadplegingen().filter { $0.status == .open }
        return open.count == 1 ? open[0] : nil
    }

    /// The message the coordinator sends with a new code (by e-mail or letter: the code is not
    /// sent by this service).
    private func invitation(code: String, role: Role, gemeente: Gemeente?, naam: String, consultation: Raadpleging?,
                            sender: String, site: String) -> String {
        let deadline = consultation?.deadline.map { "De zienswijze moet uiterlijk \(AmsterdamTime.inWords($0)) binnen zijn. " } ?? ""
        let plan = consultation.map { "het ontwerpbeleidsplan ‘\($0.titel)’" } ?? "het ontwerpbeleidsplan van de politie-eenheid Den Haag"
        let opening: String
        let body: String
        switch role {
        case .griffie:
            let naamGemeente = gemeente?.naam ?? ""
            opening = "Beste griffie van \(naamGemeente),"
            body = """
                Via onderstaand adres kunt u de zienswijze van de gemeenteraad van \(naamGemeente) op \
                \(plan) indienen. \(deadline)Tot dat moment kunt u de zienswijze \
                ook wijzigen of intrekken. Na het indienen krijgt u een ontvangstbevestiging met een kenmerk.
                """
        case .coordinator:
            opening = "Beste \(naam),"
            body = "Hierbij ontvangt u een toegangscode als coördinator voor de zienswijzen op \(plan)."
        }
        return """
            \(opening)

            \(body)

            Website: \(site)/inloggen
            Uw toegangscode: \(code)

            Deze code is persoonlijk voor uw \(role == .griffie ? "griffie" : "functie"). Bewaar hem vertrouwelijk. \
            Is de code kwijt of mogelijk bij anderen terechtgekomen? Laat het ons weten: dan trekken wij hem in \
            en krijgt u een nieuwe.

            Met vriendelijke groet,
            \(sender)
            """
    }
}
