import Foundation
import Logging
import Mustache
import Testing
@testable import ZienswijzenAPI
@testable import ZienswijzenApp
@testable import ZienswijzenDomain
@testable import ZienswijzenEdge
@testable import ZienswijzenOperations
@testable import ZienswijzenStore
@testable import ZienswijzenWeb

/// Stored text stays text wherever it is written (issue 11): per Unicode scalar, never per
/// `Character`. Each awkward string below merges with its neighbour into one grapheme cluster.
private let awkward: [String] = [
    "\u{0600}<meta http-equiv=refresh content=0;url=//evil.example/ \u{0600}>",
    "x\"\u{0301} autofocus onfocus=alert(1) x=\"\u{0301}",
    "'\u{0301}><script>alert(1)</script>",
    "&\u{20DD}amp;",
    "👨\u{200D}👩\u{200D}👧<b>familie</b>",
    "\u{202E}gpj.exe\u{202C}<i>",
    "a\u{0000}b".replacingOccurrences(of: "\u{0000}", with: "\t"),
]

/// The inverse of HTML escaping for the five entities we write (what a parser does for them),
/// over UTF-8 bytes: Foundation's `replacingOccurrences` matches whole Characters and would miss
/// `&quot;` followed by a combining mark, the very bug under test.
private func unescape(_ html: String) -> String {
    let entities: [(String, UInt8)] = [("&lt;", 0x3C), ("&gt;", 0x3E), ("&quot;", 0x22), ("&#39;", 0x27), ("&amp;", 0x26)]
    let bytes = Array(html.utf8)
    var out: [UInt8] = []
    var i = 0
    outer: while i < bytes.count {
        for (entity, byte) in entities where bytes[i...].starts(with: entity.utf8) {
            out.append(byte)
            i += entity.utf8.count
            continue outer
        }
        out.append(bytes[i])
        i += 1
    }
    return String(decoding: out, as: UTF8.self)
}

@Test(arguments: awkward)
func htmlEscapingLeavesNoMarkupByte(_ text: String) {
    let escaped = HTMLEscaping.escape(text)
    #expect(!escaped.utf8.contains(UInt8(ascii: "<")) && !escaped.utf8.contains(UInt8(ascii: ">")))
    #expect(!escaped.utf8.contains(UInt8(ascii: "\"")) && !escaped.utf8.contains(UInt8(ascii: "'")))
    #expect(unescape(escaped).unicodeScalars.elementsEqual(text.unicodeScalars))
}

@Test func libraryEscapingMissedWhatOursCatches() {
    // The reason for HTMLEscaping: per Character, "\u{0600}<" is one Character that is not "<".
    let merged = "\u{0600}<"
    #expect(merged.count == 1 && merged.first != "<")
    #expect(HTMLEscaping.escape(merged) == "\u{0600}&lt;")
}

@Test func everyTemplateEscapesPerByteEvenWithoutThePragmaInItsFile() throws {
    let template = try PageTemplates.template("<p title=\"{{a}}\">{{b}}</p>")
    let out = template.render(["a": awkward[1], "b": awkward[0]])
    #expect(!out.contains("\" autofocus"))
    #expect(!out.contains("<meta"))
    #expect(out.hasPrefix("<p title=\"x&quot;\u{0301} autofocus"))
}

@Test func unescapedOutputIsRefusedAtLoad() {
    #expect(throws: PageTemplates.UnescapedOutput.self) { try PageTemplates.template("<p>{{{raw}}}</p>") }
    #expect(throws: PageTemplates.UnescapedOutput.self) { try PageTemplates.template("<p>{{& raw}}</p>") }
}

@Test func indentedPartialsAreRefusedSoValuesKeepTheirLines() throws {
    #expect(throws: PageTemplates.IndentedPartial.self) { try PageTemplates.template("<div>\n  {{>part}}\n</div>") }
    #expect(throws: PageTemplates.IndentedPartial.self) { try PageTemplates.template("<div>\n\t{{$block}}{{/block}}\n</div>") }
    // Why: a partial rendered with indentation indents whatever follows a value that ends in a
    // newline, so the text shown in the element is no longer the text stored.
    let library = MustacheLibrary(templates: ["part": try MustacheTemplate(string: "<p>{{t}}</p>\n"),
                                              "page": try MustacheTemplate(string: "<div>\n  {{>part}}\n</div>")])
    #expect(library.render(["t": "a\n"], withTemplate: "page")?.contains("<p>a\n  </p>") == true)
}

@Test func csvQuotesAndGuardsPerScalar() {
    // The example: unquoted, it added two columns and two unguarded formula cells.
    let cell = "Zie besluit\u{0600};=HYPERLINK(A1)\u{0600};+1+1"
    #expect(CSVExport.field(cell) == "\"" + cell + "\"")
    #expect(CSVExport.field("\"\u{0301}") == "\"\"\"\u{0301}\"")
    #expect(CSVExport.field("a\u{0301}\nb") == "\"a\u{0301}\nb\"")
    // Formula-looking cells are guarded whatever marks or format characters come first.
    for formula in ["=1+1", "\u{0301}=1+1", "\u{200B}+1", " \u{0600}-1", "\u{202E}@SUM(A1)", "\t1", "\r1", "＝1"] {
        #expect(CSVExport.field(formula).unicodeScalars.first == "'" || CSVExport.field(formula).hasPrefix("\"'"),
                "not guarded: \(formula.unicodeScalars.map { String($0.value, radix: 16) })")
    }
    #expect(CSVExport.field("Zie besluit") == "Zie besluit")
    #expect(CSVExport.field("a-b") == "a-b")
}

@Test func contentDispositionKeepsAnyNameInItsParameters() {
    let header = contentDisposition(filename: "a\";x=y\u{0301}\u{7F}\\.pdf")
    #expect(header == "attachment; filename=\"a_;x=y___.pdf\"; filename*=UTF-8''a%22%3Bx%3Dy%CC%81%7F%5C.pdf")
    let parsed = dispositionFilename(header)
    #expect(parsed == "a\";x=y\u{0301}\u{7F}\\.pdf")  // filename* carries the exact name
    #expect(!header.contains("\u{7F}"))
}

@Test func dispositionFilenameParsesQuotedSemicolons() {
    #expect(dispositionFilename("attachment; filename=\";x=y.pdf\"") == ";x=y.pdf")
    #expect(dispositionFilename("attachment; filename=plain.pdf") == "plain.pdf")
    #expect(dispositionFilename("attachment; filename=\"a.pdf\"; filename*=UTF-8''%C3%A9%C3%A9n.pdf") == "één.pdf")
    #expect(dispositionFilename("attachment; filename=\"unterminated") == nil)
}

@Test func sanitizedFilenamesLoseHiddenFormatCharactersAndSeparatorsPerScalar() {
    #expect(sanitizedFilename("report\u{202E}fdp.exe") == "reportfdp.exe.pdf")
    #expect(sanitizedFilename("../\u{0301}x/besluit.pdf") == "besluit.pdf")
    #expect(sanitizedFilename("\"\u{0301}<b>.pdf") == "\u{0301}b.pdf")
    #expect(sanitizedFilename(String(repeating: "e\u{0301}", count: 200)).unicodeScalars.count <= 120)
}

@Test func jsonIsEscapedPerByteAndReadsBackExactly() throws {
    for text in awkward + ["\"\u{0301}\\\u{0301}", "\u{2028}\u{2029}", "\u{1}\u{1F}"] {
        let bytes = JSONValue.object([("t", .string(text))]).serialized()
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String]
        #expect(parsed?["t"].map { Array($0.unicodeScalars) } == Array(text.unicodeScalars))
    }
}

@Test func logfmtQuotesPerScalar() {
    // A space followed by a combining mark is one Character; it still needs quotes.
    let line = StructuredLogHandler.logfmt([("msg", "a \u{0301}level=error")])
    #expect(line == "msg=\"a \u{0301}level=error\"")
    #expect(!StructuredLogHandler.logfmt([("msg", "x\ny")]).contains("\n"))
}

@Test func namesWithHiddenFormatCharactersAreRefused() {
    #expect(TextRules.nameProblem("A. de Griffier", max: 200) == nil)
    #expect(TextRules.nameProblem("Griffie 👨\u{200D}👩\u{200D}👧", max: 200) == nil)
    #expect(TextRules.nameProblem("Anna \u{202E}reiffirG", max: 200) != nil)
    #expect(TextRules.nameProblem("\u{0600}Anna", max: 200) != nil)
    #expect(TextRules.nameProblem("An\u{00AD}na", max: 200) != nil)
    #expect(TextRules.nameProblem("A\nB", max: 200) != nil)
    #expect(TextRules.nameProblem(String(repeating: "e\u{0301}", count: 101), max: 200) != nil)
}

@Test func mailtoURLsCarryOneAddressAndNothingElse() {
    #expect(TextRules.mailtoURL("griffie@delft.nl") == "mailto:griffie@delft.nl")
    let tricky = "a?cc=boss@evil.example&body=x@delft.nl"
    let url = TextRules.mailtoURL(tricky)
    #expect(!url.dropFirst("mailto:".count).contains("?") && !url.contains("&") && !url.contains("="))
    #expect(url.removingPercentEncoding == "mailto:" + tricky)
}

@Test func publicURLsAreCheckedAndNormalized() {
    #expect(PublicURL.normalized("https://Zienswijzen.Example.nl/") == "https://zienswijzen.example.nl")
    #expect(PublicURL.normalized("http://127.0.0.1:8080/zw") == "http://127.0.0.1:8080/zw")
    #expect(PublicURL.normalized("https://[::1]:8443") == "https://[::1]:8443")
    for bad in ["ftp://x.nl", "https://u@x.nl", "https://x.nl/?a=b", "https://x.nl/#f", "https://x .nl", "https://",
                "https://x.nl:99999", "https://-x.nl", "https://x.nl/../a", "javascript:alert(1)", "https://é.nl"] {
        #expect(PublicURL.normalized(bad) == nil, "accepted \(bad)")
    }
    #expect(PublicURL.plausibleHost("evil.example\"><script>") == nil)
}

@Test func forwardedAddressesMustBeIPLiterals() {
    #expect(IPAddressText.canonical("192.0.2.7") == "192.0.2.7")
    #expect(IPAddressText.canonical("2001:DB8:0:0::1") == "2001:db8::1")
    for bad in ["unknown", "192.0.2.7:443", "<script>", "1.2.3", "", "::1%eth0", "192.0.2.7 x"] {
        #expect(IPAddressText.canonical(bad) == nil, "accepted \(bad)")
    }
}

@Test func coordinatorDatesStayWithinSaneYears() throws {
    #expect(PlausibleDates.contains(try #require(AmsterdamTime.parseRFC3339("2026-12-01T17:00:00+01:00"))))
    #expect(!PlausibleDates.contains(try #require(AmsterdamTime.parseRFC3339("9999-12-31T23:59:59+14:00"))))
    #expect(!PlausibleDates.contains(try #require(LocalDate(iso: "1999-12-31"))))
    #expect(PlausibleDates.contains(try #require(LocalDate(iso: "2100-12-31"))))
}
