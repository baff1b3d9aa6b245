import Testing
import ZienswijzenDomain
import ZienswijzenStore

private let themas = ["maatschappelijk-ongenoegen", "cybercrime", "jeugd-en-veiligheid", "zorg-en-veiligheid",
                      "ondermijning", "sterkteverdeling", "landelijke-veiligheidsagenda"]
private let rules = SubmissionRules(themas: themas, today: LocalDate(iso: "2026-11-25")!)

/// The example body of API.md.
private let apiExample = #"""
{
  "standpunt": "instemmend-met-opmerkingen",
  "datumRaadsbesluit": "2026-11-20",
  "indiener": {"naam": "A. de Griffier", "email": "griffie@example.nl"},
  "toelichting": "Vrije tekst van de raad.",
  "opmerkingen": [
    {"thema": "cybercrime", "tekst": "Opmerking over dit thema."}
  ]
}
"""#

private func decode(_ json: String) -> Result<ZienswijzeInput, SubmissionError> {
    SubmissionDecoder.fromJSON(Array(json.utf8), rules: rules)
}

/// The names of the invalid params, or [] when valid, or ["<malformed>"].
private func problems(_ result: Result<ZienswijzeInput, SubmissionError>) -> [String] {
    switch result {
    case .success: []
    case .failure(.malformed): ["<malformed>"]
    case .failure(.invalid(let params)): params.map(\.name)
    }
}

private func reason(_ result: Result<ZienswijzeInput, SubmissionError>, _ name: String) -> String? {
    guard case .failure(.invalid(let params)) = result else { return nil }
    return params.first(where: { $0.name == name })?.reason
}

/// A valid body with one member replaced (or removed, with `nil`).
private func body(_ key: String, _ value: String?) -> String {
    var members = [
        ("standpunt", #""niet-instemmend""#), ("datumRaadsbesluit", #""2026-11-20""#),
        ("indiener", #"{"naam":"Griffie Delft","email":"griffie@delft.nl"}"#),
    ]
    if let index = members.firstIndex(where: { $0.0 == key }) {
        if let value { members[index].1 = value } else { members.remove(at: index) }
    } else if let value {
        members.append((key, value))
    }
    return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
}

@Suite("Submission decoding, JSON")
struct DomainSubmissionJSONTests {
    @Test func apiExampleIsValid() throws {
        let input = try decode(apiExample).get()
        #expect(input == ZienswijzeInput(
            standpunt: .instemmendMetOpmerkingen, datumRaadsbesluit: LocalDate(iso: "2026-11-20"),
            indiener: Indiener(naam: "A. de Griffier", email: "griffie@example.nl"),
            toelichting: "Vrije tekst van de raad.",
            opmerkingen: [Opmerking(thema: "cybercrime", tekst: "Opmerking over dit thema.")]))
    }

    @Test func everyProblemIsReportedAtOnce() {
        let result = decode(#"""
            {"standpunt": "ja", "datumRaadsbesluit": "2099-01-01",
             "indiener": {"naam": "  ", "email": "geen-adres"}, "kleur": "rood"}
            """#)
        #expect(problems(result) == ["standpunt", "datumRaadsbesluit", "indiener.naam", "indiener.email", "kleur"])
        #expect(reason(result, "kleur") == "onbekend veld")
        #expect(reason(result, "indiener.naam") == "is verplicht")
        #expect(reason(result, "indiener.email") == "is geen geldig e-mailadres")
        #expect(reason(result, "standpunt")?.hasPrefix("onbekend standpunt") == true)
    }

    @Test func emptyObjectNamesEveryRequiredField() {
        #expect(problems(decode("{}")) == ["standpunt", "datumRaadsbesluit", "indiener.naam", "indiener.email"])
    }

    @Test func unknownFieldsAreNamedByPath() {
        let result = decode(#"""
            {"standpunt": "instemmend", "datumRaadsbesluit": "2026-11-20",
             "indiener": {"naam": "N", "email": "a@b.nl", "telefoon": "070"},
             "opmerkingen": [{"thema": "cybercrime", "tekst": "t"}, {"thema": "ondermijning", "tekst": "t", "x": 1}],
             "kleur": "rood"}
            """#)
        #expect(problems(result) == ["indiener.telefoon", "opmerkingen[1].x", "kleur"])
    }

    @Test func wrongTypesAreNamed() {
        let result = decode(#"""
            {"standpunt": 1, "datumRaadsbesluit": true, "indiener": {"naam": ["x"], "email": {}},
             "toelichting": 5, "opmerkingen": [{"thema": null, "tekst": 3}, "los"]}
            """#)
        #expect(problems(result) == ["standpunt", "datumRaadsbesluit", "indiener.naam", "indiener.email", "toelichting",
                                     "opmerkingen[0].thema", "opmerkingen[0].tekst", "opmerkingen[1]"])
        #expect(reason(result, "standpunt") == "moet een tekst zijn")
        #expect(reason(result, "opmerkingen[0].thema") == "is verplicht")
        #expect(problems(decode(body("indiener", "\"x\""))) == ["indiener"])
        #expect(problems(decode(body("opmerkingen", "{}"))) == ["opmerkingen"])
    }

    @Test func geenZienswijzeNeedsNoDate() throws {
        let input = try decode(body("standpunt", #""geen-zienswijze""#).replacingOccurrences(of: #","datumRaadsbesluit":"2026-11-20""#, with: "")).get()
        #expect(input.standpunt == .geenZienswijze)
        #expect(input.datumRaadsbesluit == nil)
        let withNull = try decode(body("standpunt", #""geen-zienswijze""#).replacingOccurrences(of: #""2026-11-20""#, with: "null")).get()
        #expect(withNull.datumRaadsbesluit == nil)
        #expect(problems(decode(body("datumRaadsbesluit", nil))) == ["datumRaadsbesluit"])
        #expect(problems(decode(body("datumRaadsbesluit", "null"))) == ["datumRaadsbesluit"])
    }

    @Test func dateRules() throws {
        #expect(try decode(body("datumRaadsbesluit", #""2026-11-25""#)).get().datumRaadsbesluit == rules.today)
        let future = decode(body("datumRaadsbesluit", #""2026-11-26""#))
        #expect(reason(future, "datumRaadsbesluit") == "mag niet in de toekomst liggen (vandaag is 25 november 2026)")
        #expect(reason(decode(body("datumRaadsbesluit", #""2026-02-30""#)), "datumRaadsbesluit") == "is geen bestaande datum")
        for bad in [#""20-11-2026""#, #""2026-11-20T10:00:00Z""#, #""2026-1-2""#, #""""#, #""2026/11/20""#] {
            #expect(problems(decode(body("datumRaadsbesluit", bad))) == ["datumRaadsbesluit"], "\(bad)")
        }
    }

    @Test func themaRules() {
        let duplicate = decode(body("opmerkingen", #"""
            [{"thema": "cybercrime", "tekst": "a"}, {"thema": "ondermijning", "tekst": "b"}, {"thema": "cybercrime", "tekst": "c"}]
            """#))
        #expect(problems(duplicate) == ["opmerkingen[2].thema"])
        #expect(reason(duplicate, "opmerkingen[2].thema") == "komt al eerder voor")
        let unknown = decode(body("opmerkingen", #"[{"thema": "verkeer", "tekst": "a"}]"#))
        #expect(problems(unknown) == ["opmerkingen[0].thema"])
        #expect(reason(unknown, "opmerkingen[0].thema")?.hasPrefix("onbekend thema") == true)
        #expect(problems(decode(body("opmerkingen", #"[{"thema": "cybercrime", "tekst": " \n "}]"#))) == ["opmerkingen[0].tekst"])
        #expect(problems(decode(body("opmerkingen", #"[{"thema": "cybercrime"}]"#))) == ["opmerkingen[0].tekst"])
    }

    @Test func optionalMembersDefault() throws {
        let input = try decode(body("toelichting", "null")).get()
        #expect(input.toelichting == "")
        #expect(input.opmerkingen == [])
        #expect(try decode(body("opmerkingen", "[]")).get().opmerkingen == [])
    }

    @Test func limits() throws {
        func string(_ n: Int, _ c: String = "x") -> String { "\"" + String(repeating: c, count: n) + "\"" }
        #expect(try decode(body("toelichting", string(SubmissionRules.maxToelichting))).get().toelichting.count == 20_000)
        let long = decode(body("toelichting", string(SubmissionRules.maxToelichting + 1)))
        #expect(reason(long, "toelichting") == "te lang: ten hoogste 20000 tekens")
        // Counted in characters, not bytes: 20 000 × "é" (2 bytes each) is fine.
        #expect(throws: Never.self) { try decode(body("toelichting", string(20_000, "é"))).get() }
        let naam = decode(body("indiener", #"{"naam":\#(string(201)),"email":"a@b.nl"}"#))
        #expect(reason(naam, "indiener.naam") == "te lang: ten hoogste 200 tekens")
        let email = decode(body("indiener", #"{"naam":"N","email":"\#(String(repeating: "a", count: 60))@\#(String(repeating: "b", count: 200)).nl"}"#))
        #expect(reason(email, "indiener.email") == "te lang: ten hoogste 254 tekens")
        let tekst = decode(body("opmerkingen", #"[{"thema":"cybercrime","tekst":\#(string(10_001))}]"#))
        #expect(reason(tekst, "opmerkingen[0].tekst") == "te lang: ten hoogste 10000 tekens")
    }

    @Test func controlCharacters() throws {
        #expect(try decode(body("toelichting", #""regel 1\r\nregel 2\tkolom""#)).get().toelichting == "regel 1\r\nregel 2\tkolom")
        #expect(problems(decode(body("toelichting", #""bel\u0007""#))) == ["toelichting"])
        #expect(problems(decode(body("toelichting", #""c1\u0085""#))) == ["toelichting"])
        #expect(problems(decode(body("indiener", #"{"naam":"A\nB","email":"a@b.nl"}"#))) == ["indiener.naam"])
    }

    @Test(arguments: ["griffie@example.nl", "a.b+c@sub.gemeente.nl", "Griffie@DenHaag.NL", "a?cc=b@example.nl"])
    func validEmails(_ email: String) {
        #expect(SubmissionRules.isPlausibleEmail(email))
    }

    @Test(arguments: ["", "griffie", "@example.nl", "a@b", "a@@b.nl", "a@b@c.nl", "a b@c.nl", "a@b..nl", "a@.b.nl",
                      "a@b.nl.", "a@b.n", "<a@b.nl>", "a@b.nl\n", "\(String(repeating: "x", count: 65))@b.nl",
                      // Not valid by the HTML standard's definition (issue 11): non-ASCII, a combining mark.
                      "jöran@bücher.de", "a\u{0301}@b.nl", "a@-b.nl", "a@b-.nl"])
    func invalidEmails(_ email: String) {
        #expect(!SubmissionRules.isPlausibleEmail(email))
    }

    @Test func namesAndEmailsAreTrimmed() throws {
        let input = try decode(body("indiener", #"{"naam":"  A. de Griffier ","email":" griffie@example.nl\t"}"#)).get()
        #expect(input.indiener == Indiener(naam: "A. de Griffier", email: "griffie@example.nl"))
    }

    @Test(arguments: ["", "nee", "[]", "\"tekst\"", "null", "{\"standpunt\": \"instemmend\",}", "{\"a\":1,\"a\":2}"])
    func malformedBodies(_ json: String) {
        guard case .failure(.malformed(let detail)) = decode(json) else {
            Issue.record("expected malformed for \(json)")
            return
        }
        #expect(!detail.isEmpty)
    }
}

@Suite("Submission decoding, form")
struct DomainSubmissionFormTests {
    private let example: [(String, String)] = [
        ("standpunt", "instemmend-met-opmerkingen"), ("datumRaadsbesluit", "2026-11-20"),
        ("indiener.naam", "A. de Griffier"), ("indiener.email", "griffie@example.nl"),
        ("toelichting", "Vrije tekst van de raad."),
        ("opmerking.maatschappelijk-ongenoegen", ""), ("opmerking.cybercrime", "Opmerking over dit thema."),
        ("opmerking.ondermijning", "  "), ("csrf", "abc"),
    ]

    @Test func sameResultAsJSON() throws {
        let form = try SubmissionDecoder.fromForm(example, rules: rules, ignoring: ["csrf"]).get()
        #expect(form == (try decode(apiExample).get()))
    }

    @Test func everyProblemByFieldName() {
        let result = SubmissionDecoder.fromForm(
            [("standpunt", "ja"), ("datumRaadsbesluit", "2099-01-01"), ("indiener.naam", ""),
             ("indiener.email", "x"), ("opmerking.verkeer", "t"), ("kleur", "rood"), ("csrf", "abc")],
            rules: rules)
        #expect(problems(result) == ["standpunt", "datumRaadsbesluit", "indiener.naam", "indiener.email",
                                     "opmerking.verkeer", "kleur", "csrf"])
        #expect(reason(result, "datumRaadsbesluit") == "mag niet in de toekomst liggen (vandaag is 25 november 2026)")
    }

    @Test func emptyFieldsCountAsAbsent() throws {
        let result = SubmissionDecoder.fromForm([("standpunt", ""), ("datumRaadsbesluit", "")], rules: rules)
        #expect(problems(result) == ["standpunt", "datumRaadsbesluit", "indiener.naam", "indiener.email"])
        let geen = try SubmissionDecoder.fromForm(
            [("standpunt", "geen-zienswijze"), ("datumRaadsbesluit", ""), ("indiener.naam", "N"), ("indiener.email", "a@b.nl")],
            rules: rules).get()
        #expect(geen.datumRaadsbesluit == nil)
        #expect(geen.toelichting == "")
    }

    @Test func repeatedFieldsAndLimits() {
        var fields = example
        fields.append(("standpunt", "instemmend"))
        fields.append(("opmerking.sterkteverdeling", String(repeating: "x", count: 10_001)))
        let result = SubmissionDecoder.fromForm(fields, rules: rules, ignoring: ["csrf"])
        #expect(problems(result) == ["opmerking.sterkteverdeling", "standpunt"])
        #expect(reason(result, "standpunt") == "komt meer dan eens voor")
        #expect(reason(result, "opmerking.sterkteverdeling") == "te lang: ten hoogste 10000 tekens")
    }

    @Test func lineBreaksBecomeLF() throws {
        var fields = example
        fields[4].1 = "regel 1\r\nregel 2\r\n\r\nslot\r"
        fields[6].1 = "a\r\nb"
        let input = try SubmissionDecoder.fromForm(fields, rules: rules, ignoring: ["csrf"]).get()
        #expect(input.toelichting == "regel 1\nregel 2\n\nslot\r")
        #expect(input.opmerkingen == [Opmerking(thema: "cybercrime", tekst: "a\nb")])
    }
}
