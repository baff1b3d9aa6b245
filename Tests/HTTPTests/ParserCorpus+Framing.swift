@testable import HTTP

/// Content-Length, Transfer-Encoding and the request-smuggling variants around them.
private let H = "Host: a\r\n"
private let TE = "Transfer-Encoding: chunked\r\n"

private func post(_ headers: [(String, String)], _ framing: BodyFraming, body: String = "",
                  trailers: [(String, String)] = [], complete: Bool = true) -> [ParserEvent] {
    request("POST", "/", .http1_1, [("Host", "a")] + headers, framing: framing, body: body, trailers: trailers, complete: complete)
}

let framingCorpus: [CorpusCase] = [
    // Content-Length
    valid("Content-Length body", "POST / HTTP/1.1\r\n\(H)Content-Length: 5\r\n\r\nhello",
          post([("Content-Length", "5")], .contentLength(5), body: "hello")),
    valid("Content-Length 0", "POST / HTTP/1.1\r\n\(H)Content-Length: 0\r\n\r\n", post([("Content-Length", "0")], .contentLength(0))),
    valid("Content-Length with leading zeros", "POST / HTTP/1.1\r\n\(H)Content-Length: 003\r\n\r\nabc",
          post([("Content-Length", "003")], .contentLength(3), body: "abc")),
    valid("identical Content-Length fields", "POST / HTTP/1.1\r\n\(H)Content-Length: 2\r\ncontent-length: 2\r\n\r\nab",
          post([("Content-Length", "2"), ("content-length", "2")], .contentLength(2), body: "ab")),
    valid("identical Content-Length list", "POST / HTTP/1.1\r\n\(H)Content-Length: 2, 2\r\n\r\nab",
          post([("Content-Length", "2, 2")], .contentLength(2), body: "ab")),
    valid("body still arriving", "POST / HTTP/1.1\r\n\(H)Content-Length: 10\r\n\r\nhello",
          post([("Content-Length", "10")], .contentLength(10), body: "hello", complete: false)),
    valid("18-digit Content-Length is accepted (body limit is the caller's)",
          "POST / HTTP/1.1\r\n\(H)Content-Length: 999999999999999999\r\n\r\n",
          post([("Content-Length", "999999999999999999")], .contentLength(999_999_999_999_999_999), complete: false)),
    valid("GET with Content-Length 0 and pipelined GET",
          "GET / HTTP/1.1\r\n\(H)Content-Length: 0\r\n\r\nGET /2 HTTP/1.1\r\n\(H)\r\n",
          request("GET", "/", .http1_1, [("Host", "a"), ("Content-Length", "0")], framing: .contentLength(0)), request("GET", "/2")),
    invalid("differing Content-Length fields", "POST / HTTP/1.1\r\n\(H)Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
    invalid("differing Content-Length list", "POST / HTTP/1.1\r\n\(H)Content-Length: 5, 6\r\n\r\nhello!", 400),
    invalid("signed Content-Length +", "POST / HTTP/1.1\r\n\(H)Content-Length: +5\r\n\r\nhello", 400),
    invalid("negative Content-Length", "POST / HTTP/1.1\r\n\(H)Content-Length: -1\r\n\r\n", 400),
    invalid("hex Content-Length", "POST / HTTP/1.1\r\n\(H)Content-Length: 0x5\r\n\r\nhello", 400),
    invalid("space inside Content-Length", "POST / HTTP/1.1\r\n\(H)Content-Length: 1 2\r\n\r\nhello", 400),
    invalid("empty Content-Length", "POST / HTTP/1.1\r\n\(H)Content-Length:\r\n\r\n", 400),
    invalid("Content-Length with empty list element", "POST / HTTP/1.1\r\n\(H)Content-Length: 5,\r\n\r\nhello", 400),
    invalid("Content-Length 19 digits overflows", "POST / HTTP/1.1\r\n\(H)Content-Length: 9999999999999999999\r\n\r\n", 400),
    invalid("Content-Length 2^64", "POST / HTTP/1.1\r\n\(H)Content-Length: 18446744073709551616\r\n\r\n", 400),
    invalid("Content-Length with vertical tab", "POST / HTTP/1.1\r\n\(H)Content-Length: \u{0B}5\r\n\r\nhello", 400),
    invalid("Content-Length decimal point", "POST / HTTP/1.1\r\n\(H)Content-Length: 5.0\r\n\r\nhello", 400),
    invalid("space before colon on Content-Length", "POST / HTTP/1.1\r\n\(H)Content-Length : 5\r\n\r\nhello", 400),
    invalid("Content-Length obs-fold", "POST / HTTP/1.1\r\n\(H)Content-Length: 5\r\n 6\r\n\r\nhello", 400),

    // Transfer-Encoding values
    valid("chunked", "POST / HTTP/1.1\r\n\(H)\(TE)\r\n5\r\nhello\r\n0\r\n\r\n",
          post([("Transfer-Encoding", "chunked")], .chunked, body: "hello")),
    valid("CHUNKED uppercase", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n",
          post([("Transfer-Encoding", "CHUNKED")], .chunked)),
    valid("chunked with trailing HTAB (OWS)", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunked\t\r\n\r\n0\r\n\r\n",
          post([("Transfer-Encoding", "chunked")], .chunked)),
    valid("chunked with empty list elements", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: , chunked , \r\n\r\n0\r\n\r\n",
          post([("Transfer-Encoding", ", chunked ,")], .chunked)),
    invalid("gzip, chunked is not decoded", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
    invalid("unknown coding then chunked over two fields", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: x-custom\r\n\(TE)\r\n0\r\n\r\n", 501),
    invalid("chunked not final", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400),
    invalid("chunked not final over two fields", "POST / HTTP/1.1\r\n\(H)\(TE)Transfer-Encoding: identity\r\n\r\n0\r\n\r\n", 400),
    invalid("gzip alone", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: gzip\r\n\r\n", 400),
    invalid("identity alone", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: identity\r\n\r\n", 400),
    invalid("chunked twice in a list", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400),
    invalid("chunked twice in two fields", "POST / HTTP/1.1\r\n\(H)\(TE)\(TE)\r\n0\r\n\r\n", 400),
    invalid("empty Transfer-Encoding", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding:\r\n\r\n", 400),
    invalid("quoted chunked", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", 400),
    invalid("chunked with parameter", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", 400),
    invalid("chunkedchunked", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunkedchunked\r\n\r\n0\r\n\r\n", 400),
    invalid("chunked1", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunked1\r\n\r\n0\r\n\r\n", 400),
    invalid("space inside coding", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunked x\r\n\r\n0\r\n\r\n", 400),
    invalid("vertical tab after chunked", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunked\u{0B}\r\n\r\n0\r\n\r\n", 400),
    invalid("obs-text in coding", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: chunk\u{E9}d\r\n\r\n0\r\n\r\n", 400),
    invalid("space before colon on Transfer-Encoding", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400),
    invalid("Transfer-Encoding obs-fold", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: gzip\r\n , chunked\r\n\r\n0\r\n\r\n", 400),
    invalid("Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\n\(TE)\r\n0\r\n\r\n", 400),

    // Content-Length together with Transfer-Encoding (CL.TE / TE.CL)
    invalid("CL then TE", "POST / HTTP/1.1\r\n\(H)Content-Length: 4\r\n\(TE)\r\n0\r\n\r\n", 400),
    invalid("TE then CL", "POST / HTTP/1.1\r\n\(H)\(TE)Content-Length: 4\r\n\r\n0\r\n\r\n", 400),
    invalid("empty TE with CL", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding:\r\nContent-Length: 5\r\n\r\nhello", 400),
    invalid("identity TE with CL", "POST / HTTP/1.1\r\n\(H)Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello", 400),
    invalid("obfuscated second TE with CL",
            "POST / HTTP/1.1\r\n\(H)Content-length: 4\r\n\(TE)Transfer-Encoding: chunked1\r\n\r\n4e\r\nPOST /x HTTP/1.1\r\n\r\n", 400),
    // A misspelled name is just another field: the body is not chunked, so its bytes are the next
    // request line, which fails. Nothing is smuggled through as a request.
    invalid("Transfer_Encoding is not Transfer-Encoding",
            "POST / HTTP/1.1\r\n\(H)Transfer_Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
            after: post([("Transfer_Encoding", "chunked")], .none)),
]
