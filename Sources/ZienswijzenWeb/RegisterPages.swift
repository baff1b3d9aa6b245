import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct RegisterRow {
    var code: String
    var naam: String
    var regio: String
    var status: String
    var merged: Bool
}

struct RegisterView {
    var csrf: String
    var rows: [RegisterRow]
    var total: Int
    var errors: [ErrorItem]
    var hasErrors: Bool
    var saved: String?
    var code: FieldView
    var naam: FieldView
    var regio: FieldView
    var mergeFrom: [OptionView]
    var mergeInto: [OptionView]
    var mergeFromError: String?
    var mergeIntoError: String?
    var mergeDate: FieldView
}

extension Web {
    /// The register of gemeenten: adding one, recording a merger (or undoing a mistaken one).
    func registerRegisterPages(_ routes: inout RouteTable) {
        web(&routes, .get, Links.register) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let query = (try? request.queryFields()) ?? FormFields()
            let saved = query.first("toegevoegd").map { "Gemeente \($0) is toegevoegd aan het register." }
                ?? query.first("samengevoegd").map { "De samenvoeging van \($0) is vastgelegd." }
            return try registerPage(session, values: [:], problems: FormProblems(), saved: saved)
        }
        web(&routes, .post, Links.register, bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            var values: [String: String] = [:]
            for (name, value) in try checkedForm(request, expected: session.csrfToken).fields { values[name] = value }
            var problems = FormProblems()
            do {
                let added = try ops.addGemeente(Gemeente(code: (values["code"] ?? "").trimmingWhitespace.uppercased(),
                                                         naam: values["naam"] ?? "", regio: values["regio"] ?? ""),
                                                by: request.actor(.code(session.principal), .web))
                return .redirect(to: Links.register + "?toegevoegd=\(added.code)")
            } catch Refusal.invalid(let params, _) {
                problems.add(params) { name in
                    (id: "gemeente-\(name)", label: ["code": "De code", "naam": "De naam", "regio": "De regio"][name] ?? name)
                }
            } catch Refusal.conflict(.gemeenteExists) {
                problems.add("gemeente-code", Refusal.conflict(.gemeenteExists).detail)
            }
            return try registerPage(session, values: values, problems: problems, status: 422)
        }
        web(&routes, .post, Links.register + "/samenvoeging", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            var values: [String: String] = [:]
            for (name, value) in try checkedForm(request, expected: session.csrfToken).fields { values[name] = value }
            var problems = FormProblems()
            let code = values["gemeente"] ?? ""
            let into = (values["samengevoegdIn"] ?? "").isEmpty ? nil : values["samengevoegdIn"]
            let typed = (values["samengevoegdOp"] ?? "").trimmingWhitespace
            let date = LocalDate(iso: typed)
            if code.isEmpty { problems.add("samenvoeging-gemeente", "Kies de gemeente die is samengevoegd.") }
            if !typed.isEmpty, date == nil { problems.add("samenvoeging-datum", "Vul de datum in als JJJJ-MM-DD, zoals 2027-01-01.") }
            if problems.isEmpty {
                do {
                    _ = try ops.mergeGemeente(code, into: into, from: date, by: request.actor(.code(session.principal), .web))
                    return .redirect(to: Links.register + "?samengevoegd=\(code)")
                } catch Refusal.invalid(let params, _) {
                    problems.add(params) { name in
                        name == "samengevoegdIn" ? (id: "samenvoeging-in", label: "De gemeente waarin zij opging:")
                            : (id: "samenvoeging-datum", label: "De datum")
                    }
                } catch Refusal.notFound {
                    problems.add("samenvoeging-gemeente", "Kies een gemeente uit de lijst.")
                }
            }
            return try registerPage(session, values: values, problems: problems, status: 422)
        }
    }

    private func registerPage(_ session: Session, values: [String: String], problems: FormProblems, status: Int = 200,
                              saved: String? = nil) throws -> HTTPResponse {
        let register = try ops.gemeenten()
        let names = Dictionary(register.map { ($0.code, $0.naam) }, uniquingKeysWith: { a, _ in a })
        let rows = register.map { g in
            RegisterRow(code: g.code, naam: g.naam, regio: g.regio,
                        status: g.samengevoegdIn.map { "Samengevoegd in \(names[$0] ?? $0) per \(g.samengevoegdOp?.inWords ?? "")" }
                            ?? "Actief", merged: g.samengevoegdIn != nil)
        }
        let options = { (selected: String, placeholder: String) in
            [OptionView(value: "", label: placeholder, selected: selected.isEmpty)]
                + register.map { OptionView(value: $0.code, label: "\($0.naam) (\($0.code))", selected: $0.code == selected) }
        }
        let view = RegisterView(
            csrf: session.csrfToken, rows: rows, total: rows.count, errors: problems.errors, hasErrors: !problems.isEmpty, saved: saved,
            code: FieldView(id: "gemeente-code", name: "code", label: "CBS-code", value: values["code"] ?? "",
                            hint: "GM en vier cijfers, zoals GM1966.", error: problems["gemeente-code"], optional: false, maxlength: 6),
            naam: FieldView(id: "gemeente-naam", name: "naam", label: "Naam", value: values["naam"] ?? "", hint: nil,
                            error: problems["gemeente-naam"], optional: false, maxlength: RaadplegingRules.maxNaam),
            regio: FieldView(id: "gemeente-regio", name: "regio", label: "Regio", value: values["regio"] ?? "",
                             hint: "Haaglanden of Hollands Midden.", error: problems["gemeente-regio"], optional: false,
                             maxlength: RaadplegingRules.maxNaam),
            mergeFrom: options(values["gemeente"] ?? "", "Kies een gemeente"),
            mergeInto: options(values["samengevoegdIn"] ?? "", "Geen (samenvoeging ongedaan maken)"),
            mergeFromError: problems["samenvoeging-gemeente"], mergeIntoError: problems["samenvoeging-in"],
            mergeDate: FieldView(id: "samenvoeging-datum", name: "samengevoegdOp", label: "Met ingang van",
                                 value: values["samengevoegdOp"] ?? "", hint: "De eerste dag waarop de gemeente niet meer bestaat.",
                                 error: problems["samenvoeging-datum"], optional: false, maxlength: 10))
        return page("register", title: "Gemeenten", session: session, status: problems.isEmpty ? 200 : status,
                    hasErrors: !problems.isEmpty, path: Links.register, content: view)
    }
}
