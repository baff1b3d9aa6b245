import Foundation
import HTTP

extension App {
    /// The griffie's form: `GET /zienswijze` shows it (prefilled from the current version),
    /// `POST /zienswijze` checks it with the API's own decoder and stores a new version.
    func registerGriffiePages(_ router: inout Router) {
        web(&router, .get, "/zienswijze") { [self] request in
            let (session, gemeente) = try griffie(request)
            let consultation = try currentConsultation()
            let current = try read { try VersionStore.current($0, raadpleging: consultation.id, gemeente: gemeente.code) }
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
        web(&router, .post, "/zienswijze", bodyLimit: maxAttachmentBytes + 1024 * 1024) { [self] request in
            let (session, gemeente) = try griffie(request)
            let pairs = try checkedForm(request, expected: session.csrfToken)
            let consultation = try currentConsultation()
            let now = clock.now()
            let rules = SubmissionRules(themas: consultation.themas.map(\.code), today: AmsterdamTime.today(now))
            let body: SubmissionBody
            do {
                body = try SubmissionBody.decode(request, rules: rules, ignoring: ["csrf"])
            } catch let problem as Problem where problem.status == 422 {
                let current = try read { try VersionStore.current($0, raadpleging: consultation.id, gemeente: gemeente.code) }
                var values: [String: String] = [:]
                for (name, value) in pairs where name != "csrf" && name != "bestand" { values[name] = value }
                let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: gemeente.naam, csrf: session.csrfToken)
                let form = builder.build(values: values, problems: problem.invalidParams,
                                         chosenFile: pairs.first { $0.0 == "bestand" }?.1,
                                         current: current.map { griffieVersionView($0, consultation) }, now: now)
                return page("zienswijze", title: "Zienswijze van \(gemeente.naam)", session: session, status: 422,
                            hasErrors: true, path: "/zienswijze", content: form)
            }
            let principal = session.principal
            let version = try write { db in
                let ctx = VersionStore.Context(raadpleging: consultation.id, gemeente: gemeente.code, now: now,
                                               toegangscodeID: principal.codeID)
                let version = try VersionStore.submit(db, ctx, input: body.input, newAttachments: body.attachments)
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "zienswijze-ingediend", onderwerp: "\(consultation.id)/\(gemeente.code)",
                                      details: "\(version.kenmerk) \(version.status.rawValue) (web)", adres: request.remoteAddress)
                return version
            }
            return .redirect(to: "/zienswijze/ontvangstbevestiging/\(version.versie)")
        }
    }

    /// The griffie session and its gemeente.
    func griffie(_ request: HTTPRequest) throws -> (WebSession, Gemeente) {
        let session = try requireSession(request, role: .griffie)
        guard let code = session.principal.gemeente,
              let gemeente = try read({ try CatalogStore.gemeente($0, code: code) })
        else { throw WebFailure.forbidden("Bij deze toegangscode hoort geen bekende gemeente.") }
        return (session, gemeente)
    }

    func griffieVersionView(_ version: StoredVersion, _ consultation: Consultation) -> VersionView {
        VersionView(version, themas: consultation.themas, bijlagePrefix: "/zienswijze/bijlagen/",
                    receiptHref: "/zienswijze/ontvangstbevestiging/\(version.versie)")
    }
}
