import Testing
@testable import HTTP

private func fields(_ text: String, limits: FormLimits = FormLimits()) throws(FormError) -> [String] {
    try FormFields(urlencoded: Array(text.utf8), limits: limits).map { "\($0.name)=\($0.value)" }
}

private func request(contentType: String?, body: String, target: String = "/") -> HTTPRequest {
    let headers = HTTPHeaders(contentType.map { [("Content-Type", $0)] } ?? [])
    let head = RequestHead(method: .post, target: target, version: .http1_1, headers: headers,
                           framing: .contentLength(body.utf8.count))
    let query = target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) }
    return HTTPRequest(head: head, path: "/", query: query, body: Array(body.utf8))
}

@Suite struct FormURLEncodedTests {
    // MARK: Decoding

    @Test func namesAndValuesAreDecoded() throws {
        #expect(try fields("naam=Jan+de+Vries&gemeente=%27s-Hertogenbosch") == ["naam=Jan de Vries", "gemeente='s-Hertogenbosch"])
        #expect(try fields("a=%20&b=+&c=%2B&d=a%2Bb+c") == ["a= ", "b= ", "c=+", "d=a+b c"])
        #expect(try fields("tekst=caf%C3%A9+%E2%82%AC5&emoji=%F0%9F%98%80") == ["tekst=café €5", "emoji=😀"])
        #expect(try fields("q=a%26b%3Dc&x%3Dy=1") == ["q=a&b=c", "x=y=1"])
        #expect(try fields("lower=%c3%a9&upper=%C3%A9&mixed=%c3%A9") == ["lower=é", "upper=é", "mixed=é"])
        #expect(try fields("nl=regel1%0D%0Aregel2&tab=%09") == ["nl=regel1\r\nregel2", "tab=\t"])
    }

    @Test func decodingHappensOnce() throws {
        #expect(try fields("a=%2520&b=%252B") == ["a=%20", "b=%2B"])
    }

    @Test func splittingFollowsTheWHATWGParser() throws {
        // Split on `&`, then at the first `=`.
        #expect(try fields("a=b=c") == ["a=b=c"])
        #expect(try fields("a") == ["a="])
        #expect(try fields("a=") == ["a="])
        #expect(try fields("=v") == ["=v"])
        #expect(try fields("=") == ["="])
        #expect(try fields("") == [])
        #expect(try fields("&&a=1&&&b=2&") == ["a=1", "b=2"])
        #expect(try fields("a=1;b=2") == ["a=1;b=2"]) // `;` is no separator
        #expect(try fields("a+b=c+d") == ["a b=c d"])
        #expect(try fields("%3D=%26") == ["==&"])
    }

    @Test func repeatedNamesAreKeptInOrder() throws {
        let form = try FormFields(query: "thema=water&x=1&thema=lucht&thema=")
        #expect(form.count == 4)
        #expect(form.first("thema") == "water")
        #expect(form.all("thema") == ["water", "lucht", ""])
        #expect(form.first("x") == "1")
        #expect(form.first("Thema") == nil) // names compare case-sensitively
        #expect(form.first("y") == nil)
        #expect(form.all("y") == [])
        #expect(form.map(\.name) == ["thema", "x", "thema", "thema"])
    }

    @Test func queryStrings() throws {
        #expect(try FormFields(query: nil).isEmpty)
        #expect(try FormFields(query: "").isEmpty)
        #expect(try FormFields(query: "formaat=csv&pagina=2").first("pagina") == "2")
        let req = request(contentType: nil, body: "", target: "/export?formaat=csv&naam=a+b")
        #expect(try req.queryFields().fields == [.init(name: "formaat", value: "csv"), .init(name: "naam", value: "a b")])
        #expect(throws: FormError.malformedEscape) { try request(contentType: nil, body: "", target: "/x?a=%zz").queryFields() }
    }

    @Test func buildingFieldsByHand() {
        var form = FormFields([("a", "1")])
        form.append("b", "2")
        form.append("a", "3")
        #expect(form.all("a") == ["1", "3"])
        #expect(form == FormFields([("a", "1"), ("b", "2"), ("a", "3")]))
        #expect(form != FormFields([("b", "2"), ("a", "1"), ("a", "3")]))
    }

    // MARK: Refusals

    @Test(arguments: ["a=%", "a=%2", "a=%zz", "a=%2G", "a=%%", "a=100%", "%=1", "a%=1", "a=%+1", "a=% 1", "a=%-1", "ok=1&bad=%x"])
    func malformedEscapesAreRefused(text: String) {
        #expect(throws: FormError.malformedEscape) { try fields(text) }
    }

    @Test(arguments: ["a=%FF", "a=%C3", "a=%C3%28", "a=%C0%AE", "a=%ED%A0%80", "a=%F4%90%80%80", "%FF=1", "a=%E2%82", "a=%80"])
    func invalidUTF8IsRefused(text: String) {
        #expect(throws: FormError.invalidUTF8) { try fields(text) }
    }

    @Test func rawInvalidUTF8IsRefused() {
        #expect(throws: FormError.invalidUTF8) { try FormFields(urlencoded: Array("a=".utf8) + [0xFF]) }
        #expect(throws: FormError.invalidUTF8) { try FormFields(urlencoded: [0xC3, 0x3D, 0x31]) }
    }

    @Test func nulIsRefusedEncodedOrRaw() {
        #expect(throws: FormError.nulByte) { try fields("a=%00") }
        #expect(throws: FormError.nulByte) { try fields("a%00b=1") }
        #expect(throws: FormError.nulByte) { try fields("a=x%00.pdf") }
        #expect(throws: FormError.nulByte) { try FormFields(urlencoded: Array("a=x".utf8) + [0] + Array("y".utf8)) }
    }

    @Test func everyErrorIs400ExceptTheWrongContentType() {
        for error in [FormError.tooManyFields, .nameTooLong, .valueTooLong, .malformedEscape, .invalidUTF8, .nulByte] {
            #expect(error.status == 400, "\(error)")
        }
        #expect(FormError.wrongContentType.status == 415)
    }

    // MARK: Limits

    @Test func fieldCountLimit() throws {
        let limits = FormLimits(maxFields: 3)
        #expect(try fields("a=1&b=2&c=3", limits: limits).count == 3)
        #expect(try fields("&a=1&&b=2&&c=3&&", limits: limits).count == 3) // empty pieces are no fields
        #expect(throws: FormError.tooManyFields) { try fields("a=1&b=2&c=3&d=4", limits: limits) }
        #expect(throws: FormError.tooManyFields) { try fields("a&b&c&d", limits: limits) }
        let flood = Array(repeating: "x=1", count: 100_000).joined(separator: "&")
        #expect(throws: FormError.tooManyFields) { try fields(flood) }
    }

    @Test func nameAndValueLimitsCountDecodedUTF8Bytes() throws {
        let limits = FormLimits(maxNameLength: 4, maxValueLength: 6)
        #expect(try fields("abcd=abcdef", limits: limits) == ["abcd=abcdef"])
        // Escapes count once decoded: 12 raw bytes, 4 decoded.
        #expect(try fields("%61%62%63%64=%61%62%63%64%65%66", limits: limits) == ["abcd=abcdef"])
        #expect(try fields("%C3%A9%C3%A9=%E2%82%AC%E2%82%AC", limits: limits) == ["éé=€€"])
        #expect(throws: FormError.nameTooLong) { try fields("abcde=1", limits: limits) }
        #expect(throws: FormError.nameTooLong) { try fields("%C3%A9%C3%A9a=1", limits: limits) } // 5 bytes
        #expect(throws: FormError.nameTooLong) { try fields("abcde", limits: limits) }
        #expect(throws: FormError.valueTooLong) { try fields("a=abcdefg", limits: limits) }
        #expect(throws: FormError.valueTooLong) { try fields("a=%E2%82%AC%E2%82%ACa", limits: limits) } // 7 bytes
        #expect(throws: FormError.valueTooLong) { try fields("a=" + String(repeating: "%41", count: 7), limits: limits) }
        // Empty names and values are within any limit.
        #expect(try fields("=", limits: FormLimits(maxNameLength: 0, maxValueLength: 0)) == ["="])
    }

    @Test func defaultLimitsAcceptALongZienswijze() throws {
        let text = String(repeating: "Lorem ipsum dolor sit amet. ", count: 5_000) // 140 000 bytes
        let body = "naam=x&tekst=" + String(text.map { $0 == " " ? "+" : $0 })
        #expect(try FormFields(urlencoded: Array(body.utf8)).first("tekst") == text)
    }

    // MARK: Request bodies

    @Test func bodiesNeedTheUrlencodedMediaType() throws {
        for type in ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
                     "Application/X-WWW-Form-URLEncoded", "  application/x-www-form-urlencoded ;charset=iso-8859-1"] {
            #expect(try request(contentType: type, body: "a=1&b=c+d").formFields().fields == [.init(name: "a", value: "1"), .init(name: "b", value: "c d")],
                    "\(type)")
        }
        for type in [nil, "", "multipart/form-data; boundary=x", "text/plain", "application/json",
                     "application/x-www-form-urlencoded-extra", "x-www-form-urlencoded"] {
            #expect(throws: FormError.wrongContentType, "\(String(describing: type))") {
                try request(contentType: type, body: "a=1").formFields()
            }
        }
    }

    @Test func bodyLimitsAndErrorsApplyToRequestBodies() {
        let urlencoded = "application/x-www-form-urlencoded"
        #expect(throws: FormError.tooManyFields) {
            try request(contentType: urlencoded, body: "a=1&b=2").formFields(limits: FormLimits(maxFields: 1))
        }
        #expect(throws: FormError.invalidUTF8) { try request(contentType: urlencoded, body: "a=%FF").formFields() }
        #expect(throws: FormError.nulByte) { try request(contentType: urlencoded, body: "a=%00").formFields() }
        #expect(throws: FormError.malformedEscape) { try request(contentType: urlencoded, body: "a=%").formFields() }
    }
}
