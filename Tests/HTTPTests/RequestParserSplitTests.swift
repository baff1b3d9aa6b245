import Testing
@testable import HTTP

/// However the bytes are cut into feeds, the parser must produce the same events (body pieces
/// merged) and the same error status: it keeps its position and never depends on read sizes.
@Suite struct RequestParserSplitTests {
    static let requests: [(String, [UInt8])] = [
        ("Content-Length body", bytes("POST /submit HTTP/1.1\r\nHost: example.org\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world")),
        ("chunked with extensions and trailers", bytes("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=\"v a\"\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Sum: 1\r\nX-Other: caf\u{E9}\r\n\r\n")),
        ("pipelined pair", bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc")),
        ("leading CRLF, chunked with discarded trailer, then GET", bytes("\r\nPOST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3\r\nabc\r\n0\r\nContent-Type: x\r\nX-T: 1\r\n\r\nGET /x HTTP/1.1\r\nHost: b\r\n\r\n")),
    ]

    @Test(arguments: requests.map(\.0))
    func byteByByteAndEveryTwoWaySplit(_ name: String) throws {
        let raw = try #require(Self.requests.first { $0.0 == name }).1
        let whole = parse([raw])
        #expect(whole.error == nil)
        #expect(whole.events.contains { if case .end = $0 { true } else { false } })
        let expected = whole.coalesced

        let oneByOne = parse(raw.map { [$0] })
        #expect(oneByOne.coalesced == expected)
        #expect(!oneByOne.hasEmptyBodyPiece)

        for cut in 0...raw.count {
            let split = parse([Array(raw[..<cut]), Array(raw[cut...])])
            #expect(split.coalesced == expected, "cut at \(cut)")
            #expect(!split.hasEmptyBodyPiece)
        }
    }

    /// Every corpus case (valid or not) gives the same outcome byte by byte as in one piece, and
    /// the short ones also at every two-way cut.
    @Test func corpusSplitsAgree() {
        for c in RequestParserCorpusTests.corpus {
            let expected = parse([c.raw], limits: c.limits).coalesced
            let oneByOne = parse(c.raw.map { [$0] }, limits: c.limits).coalesced
            #expect(oneByOne.events == expected.events, "\(c.name)")
            #expect(oneByOne.error?.status == expected.error?.status, "\(c.name)")
            guard c.raw.count <= 400 else { continue }
            for cut in 0...c.raw.count {
                let split = parse([Array(c.raw[..<cut]), Array(c.raw[cut...])], limits: c.limits).coalesced
                #expect(split.events == expected.events && split.error?.status == expected.error?.status, "\(c.name) cut at \(cut)")
            }
        }
    }
}
