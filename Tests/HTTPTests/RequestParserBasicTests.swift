import Testing
@testable import HTTP

@Suite struct RequestParserBasicTests {
    @Test func simpleGet() throws {
        let out = parse("GET /a?b=1 HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n")
        #expect(out.error == nil)
        let head = RequestHead(method: .get, target: "/a?b=1", version: .http1_1,
                               headers: HTTPHeaders([("Host", "example.org"), ("Accept", "*/*")]), framing: .none)
        #expect(out.events == [.head(head), .end(trailers: HTTPHeaders())])
    }

    @Test func errorIsSticky() throws {
        var parser = RequestParser()
        parser.feed(Array("GET / HTTP/1.1\r\nHost : x\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
        parser.feed(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect { try parser.next() } throws: { ($0 as? HTTPParseError)?.status == 400 }
    }
}

extension RequestParserBasicTests {
    @Test func midRequestTracksPartialRequests() throws {
        var parser = RequestParser()
        #expect(!parser.isMidRequest)
        parser.feed(Array("GET / HTTP/1.1\r\n".utf8))
        #expect(parser.isMidRequest)
        #expect(try parser.next() == nil)
        #expect(parser.bufferedByteCount == 0) // the request line is consumed...
        #expect(parser.isMidRequest)           // ...but the request is not over
        parser.feed(Array("Host: a\r\nContent-Length: 2\r\n\r\nhi".utf8))
        guard case .head? = try parser.next() else { Issue.record("no head"); return }
        #expect(parser.isMidRequest)
        #expect(try parser.next() == .body(Array("hi".utf8)))
        #expect(try parser.next() == .end(trailers: HTTPHeaders()))
        #expect(!parser.isMidRequest)
        #expect(try parser.next() == nil)
        parser.feed([13, 10])
        #expect(try parser.next() == nil)
        #expect(parser.isMidRequest) // an empty line before the next request line was consumed
    }

    @Test func headComesBeforeAnyBodyByteIsConsumed() throws {
        var parser = RequestParser()
        parser.feed(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello".utf8))
        guard case .head(let head)? = try parser.next() else { Issue.record("no head"); return }
        #expect(head.framing == .contentLength(5))
        #expect(parser.bufferedByteCount == 5)
    }

    @Test func compactionKeepsLongPipelinesCorrect() throws {
        var parser = RequestParser()
        let one = Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc".utf8)
        var ends = 0, bodies: [UInt8] = []
        for _ in 0..<500 {
            parser.feed(one + one[0..<7]) // each feed ends inside the next request line
            while let event = try parser.next() {
                if case .end = event { ends += 1 }
                if case .body(let b) = event { bodies += b }
            }
            parser.feed(one[7...])
            while let event = try parser.next() {
                if case .end = event { ends += 1 }
                if case .body(let b) = event { bodies += b }
            }
        }
        #expect(ends == 1000)
        #expect(bodies == Array(repeating: Array("abc".utf8), count: 1000).flatMap { $0 })
        #expect(parser.buffer.count < 8192) // consumed bytes were dropped along the way
    }
}

extension RequestParserBasicTests {
    /// The word-at-a-time value check agrees with the plain per-byte rule on every length and
    /// at every position of every byte value.
    @Test func wordwiseValueScanMatchesBytewise() {
        var rng = SplitMix64(seed: 99)
        for length in 0..<40 {
            for _ in 0..<200 {
                var v = (0..<length).map { _ in UInt8(0x20 + rng.next() % 0x5F) } // valid printable ASCII
                if length > 0, rng.next() % 2 == 0 { v[Int(rng.next() % UInt64(length))] = UInt8(truncatingIfNeeded: rng.next()) }
                let expectedValid = v.allSatisfy(HTTPSyntax.isFieldValueByte)
                let expectedASCII = v.allSatisfy { $0 < 0x80 }
                let got = v.withUnsafeBufferPointer { HTTPSyntax.scanFieldValue($0) }
                #expect(got.valid == expectedValid, "\(v)")
                if expectedValid { #expect(got.ascii == expectedASCII, "\(v)") }
            }
        }
        for b in 0...255 {
            for at in 0..<16 {
                var v = [UInt8](repeating: 0x61, count: 16)
                v[at] = UInt8(b)
                let got = v.withUnsafeBufferPointer { HTTPSyntax.scanFieldValue($0) }
                #expect(got.valid == HTTPSyntax.isFieldValueByte(UInt8(b)), "byte \(b) at \(at)")
            }
        }
    }
}
