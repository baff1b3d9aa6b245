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
    #expect(form.errors.map(\.href) == ["#standpunt-instemmend", "#datumRaadsbesluit-dag", "#indiener-email",
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

@Test func earlierAttachmentsAreTickedUnlessLeftOut() throws {
    let bijlagen = [Bijlage(id: String(repeating: "a", count: 32), bestandsnaam: "concept.pdf", mediatype: "application/pdf",
                            grootte: 10, sha256: String(repeating: "0", count: 64)),
                    Bijlage(id: String(repeating: "b", count: 32), bestandsnaam: "besluit.pdf", mediatype: "application/pdf",
                            grootte: 10, sha256: String(repeating: "1", count: 64))]
    let input = ZienswijzeInput(standpunt: .geenZienswijze, datumRaadsbesluit: nil,
                                indiener: Indiener(naam: "G", email: "g@example.nl"), toelichting: "", opmerkingen: [])
    let versie = Versie.next(in: consultation, gemeente: "GM0503", after: nil, kind: .submission, input: input,
                             bijlagen: bijlagen, at: Date())
    let current = VersionView(versie, themas: consultation.themas, bijlagePrefix: "/b/", receiptHref: "/r")
    let builder = ZienswijzeFormBuilder(consultation: consultation, gemeente: "Delft", csrf: "t")
    let fresh = builder.build(values: [:], problems: [], chosenFile: nil, current: current, now: Date())
    #expect(fresh.bijlagen.map(\.checked) == [true, true])
    #expect(fresh.bestand.optional && !fresh.optionalUnlessDecision)
    let back = builder.build(values: [:], keeping: [bijlagen[1].id], problems: [], chosenFile: nil, current: current, now: Date())
    #expect(back.bijlagen.map(\.checked) == [false, true])
    let html = try #require(templates.render("zienswijze", PageModel(layout: LayoutView(title: "x"), content: back)))
    #expect(html.contains("<input type=\"hidden\" name=\"bijlagen\" value=\"\">"))
    #expect(html.contains("value=\"\(bijlagen[1].id)\" checked>"))
    #expect(!html.contains("value=\"\(bijlagen[0].id)\" checked>"))

    var required = consultation
    required.raadsbesluitVerplicht = true
    let form = ZienswijzeFormBuilder(consultation: required, gemeente: "Delft", csrf: "t")
        .build(values: [:], problems: [InvalidParam(name: "bestand", reason: Operations.raadsbesluitRequired)],
               chosenFile: nil, current: nil, now: Date())
    #expect(!form.bestand.optional && form.optionalUnlessDecision)
    #expect(form.bestand.hint?.hasPrefix("Verplicht, behalve bij ‘geen zienswijze’.") == true)
    #expect(form.errors.map(\.href) == ["#bestand"])
    #expect(form.errors[0].message.hasPrefix("Voeg het ondertekende raadsbesluit toe als PDF."))
}

@Test func keptAttachmentsAreReadFromJSONAndForms() throws {
    let body = #"{"standpunt":"geen-zienswijze","indiener":{"naam":"G","email":"g@example.nl"},"bijlagen":["x","y"]}"#
    #expect(try SubmissionDecoder.fromJSONKeeping(Array(body.utf8), rules: rules).get().keeping == ["x", "y"])
    let absent = #"{"standpunt":"geen-zienswijze","indiener":{"naam":"G","email":"g@example.nl"}}"#
    #expect(try SubmissionDecoder.fromJSONKeeping(Array(absent.utf8), rules: rules).get().keeping == nil)
    #expect(SubmissionDecoder.keeping(fromForm: [("standpunt", "x")]) == nil)
    #expect(SubmissionDecoder.keeping(fromForm: [("bijlagen", "")]) == [])
    #expect(SubmissionDecoder.keeping(fromForm: [("bijlagen", ""), ("bijlagen", "a")]) == ["a"])
}
