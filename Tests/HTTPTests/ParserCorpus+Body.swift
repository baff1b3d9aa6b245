@testable import HTTP

/// Chunked bodies, trailers, limits and pipelining.
private let H = "Host: a\r\n"
private let chunkedHead = "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunked\r\n\r\n"

private func chunked(body: String = "", trailers: [(String, String)] = [], complete: Bool = true) -> [ParserEvent] {
    request("POST", "/", .http1_1, [("Host", "a"), ("Transfer-Encoding", "chunked")], framing: .chunked,
            body: body, trailers: trailers, complete: complete)
}

private let longTarget = "/" + String(repeating: "a", count: 8192 - "GET / HTTP/1.1".utf8.count)

let bodyCorpus: [CorpusCase] = [
    // Chunked framing
    valid("two chunks, lowercase and uppercase hex", chunkedHead + "a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n",
          chunked(body: "0123456789abcdefghij")),
    valid("zero-prefixed sizes", chunkedHead + "05\r\nhello\r\n000\r\n\r\n", chunked(body: "hello")),
    valid("extensions, BWS before ;, quoted values", chunkedHead
          + "5;a;b=c ;d = \"x \\\"y\\\";z\"\r\nhello\r\n6 ; e\r\n world\r\n0;last\r\n\r\n", chunked(body: "hello world")),
    valid("trailers, Vary discarded", chunkedHead + "5\r\nhello\r\n0\r\nVary: *\r\nX-Checksum: abc\r\n\r\n",
          chunked(body: "hello", trailers: [("X-Checksum", "abc")])),
    valid("Content-Type in trailers is discarded", chunkedHead + "5\r\nhello\r\n0\r\nContent-Type: text/evil\r\nX-A: 1\r\nvary: a\r\n\r\n",
          chunked(body: "hello", trailers: [("X-A", "1")])),
    valid("malformed Content-Length in trailers is discarded, not judged", chunkedHead + "0\r\nContent-Length: abc\r\n\r\n",
          chunked()),
    valid("discarded trailers then pipelined GET", chunkedHead + "0\r\nCookie: a=1\r\n\r\nGET /n HTTP/1.1\r\n\(H)\r\n",
          chunked(), request("GET", "/n")),
    valid("largest accepted chunk size is Int.max / 2", chunkedHead + "3fffffffffffffff\r\nabc",
          chunked(body: "abc", complete: false)),
    valid("empty chunked body then pipelined GET", chunkedHead + "0\r\n\r\nGET /n HTTP/1.1\r\n\(H)\r\n",
          chunked(), request("GET", "/n")),
    invalid("space after chunk size", chunkedHead + "a \r\n0123456789\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("extension without semicolon", chunkedHead + "2 erfrferferf\r\naa\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("semicolon without extension name", chunkedHead + "2;\r\naa\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("unbalanced quote in extension", chunkedHead + "5;a=\"abc\r\nhello\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("extension value missing", chunkedHead + "5;a=\r\nhello\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("control byte in extension", chunkedHead + "5;a=\u{01}\r\nhello\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("non-hex chunk size", chunkedHead + "g\r\nhello\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("negative chunk size", chunkedHead + "-1\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("0x chunk size", chunkedHead + "0x5\r\nhello\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("empty chunk size line", chunkedHead + "\r\nhello\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("17 hex digits", chunkedHead + "00000000000000001\r\nx\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("chunk size above Int.max / 2", chunkedHead + "4000000000000000\r\n", 400, after: chunked(complete: false)),
    invalid("chunk size 2^64 - 1", chunkedHead + "ffffffffffffffff\r\n", 400, after: chunked(complete: false)),
    invalid("missing CRLF after data", chunkedHead + "5\r\nABCDE0\r\n\r\n", 400, after: chunked(body: "ABCDE", complete: false)),
    invalid("bare LF after data", chunkedHead + "5\r\nhello\n0\r\n\r\n", 400, after: chunked(body: "hello", complete: false)),
    invalid("data longer than size", chunkedHead + "3\r\nhello\r\n0\r\n\r\n", 400, after: chunked(body: "hel", complete: false)),
    invalid("bare LF after chunk size", chunkedHead + "5\nhello\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("CR CR after chunk size", chunkedHead + "5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("missing last chunk", chunkedHead + "3\r\nfoo\r\n\r\n", 400, after: chunked(body: "foo", complete: false)),
    invalid("huge chunk extension", chunkedHead + "5;a=" + String(repeating: "b", count: 1100) + "\r\nhello\r\n0\r\n\r\n", 400,
            after: chunked(complete: false)),
    invalid("huge chunk extension still streaming", chunkedHead + "5;a=" + String(repeating: "b", count: 1100), 400,
            after: chunked(complete: false)),
    valid("Content-Length in trailers is discarded", chunkedHead + "0\r\nContent-Length: 5\r\n\r\n", chunked()),
    valid("Transfer-Encoding in trailers is discarded", chunkedHead + "0\r\nTransfer-Encoding: chunked\r\n\r\n", chunked()),
    valid("Host in trailers is discarded", chunkedHead + "0\r\nHost: b\r\n\r\n", chunked()),
    valid("Authorization in trailers is discarded", chunkedHead + "0\r\nauthorization: x\r\n\r\n", chunked()),
    invalid("obs-fold in trailers", chunkedHead + "0\r\nX: a\r\n b\r\n\r\n", 400, after: chunked(complete: false)),
    invalid("bare LF in trailers", chunkedHead + "0\r\nX: a\n\r\n", 400, after: chunked(complete: false)),
    invalid("bare LF ending trailers", chunkedHead + "0\r\n\n", 400, after: chunked(complete: false)),
    invalid("trailer section too large", chunkedHead + "0\r\nX: " + String(repeating: "v", count: 9000) + "\r\n\r\n", 431,
            after: chunked(complete: false)),
    invalid("trailer section too large while streaming", chunkedHead + "0\r\nX: " + String(repeating: "v", count: 9000), 431,
            after: chunked(complete: false)),
    // Found by libFuzzer: size is judged before the line ending, as it is while streaming.
    invalid("oversized trailer line ending in bare LF", chunkedHead + "0\r\nX: " + String(repeating: "v", count: 60) + "\n\r\n", 431,
            after: chunked(complete: false), limits: limits(trailerBytes: 48)),
    invalid("too many trailer fields, discarded ones counted", chunkedHead + "0\r\nVary: 1\r\nCookie: 2\r\nC: 3\r\n\r\n", 431,
            after: request("POST", "/", .http1_1, [("Host", "a"), ("Transfer-Encoding", "chunked")], framing: .chunked, complete: false),
            limits: limits(headerCount: 2)),
    invalid("too many trailer fields", chunkedHead + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 431,
            after: request("POST", "/", .http1_1, [("Host", "a"), ("Transfer-Encoding", "chunked")], framing: .chunked, complete: false),
            limits: limits(headerCount: 2)),

    // Limits
    valid("request line of exactly 8192 bytes", "GET \(longTarget) HTTP/1.1\r\n\(H)\r\n", request("GET", longTarget)),
    invalid("request line of 8193 bytes", "GET \(longTarget)a HTTP/1.1\r\n\(H)\r\n", 414),
    invalid("request line too long before its LF arrives", "GET \(longTarget)" + String(repeating: "a", count: 20), 414),
    invalid("small request line limit", "GET /abcdefghijklmnop HTTP/1.1\r\n\(H)\r\n", 414, limits: limits(requestLine: 20)),
    invalid("header section too large", "GET / HTTP/1.1\r\n\(H)X: " + String(repeating: "v", count: 65536) + "\r\n\r\n", 431),
    invalid("header section too large before its LF arrives", "GET / HTTP/1.1\r\n\(H)X: " + String(repeating: "v", count: 65536), 431),
    invalid("header bytes limit counts every line", "GET / HTTP/1.1\r\n\(H)" + String(repeating: "X: 123456\r\n", count: 10) + "\r\n", 431,
            limits: limits(headerBytes: 100)),
    invalid("101 header fields", "GET / HTTP/1.1\r\n\(H)" + (1...100).map { "X\($0): v\r\n" }.joined() + "\r\n", 431),
    valid("100 header fields", "GET / HTTP/1.1\r\n\(H)" + (1...99).map { "X\($0): v\r\n" }.joined() + "\r\n",
          request("GET", "/", .http1_1, [("Host", "a")] + (1...99).map { ("X\($0)", "v") })),

    // Pipelining
    valid("two GETs in one buffer", "GET /1 HTTP/1.1\r\n\(H)\r\nGET /2 HTTP/1.1\r\n\(H)\r\n", request("GET", "/1"), request("GET", "/2")),
    valid("GET, POST with Content-Length, chunked POST",
          "GET /1 HTTP/1.1\r\n\(H)\r\nPOST /2 HTTP/1.1\r\n\(H)Content-Length: 3\r\n\r\nabc" + chunkedHead + "2\r\nxy\r\n0\r\n\r\n",
          request("GET", "/1"),
          request("POST", "/2", .http1_1, [("Host", "a"), ("Content-Length", "3")], framing: .contentLength(3), body: "abc"),
          chunked(body: "xy")),
    valid("incomplete third request stays buffered",
          "GET /1 HTTP/1.1\r\n\(H)\r\nGET /2 HTTP/1.1\r\n\(H)\r\nGET /3 HTT",
          request("GET", "/1"), request("GET", "/2"), leftover: 10),
    valid("body bytes that look like a request are body",
          "POST / HTTP/1.1\r\n\(H)Content-Length: 25\r\n\r\nGET /admin HTTP/1.1\r\n\r\n\r\n",
          request("POST", "/", .http1_1, [("Host", "a"), ("Content-Length", "25")], framing: .contentLength(25),
                  body: "GET /admin HTTP/1.1\r\n\r\n\r\n")),
    valid("CRLF between pipelined requests", "GET /1 HTTP/1.1\r\n\(H)\r\n\r\nGET /2 HTTP/1.1\r\n\(H)\r\n", request("GET", "/1"), request("GET", "/2")),
    invalid("garbage after a valid request", "GET /1 HTTP/1.1\r\n\(H)\r\nHELLO\r\n\r\n", 400, after: request("GET", "/1")),
    invalid("smuggled request after CL.TE is never parsed",
            "POST / HTTP/1.1\r\n\(H)Content-Length: 6\r\n\(TEField)\r\n0\r\n\r\nGET /admin HTTP/1.1\r\n\(H)\r\n", 400),
]

private let TEField = "Transfer-Encoding: chunked"
