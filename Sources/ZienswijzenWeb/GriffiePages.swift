import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension Web {
    /// The griffie's form: `GET /raadplegingen/{id}/zienswijze` shows it (prefilled from the
    /// current version), `POST` checks it with the API's own decoder and stores a new version.
    /// `/zienswijze` is the old address of both, for the seeded consultation.
    func registerGriffiePages(_ routes: inout RouteTable) {
        web(&routes, .get, ["/raadplegingen/{id}/zienswijze", "/zienswijze"]) { [self] request in
            let (session, gemeente) = try griffie(request)
            let actor = request.actor(.code(session.principal), .web)
            let consultation = try consultation(consultationID(request), by: actor)
            let current = try ops.currentVersie(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)
            guard consultation.status == .open else {
                return try closedPage(session, gemeente, consultation, by: actor)
            }
            let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: gemeente.naam, csrf: session.csrfToken)
            let form = builder.build(values: current.map(ZienswijzeFormBuilder.values) ?? [:], problems: [], chosenFile: nil,
                                     current: current.map { griffieVersionView($0, consultation) }, now: clock.now())
            return page("zienswijze", title: "Zienswijze van \(gemeente.naam)", session: session, path: Links.form(consultation.id),
                        consultation: consultation, content: form)
        }
        web(&routes, .post, ["/raadplegingen/{id}/zienswijze", "/zienswijze"], bodyLimit: BodyLimits.webUpload,
            role: .griffie) { [self] request in
            let (session, gemeente) = try griffie(request)
            let actor = request.actor(.code(session.principal), .web)
            let consultation = try consultation(consultationID(request), by: actor)
            // Whether this gemeente takes part, before a byte of the form (and its file) is stored.
            _ = try ops.writableRaadpleging(consultation.id, gemeente: gemeente.code, by: actor)
            let submitted = try checkedForm(request, expected: session.csrfToken, files: ["bestand"], limits: .webUpload)
            let pairs = submitted.fields
            let now = clock.now()
            let rules = SubmissionRules(themas: consultation.themas.map(\.code), today: AmsterdamTime.today(now))
            let withErrors = { (problems: [InvalidParam]) throws -> HTTPResponse in
                let current = try ops.currentVersie(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)
                var values: [String: String] = [:]
                for (name, value) in pairs where !["csrf", "bestand", "bijlagen"].contains(name) { values[name] = value }
                var problems = problems
                // A missing decision is said at once with the other problems, not after they are fixed.
                if !problems.contains(where: { $0.name == "bestand" }),
                   let missing = Self.missingDecision(consultation, standpunt: values["standpunt"],
                                                      uploads: submitted.uploads.count, earlier: current?.bijlagen ?? [],
                                                      keeping: SubmissionDecoder.keeping(fromForm: pairs)) {
                    problems.append(missing)
                }
                let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: gemeente.naam, csrf: session.csrfToken)
                let form = builder.build(values: values, keeping: SubmissionDecoder.keeping(fromForm: pairs), problems: problems,
                                         chosenFile: pairs.first { $0.0 == "bestand" }?.1,
                                         current: current.map { griffieVersionView($0, consultation) }, now: now)
                return page("zienswijze", title: "Zienswijze van \(gemeente.naam)", session: session, status: 422,
                            hasErrors: true, path: Links.form(consultation.id), consultation: consultation, content: form)
            }
            // The date comes as dag / maand / jaar; the shared decoder takes it as one ISO field.
            var form = submitted
            let dateProblems: [InvalidParam]
            (form.fields, dateProblems) = DateParts.combine(submitted.fields, name: "datumRaadsbesluit")
            let withDateProblems = { (problems: [InvalidParam]) -> [InvalidParam] in
                guard !dateProblems.isEmpty else { return problems }
                let others = problems.filter { $0.name != "datumRaadsbesluit" }  // said better per part
                let standpunt = others.filter { $0.name == "standpunt" }
                return standpunt + dateProblems + others.filter { $0.name != "standpunt" }
            }
            let body: SubmissionBody
            do {
                body = try SubmissionBody.decode(request, rules: rules, ops: ops, form: form, ignoring: ["csrf"])
            } catch let problem as Problem where problem.status == 422 {
                return try withErrors(withDateProblems(problem.invalidParams))
            }
            if !dateProblems.isEmpty { return try withErrors(dateProblems) }
            let outcome: Replayable<Versie>
            do {
                outcome = try ops.submit(body.input, uploads: body.attachments, keeping: body.keeping,
                                         raadpleging: consultation.id,
                                         gemeente: gemeente.code, by: actor)
            } catch Refusal.invalid(let problems, _) {
                return try withErrors(problems)  // the signed decision, where the consultation requires it
            }
            guard case .done(let version, _) = outcome else { throw Problem.internalError }
            return .redirect(to: Links.receipt(consultation.id, version.versie))
        }
    }

    /// The problem `Operations.submit` would report for a form without the signed decision where
    /// the consultation requires it (nil when the standpunt is not chosen yet, or needs none).
    static func missingDecision(_ consultation: Raadpleging, standpunt: String?, uploads: Int, earlier: [Bijlage],
                                keeping: [String]?) -> InvalidParam? {
        guard consultation.raadsbesluitVerplicht, uploads == 0, let standpunt, let chosen = Standpunt(rawValue: standpunt),
              chosen != .geenZienswijze else { return nil }
        let kept = keeping.map { ids in earlier.filter { ids.contains($0.id) } } ?? earlier
        guard kept.isEmpty else { return nil }
        return InvalidParam(name: "bestand",
                            reason: earlier.isEmpty ? Operations.raadsbesluitRequired : Operations.raadsbesluitLeftOut)
    }

    /// Where the form was, once the consultation is closed: says so, and links to every receipt.
    private func closedPage(_ session: Session, _ gemeente: Gemeente, _ consultation: Raadpleging, by actor: Actor) throws -> HTTPResponse {
        let versions = try ops.versies(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)
        let receipts = versions.reversed().map { v in
            ClosedView.Receipt(href: Links.receipt(consultation.id, v.versie), versie: v.versie, kenmerk: v.kenmerk,
                               wanneer: shortDateTime(v.ontvangenOp), laatste: v.versie == versions.last?.versie)
        }
        return page("gesloten", title: "Raadpleging gesloten", session: session, path: Links.form(consultation.id),
                    consultation: consultation,
                    content: ClosedView(consultatie: consultation.titel, gemeente: gemeente.naam,
                                        deadline: consultation.deadline.map(AmsterdamTime.inWords), receipts: receipts,
                                        hasReceipts: !receipts.isEmpty, consultationHref: Links.consultation(consultation.id)))
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
        VersionView(version, themas: consultation.themas, bijlagePrefix: Links.attachments(consultation.id),
                    receiptHref: Links.receipt(consultation.id, version.versie))
    }
}

/// The griffie's page of a closed consultation.
struct ClosedView {
    struct Receipt {
        var href: String
        var versie: Int
        var kenmerk: String
        var wanneer: String
        var laatste: Bool
    }
    var consultatie: String
    var gemeente: String
    var deadline: String?
    var receipts: [Receipt]
    var hasReceipts: Bool
    var consultationHref: String
}
