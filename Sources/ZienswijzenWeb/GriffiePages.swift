import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension Web {
    /// The griffie's form: `GET /zienswijze` shows it (prefilled from the current version),
    /// `POST /zienswijze` checks it with the API's own decoder and stores a new version.
    func registerGriffiePages(_ routes: inout RouteTable) {
        web(&routes, .get, "/zienswijze") { [self] request in
            let (session, gemeente) = try griffie(request)
            let consultation = try currentConsultation()
            let actor = request.actor(.code(session.principal), .web)
            let current = try ops.currentVersie(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)
            guard consultation.status == .open else {
                throw WebFailure.conflict("De raadpleging is gesloten: er kunnen geen zienswijzen meer worden ingediend of gewijzigd."
                                          + (current.map { " Uw laatste ontvangstbevestiging heeft kenmerk \($0.kenmerk)." } ?? ""))
            }
            let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: gemeente.naam, csrf: session.csrfToken)
            let form = builder.build(values: current.map(ZienswijzeFormBuilder.values) ?? [:], problems: [], chosenFile: nil,
                                     current: current.map { griffieVersionView($0, consultation) }, now: clock.now())
            return page("zienswijze", title: "Zienswijze van \(gemeente.naam)", session: session, path: "/zienswijze",
                        content: form)
        }
        web(&routes, .post, "/zienswijze", bodyLimit: BodyLimits.upload, role: .griffie) { [self] request in
            let (session, gemeente) = try griffie(request)
            let submitted = try checkedForm(request, expected: session.csrfToken, files: ["bestand"])
            let pairs = submitted.fields
            let actor = request.actor(.code(session.principal), .web)
            let consultation = try currentConsultation()
            let now = clock.now()
            let rules = SubmissionRules(themas: consultation.themas.map(\.code), today: AmsterdamTime.today(now))
            let body: SubmissionBody
            do {
                body = try SubmissionBody.decode(request, rules: rules, ops: ops, form: submitted, ignoring: ["csrf"])
            } catch let problem as Problem where problem.status == 422 {
                let current = try ops.currentVersie(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)
                var values: [String: String] = [:]
                for (name, value) in pairs where name != "csrf" && name != "bestand" { values[name] = value }
                let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: gemeente.naam, csrf: session.csrfToken)
                let form = builder.build(values: values, problems: problem.invalidParams,
                                         chosenFile: pairs.first { $0.0 == "bestand" }?.1,
                                         current: current.map { griffieVersionView($0, consultation) }, now: now)
                return page("zienswijze", title: "Zienswijze van \(gemeente.naam)", session: session, status: 422,
                            hasErrors: true, path: "/zienswijze", content: form)
            }
            let outcome = try ops.submit(body.input, uploads: body.attachments, raadpleging: consultation.id,
                                         gemeente: gemeente.code, by: actor)
            guard case .done(let version, _) = outcome else { throw Problem.internalError }
            return .redirect(to: "/zienswijze/ontvangstbevestiging/\(version.versie)")
        }
    }

    /// The griffie session and its gemeente.
    func griffie(_ request: HTTPRequest) throws -> (Session, Gemeente) {
        let session = try requireSession(request, role: .griffie)
        guard let code = session.principal.gemeente, let gemeente = try ops.gemeente(code) else {
            throw WebFailure.forbidden("Bij deze toegangscode hoort geen bekende gemeente.")
        }
        return (session, gemeente)
    }

    func griffieVersionView(_ version: Versie, _ consultation: Raadpleging) -> VersionView {
        VersionView(version, themas: consultation.themas, bijlagePrefix: "/zienswijze/bijlagen/",
                    receiptHref: "/zienswijze/ontvangstbevestiging/\(version.versie)")
    }
}
