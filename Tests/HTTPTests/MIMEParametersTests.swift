import Testing
@testable import HTTP

/// The parameters as `name=value` strings, in order.
private func parameters(_ text: String) -> [String]? {
    MIMEParameters.parse(text).map { $0.parameters.map { "\($0.name)=\($0.value)" } }
}

@Suite struct MIMEParametersTests {
    @Test func contentDispositionAndContentType() throws {
        let disposition = try #require(MIMEParameters.parse("form-data; name=\"upload\"; filename=\"rapport.pdf\""))
        #expect(disposition.value == "form-data")
        #expect(disposition["name"] == "upload")
        #expect(disposition["filename"] == "rapport.pdf")
        #expect(disposition["missing"] == nil)

        let type = try #require(MIMEParameters.parse("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"))
        #expect(type.value == "multipart/form-data")
        #expect(type["boundary"] == "----WebKitFormBoundary7MA4YWxkTrZu0gW")

        let bare = try #require(MIMEParameters.parse("application/json"))
        #expect(bare.value == "application/json")
        #expect(bare.parameters.isEmpty)
    }

    @Test func valueAndParameterNamesAreLowercasedButValuesKeepTheirCase() throws {
        let parsed = try #require(MIMEParameters.parse("Multipart/Form-Data; BOUNDARY=AbC; Charset=UTF-8"))
        #expect(parsed.value == "multipart/form-data")
        #expect(parameters("Multipart/Form-Data; BOUNDARY=AbC; Charset=UTF-8") == ["boundary=AbC", "charset=UTF-8"])
        #expect(parsed["boundary"] == "AbC")
        #expect(parsed["BOUNDARY"] == nil) // look up by the lowercased name
    }

    @Test func whitespaceAroundSeparatorsIsAllowed() {
        #expect(parameters("  form-data ;name=a;  filename=\"b\"\t;\tsize=3  ") == ["name=a", "filename=b", "size=3"])
        #expect(MIMEParameters.parse("\tform-data\t")?.value == "form-data")
    }

    @Test func aTrailingSemicolonIsTolerated() {
        #expect(parameters("form-data; name=\"a\";") == ["name=a"])
        #expect(parameters("form-data; name=\"a\"; ") == ["name=a"])
        #expect(parameters("text/plain;") == [])
    }

    @Test func quotedStrings() {
        // Inside quotes anything but controls goes, including separators.
        #expect(parameters("x; a=\"with space\"") == ["a=with space"])
        #expect(parameters("x; a=\"semi;colon\"; b=2") == ["a=semi;colon", "b=2"])
        #expect(parameters("x; a=\"e=mc2, (x)\"") == ["a=e=mc2, (x)"])
        #expect(parameters("x; a=\"\"") == ["a="])
        #expect(parameters("x; a=\"tab\there\"") == ["a=tab\there"])
        #expect(parameters("x; filename=\"résumé.pdf\"") == ["filename=résumé.pdf"])
        #expect(parameters("x; a=\"'single'\"") == ["a='single'"])
    }

    @Test func backslashEscapesOnlyQuoteAndBackslash() {
        #expect(parameters(#"x; a="say \"hi\"""#) == [#"a=say "hi""#])
        #expect(parameters(#"x; a="back\\slash""#) == [#"a=back\slash"#])
        #expect(parameters(#"x; a="\\\"""#) == [#"a=\""#])
        // Any other backslash is a literal character: Windows paths arrive as written.
        #expect(parameters(#"x; filename="C:\x\a.pdf""#) == [#"filename=C:\x\a.pdf"#])
        #expect(parameters(#"x; filename="C:\Users\Jan\Documents\zienswijze.docx""#)
            == [#"filename=C:\Users\Jan\Documents\zienswijze.docx"#])
        #expect(parameters(#"x; a="\n\t\a""#) == [#"a=\n\t\a"#]) // backslash-n, not a newline
        #expect(parameters(#"x; a="trailing\ ""#) == [#"a=trailing\ "#])
    }

    @Test func duplicateParametersMakeTheWholeValueInvalid() {
        #expect(MIMEParameters.parse("form-data; name=a; name=b") == nil)
        #expect(MIMEParameters.parse("form-data; name=a; name=a") == nil)
        #expect(MIMEParameters.parse("form-data; name=a; NAME=b") == nil)
        #expect(MIMEParameters.parse("form-data; filename=\"x.pdf\"; name=a; Filename=\"x.exe\"") == nil)
        #expect(MIMEParameters.parse("multipart/form-data; boundary=a; boundary=a") == nil)
        // `filename*` is another parameter.
        #expect(parameters("form-data; filename=\"a\"; filename*=UTF-8''b") == ["filename=a", "filename*=UTF-8''b"])
    }

    @Test(arguments: [
        "",
        "   ",
        ";",
        "; name=a",
        "form data",
        "form-data name=a",
        "text/html, text/plain",
        "text/(html)",
        "form-data; name",
        "form-data; name;",
        "form-data; name=",
        "form-data; =a",
        "form-data; na me=a",
        "form-data; name=a b",
        "form-data; name=a/b",
        "form-data; name=\"a\"b",
        "form-data; name=\"a\" b",
        "form-data; name=\"unterminated",
        "form-data; name=\"ends with escaped quote\\\"",
        "form-data; name=é",
        "formulier-é",
        "form-data; ná=a",
    ])
    func malformedValuesAreRefused(text: String) {
        #expect(MIMEParameters.parse(text) == nil, "\(text.debugDescription)")
    }

    @Test func controlCharactersAreRefused() {
        let cases: [String] = [
            "form-data; name=\"a\u{0}b\"",
            "form-data; name=\"a\u{1}b\"",
            "form-data; name=\"a\nb\"",
            "form-data; name=\"a\rb\"",
            "form-data; name=\"a\r\nb\"",
            "form-data; name=\"a\u{1B}b\"",
            "form-data; name=\"a\u{7F}b\"",
            "form-data; name=a\u{0}",
            "form-data; name=a\u{7F}",
            "form-data; name=a\nfilename=b",
            "form\u{0}data; name=a",
            "form-data\r\n; name=a",
        ]
        for text in cases {
            #expect(MIMEParameters.parse(text) == nil, "\(text.debugDescription)")
        }
    }

    @Test func equalityComparesValueAndParametersInOrder() throws {
        let a = try #require(MIMEParameters.parse("form-data; name=a; filename=b"))
        #expect(a == MIMEParameters.parse("Form-Data; NAME=\"a\"; filename=b"))
        #expect(a != MIMEParameters.parse("form-data; filename=b; name=a"))
        #expect(a != MIMEParameters.parse("form-data; name=a"))
        #expect(a != MIMEParameters.parse("attachment; name=a; filename=b"))
    }
}
