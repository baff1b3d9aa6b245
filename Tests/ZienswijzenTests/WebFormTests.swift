import Foundation
import Logging
import Testing
@testable import ZienswijzenAPI
@testable import ZienswijzenApp
@testable import ZienswijzenDomain
@testable import ZienswijzenEdge
@testable import ZienswijzenOperations
@testable import ZienswijzenStore
@testable import ZienswijzenWeb

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
private let templates = PageTemplates(directory: repository.appendingPathComponent("Public/templates").path,
                                      logger: Logger(label: "test"))

private let consultation = Raadpleging(
    id: "c", titel: "Coalitie voor veiligheid 2023-2026", deadline: nil, rboVergadering: nil, status: .open,
    themas: [Thema(code: "cybercrime", titel: "Cybercrime", samenvatting: "Weerbaarheid online."),
             Thema(code: "ondermijning", titel: "Ondermijning", samenvatting: "Samen optreden.")])
private let rules = SubmissionRules(themas: consultation.themas.map(\.code), today: LocalDate(iso: "2026-11-25")!)

/// The problems the shared (API) decoder finds in a form.
private func problems(_ fields: [(String, String)]) -> [InvalidParam] {
    guard case .failure(.invalid(let params)) = SubmissionDecoder.fromForm(fields, rules: rules) else { return [] }
    return params
}

@Test func errorSummaryLinksEachProblemToItsField() {
    let fields = [("standpunt", ""), ("indiener.naam", "Piet"), ("indiener.email", "geen-adres"),
                  ("opmerking.ondermijning", String(repeating: "x", count: SubmissionRules.maxTekst + 1))]
    let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: "Delft", csrf: "t")
    let form = builder.build(values: Dictionary(fields, uniquingKeysWith: { a, _ in a }), problems: problems(fields),
                             chosenFile: "besluit.pdf", current: nil, now: Date())
    #expect(form.errors.map(\.href) == ["#standpunt-instemmend", "#datumRaadsbesluit", "#indiener-email",
                                        "#opmerking-ondermijning", "#bestand"])
    #expect(form.errors[0].message == "Kies het standpunt van de raad.")
    #expect(form.email.error == "Vul een geldig e-mailadres in, zoals griffie@gemeente.nl.")
    #expect(form.email.describedBy == "indiener-email-hint indiener-email-error")
    #expect(form.themas[1].error?.hasPrefix("De opmerking bij ‘Ondermijning’ te lang") == true)
    #expect(form.naam.value == "Piet" && form.naam.error == nil)
    #expect(form.bestandOpnieuw?.contains("besluit.pdf") == true)
    #expect(form.standpuntDescribedBy == "standpunt-hint standpunt-error")
}

@Test func noFileNoticeWithoutErrors() {
    let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: "Delft", csrf: "t")
    let form = builder.build(values: [:], problems: [], chosenFile: "besluit.pdf", current: nil, now: Date())
    #expect(form.errors.isEmpty && form.bestandOpnieuw == nil && !form.hasErrors)
}

@Test func templatesEscapeWhatWasTyped() throws {
    let typed = "\"><script>alert(1)</script>"
    let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: "Delft & Co", csrf: "t")
    let form = builder.build(values: ["indiener.naam": typed, "toelichting": "</textarea><b>x</b>"],
                             problems: [InvalidParam(name: "indiener.email", reason: "is verplicht")],
                             chosenFile: nil, current: nil, now: Date())
    let layout = LayoutView(title: "T <i>", hasErrors: true)
    let html = try #require(templates.render("zienswijze", PageModel(layout: layout, content: form)))
    #expect(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
    #expect(html.contains("&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>"))
    #expect(!html.contains("<script>alert"))
    #expect(html.contains("<title>T &lt;i&gt;</title>"))
    #expect(html.contains("Delft &amp; Co"))
    #expect(html.contains("<html lang=\"nl\">"))
    #expect(!html.contains("style=")) // CSP: no inline styles
}

@Test func everyTemplateLoads() {
    for name in ["layout", "start", "inloggen", "zienswijze", "ontvangstbevestiging", "intrekken", "coordinator",
                 "gemeente", "toegangscodes", "toegangscode-uitgegeven", "deadline", "fout"] {
        #expect(templates.render(name, PageModel(layout: LayoutView(title: "x"), content: [String: String]())) != nil,
                "\(name) is missing or does not parse")
    }
}

@Test func sizesAndTimesInDutch() {
    #expect(sizeInWords(69) == "69 bytes")
    #expect(sizeInWords(12_400) == "12 kB")
    #expect(sizeInWords(1_450_000) == "1,5 MB")
    #expect(sentence("nog 2 dagen en 3 uur") == "Nog 2 dagen en 3 uur.")
    let summer = try? #require(AmsterdamTime.parseRFC3339("2026-07-01T10:05:00Z"))
    #expect(summer.map(shortDateTime) == "1 juli 2026, 12:05")
}
