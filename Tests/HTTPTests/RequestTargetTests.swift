import Testing
@testable import HTTP

@Suite struct RequestTargetTests {
    @Test(arguments: [
        // (raw target, expected path, expected query)
        ("/", "/", nil),
        ("/a/b", "/a/b", nil),
        ("/a/b?x=1&y=%20+", "/a/b", "x=1&y=%20+"),
        ("/a?", "/a", ""),
        ("/%2e%2e/etc/passwd", "/etc/passwd", nil),
        ("/%2E%2e/", "/", nil),
        ("/a/%2e%2e/%2E%2e/%2e%2e/etc", "/etc", nil),
        ("/a/./b/../c", "/a/c", nil),
        ("/a/b/..", "/a/", nil),
        ("/a/b/.", "/a/b/", nil),
        ("/..", "/", nil),
        ("/../../../etc/passwd", "/etc/passwd", nil),
        ("/%252e%252e/x", "/%2e%2e/x", nil),
        ("/assets/%252e%252e", "/assets/%2e%2e", nil),
        ("/caf%C3%A9", "/café", nil),
        ("/a+b", "/a+b", nil),
        ("/a%20b", "/a b", nil),
        ("//a", "//a", nil),
        ("/a/", "/a/", nil),
        ("/a//../b", "/a/b", nil),
        ("/...", "/...", nil),
        ("/.hidden", "/.hidden", nil),
        ("http://example.nl/a/b?q=1", "/a/b", "q=1"),
        ("HTTPS://example.nl:8443/%2e%2e/x", "/x", nil),
        ("http://example.nl", "/", nil),
        ("http://example.nl?q", "/", "q"),
        ("*", "*", nil),
        ("/a?b=%zz", "/a", "b=%zz"), // the query is not decoded here
    ] as [(String, String, String?)])
    func accepted(raw: String, path: String, query: String?) throws {
        let target = try RequestTarget.parse(raw)
        #expect(target.path == path)
        #expect(target.query == query)
    }

    @Test(arguments: [
        ("", TargetError.unsupportedForm),
        ("a/b", .unsupportedForm),
        ("example.nl:443", .unsupportedForm),
        ("ftp://example.nl/a", .unsupportedForm),
        ("http:///a", .unsupportedForm),
        ("..%2f..%2fetc", .unsupportedForm),
        ("/..%2f..%2fetc/passwd", .encodedSlash),
        ("/a%2Fb", .encodedSlash),
        ("/a%00b", .encodedNUL),
        ("/a%00.css", .encodedNUL),
        ("/%FF", .invalidUTF8),
        ("/%C3", .invalidUTF8),
        ("/%C0%AE%C0%AE/etc", .invalidUTF8), // overlong encoding of '.'
        ("/%zz", .malformedEscape),
        ("/a%2", .malformedEscape),
        ("/a%", .malformedEscape),
        ("/a%0A", .encodedControlCharacter),
        ("/a%0d%0aSet-Cookie:x", .encodedControlCharacter),
        ("/a%7F", .encodedControlCharacter),
        ("/a\u{01}b", .invalidCharacter),
        ("/a b", .invalidCharacter),
        ("/a\tb", .invalidCharacter),
        ("/a\u{7F}", .invalidCharacter),
        ("/café", .invalidCharacter),
        ("/a#frag", .invalidCharacter),
    ])
    func refused(raw: String, error: TargetError) {
        #expect(throws: error) { try RequestTarget.parse(raw) }
        #expect(error.status == 400)
    }

    @Test func removingDotSegmentsFollowsRFC3986Examples() {
        // RFC 3986 §5.2.4 examples, restricted to absolute paths.
        #expect(RequestTarget.removingDotSegments("/a/b/c/./../../g") == "/a/g")
        #expect(RequestTarget.removingDotSegments("/b/c/../../../g") == "/g")
        #expect(RequestTarget.removingDotSegments("/./g") == "/g")
        #expect(RequestTarget.removingDotSegments("/g/.") == "/g/")
        #expect(RequestTarget.removingDotSegments("/g..") == "/g..")
    }
}
