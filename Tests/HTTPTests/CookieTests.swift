import Testing
@testable import HTTP

private func cookies(_ fields: String...) -> RequestCookies {
    RequestCookies(headers: HTTPHeaders(fields.map { ("Cookie", $0) }))
}

private func pairs(_ cookies: RequestCookies) -> [String] {
    cookies.pairs.map { "\($0.name)=\($0.value)" }
}

@Suite struct CookieTests {
    // MARK: Parsing the Cookie header

    @Test func parsesPairsInOrder() {
        let parsed = cookies("sid=abc123; theme=dark; lang=nl")
        #expect(pairs(parsed) == ["sid=abc123", "theme=dark", "lang=nl"])
        #expect(parsed["sid"] == "abc123")
        #expect(parsed["theme"] == "dark")
        #expect(parsed["missing"] == nil)
        #expect(parsed["SID"] == nil) // names are case-sensitive
    }

    @Test func noCookieHeaderMeansNoCookies() {
        #expect(RequestCookies(headers: HTTPHeaders()).pairs.isEmpty)
        #expect(RequestCookies(headers: HTTPHeaders([("Set-Cookie", "a=1")])).pairs.isEmpty)
        #expect(cookies("").pairs.isEmpty)
        #expect(cookies(";;; ;").pairs.isEmpty)
    }

    @Test func severalCookieFieldsAreReadInOrder() {
        let headers = HTTPHeaders([("Cookie", "a=1; b=2"), ("Accept", "*/*"), ("cookie", "c=3")])
        #expect(pairs(RequestCookies(headers: headers)) == ["a=1", "b=2", "c=3"])
    }

    @Test func whitespaceAroundNamesAndValuesIsTrimmed() {
        #expect(pairs(cookies("  a = 1 ;b=2;\tc\t=\t3\t;  d=4  ")) == ["a=1", "b=2", "c=3", "d=4"])
        // Whitespace inside a value is kept.
        #expect(cookies("a=x y")["a"] == "x y")
    }

    @Test func onePairOfSurroundingQuotesIsRemoved() {
        #expect(cookies("a=\"quoted\"")["a"] == "quoted")
        #expect(cookies("a=\"with space\"")["a"] == "with space")
        #expect(cookies("a=\"\"")["a"] == "")
        #expect(cookies("a=\"\"x\"\"")["a"] == "\"x\"")
        #expect(cookies("a=\"")["a"] == "\"")
        #expect(cookies("a=\"open")["a"] == "\"open")
        #expect(cookies("a=close\"")["a"] == "close\"")
        #expect(cookies("a= \"spaced\" ")["a"] == "spaced")
    }

    @Test func valuesKeepEqualsSignsAndMayBeEmpty() {
        let parsed = cookies("token=YWJj==; empty=; eq==")
        #expect(parsed["token"] == "YWJj==")
        #expect(parsed["empty"] == "")
        #expect(parsed["eq"] == "=")
    }

    @Test func malformedPairsAreSkippedWithoutLosingTheirNeighbours() {
        let parsed = cookies("=nameless; a=1; flag; =; b=2;  ; c")
        #expect(pairs(parsed) == ["a=1", "b=2"])
    }

    @Test func onlySemicolonsSeparatePairs() {
        // A comma is no separator (RFC 6265 §5.4): the value keeps it.
        #expect(pairs(cookies("a=1, b=2")) == ["a=1, b=2"])
    }

    @Test func theFirstOfARepeatedNameWins() {
        // The browser sends the most specific path first (RFC 6265 §5.4 step 2).
        let parsed = cookies("sid=most-specific; x=1; sid=less-specific", "sid=other-field")
        #expect(parsed["sid"] == "most-specific")
        #expect(parsed.all("sid") == ["most-specific", "less-specific", "other-field"])
        #expect(parsed.all("x") == ["1"])
        #expect(parsed.all("none") == [])
    }

    @Test func requestsExposeTheirCookies() {
        let head = RequestHead(method: .get, target: "/", version: .http1_1,
                               headers: HTTPHeaders([("Cookie", "sid=abc; theme=dark")]), framing: .none)
        let request = HTTPRequest(head: head, path: "/", query: nil)
        #expect(request.cookies["sid"] == "abc")
        #expect(request.cookies == cookies("sid=abc; theme=dark"))
        #expect(request.cookies != cookies("theme=dark; sid=abc"))
    }

    // MARK: Set-Cookie

    @Test func safeDefaults() throws {
        let cookie = try SetCookie(name: "sid", value: "abc123")
        #expect(cookie.headerValue == "sid=abc123; Path=/; HttpOnly; Secure; SameSite=Lax")
        #expect(cookie.path == "/")
        #expect(cookie.httpOnly && cookie.secure)
        #expect(cookie.sameSite == .lax)
        #expect(cookie.maxAge == nil)
    }

    @Test func everyAttributeIsSerialized() throws {
        let full = try SetCookie(name: "pref", value: "x", path: "/app", maxAge: 3600, httpOnly: true, secure: true, sameSite: .strict)
        #expect(full.headerValue == "pref=x; Path=/app; Max-Age=3600; HttpOnly; Secure; SameSite=Strict")
        let none = try SetCookie(name: "embed", value: "1", sameSite: SetCookie.SameSite.none)
        #expect(none.headerValue == "embed=1; Path=/; HttpOnly; Secure; SameSite=None")
        let bare = try SetCookie(name: "a", value: "b", path: nil, httpOnly: false, secure: false, sameSite: nil)
        #expect(bare.headerValue == "a=b")
        let lax = try SetCookie(name: "a", value: "", path: nil, httpOnly: false, secure: false)
        #expect(lax.headerValue == "a=; SameSite=Lax")
    }

    @Test func maxAgeIsNeverNegative() throws {
        #expect(try SetCookie(name: "a", value: "b", maxAge: 0).headerValue.contains("; Max-Age=0;"))
        #expect(try SetCookie(name: "a", value: "b", maxAge: -5).headerValue.contains("; Max-Age=0;"))
        #expect(try SetCookie(name: "a", value: "b", maxAge: .min).headerValue.contains("; Max-Age=0;"))
    }

    @Test func deletingACookie() throws {
        #expect(try SetCookie.deleting("sid").headerValue == "sid=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax")
        #expect(try SetCookie.deleting("pref", path: "/app", secure: false).headerValue == "pref=; Path=/app; Max-Age=0; HttpOnly; SameSite=Lax")
        #expect(try SetCookie.deleting("__Host-sid").headerValue.hasPrefix("__Host-sid=; Path=/; Max-Age=0;"))
        #expect(throws: CookieError.invalidName) { try SetCookie.deleting("bad name") }
        #expect(throws: CookieError.prefixRequirements) { try SetCookie.deleting("__Host-sid", path: "/app") }
    }

    @Test func responsesGetOneSetCookieFieldPerCookie() throws {
        var response = HTTPResponse(status: 204)
        response.setCookie(try SetCookie(name: "a", value: "1"))
        response.setCookie(try SetCookie(name: "b", value: "2", maxAge: 60))
        #expect(response.headers.values("Set-Cookie") == [
            "a=1; Path=/; HttpOnly; Secure; SameSite=Lax",
            "b=2; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax",
        ])
    }

    @Test func invalidNamesAreRefused() {
        let cases: [String] = ["", "a b", "a;b", "a=b", "a,b", "(a)", "a/b", "a\"b", "a\tb", "a\0b", "a\r\nb", "café", "a@b", "[a]", "a:b", "{a}", "a?b", "a\\b"]
        for name in cases {
            #expect(throws: CookieError.invalidName, "\(name.debugDescription)") { try SetCookie(name: name, value: "x") }
        }
    }

    @Test func tokenNamesAreAccepted() throws {
        for name in ["sid", "__Secure-sid", "a.b", "A_B-c", "x!#$%&'*+^`|~9"] {
            #expect(try SetCookie(name: name, value: "x").name == name)
        }
    }

    @Test func invalidValuesAreRefused() {
        let cases: [String] = ["a b", "a;b", "a,b", "\"quoted\"", "a\\b", "café", "a\u{7F}", "a\tb", "a\0", "a\r\nSet-Cookie: admin=1",
                               "x; Domain=evil.example", "x; Path=/; Max-Age=999999999"]
        for value in cases {
            #expect(throws: CookieError.invalidValue, "\(value.debugDescription)") { try SetCookie(name: "a", value: value) }
        }
    }

    @Test func cookieOctetsAreAccepted() throws {
        let everyOctet = (0x21...0x7E).map { Character(Unicode.Scalar(UInt8($0))) }
            .filter { !"\",;\\".contains($0) }
        let value = String(everyOctet)
        #expect(try SetCookie(name: "a", value: value).headerValue.hasPrefix("a=\(value); "))
        #expect(try SetCookie(name: "a", value: "eyJ0eXAiOiJKV1QifQ==").value == "eyJ0eXAiOiJKV1QifQ==")
        #expect(try SetCookie(name: "a", value: "").value == "")
    }

    @Test func invalidPathsAreRefused() {
        let cases: [String] = ["", "app", "app/", "/a;b", "/a\nb", "/a\r\nSet-Cookie: x=y", "/a\u{7F}", "/a\0", "/a\tb", "/café", "; Domain=evil.example"]
        for path in cases {
            #expect(throws: CookieError.invalidPath, "\(path.debugDescription)") { try SetCookie(name: "a", value: "x", path: path) }
        }
    }

    @Test func prefixRules() throws {
        // __Secure- needs Secure.
        #expect(throws: CookieError.prefixRequirements) { try SetCookie(name: "__Secure-a", value: "x", secure: false) }
        #expect(try SetCookie(name: "__Secure-a", value: "x", path: "/app").secure)
        // __Host- needs Secure and Path=/.
        #expect(throws: CookieError.prefixRequirements) { try SetCookie(name: "__Host-a", value: "x", secure: false) }
        #expect(throws: CookieError.prefixRequirements) { try SetCookie(name: "__Host-a", value: "x", path: "/app") }
        #expect(throws: CookieError.prefixRequirements) { try SetCookie(name: "__Host-a", value: "x", path: nil) }
        #expect(try SetCookie(name: "__Host-a", value: "x").headerValue == "__Host-a=x; Path=/; HttpOnly; Secure; SameSite=Lax")
        // SameSite=None needs Secure.
        #expect(throws: CookieError.prefixRequirements) {
            try SetCookie(name: "a", value: "x", secure: false, sameSite: SetCookie.SameSite.none)
        }
        #expect(try SetCookie(name: "a", value: "x", secure: false, sameSite: .strict).headerValue == "a=x; Path=/; HttpOnly; SameSite=Strict")
    }

    // MARK: Known issues

    /// Once a bug: the Cookie header was split with `String.split(separator: ";")`, which compares
    /// Characters by canonical equivalence, and U+037E GREEK QUESTION MARK is canonically
    /// equivalent to `;`. A cookie value holding U+037E is cut in two and its tail becomes a
    /// cookie of its own (`a=x;sid=forged` where a browser sees one cookie `a`). Browsers and
    /// RFC 6265 split on the byte 0x3B only.
    @Test func onlyTheSemicolonByteSeparatesPairs() {
        let parsed = cookies("a=x\u{37E}sid=forged")
        #expect(parsed["sid"] == nil)
        #expect(parsed["a"] == "x\u{37E}sid=forged")
    }
}
