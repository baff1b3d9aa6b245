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
