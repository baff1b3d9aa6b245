/// What the connection sends for one response: the head bytes, the body bytes (or a stream to
/// run), and whether the connection stays open afterwards.
struct ResponsePlan {
    var status: Int
    var head: [UInt8]
    var body: [UInt8]
    /// Run the `.stream` producer and frame its pieces (chunked when `chunked`, raw otherwise).
    var stream: (@Sendable (_ write: (ArraySlice<UInt8>) throws -> Void) throws -> Void)?
    /// Pull pieces from this source (framed chunked when `chunked`, else raw: Content-Length
    /// `pullLength`, or close-delimited when that is nil).
    var pull: (any ResponseChunkSource)?
    var pullLength: Int?
    var chunked: Bool
    var keepAlive: Bool
    /// Header fields the handler set that were unsafe to send (names only, for the log).
    var droppedHeaders: [String]
}

/// Turns an `HTTPResponse` into bytes, owning every framing rule (RFC 9110 §6, RFC 9112 §6-9):
/// Content-Length vs chunked vs close-delimited, no body for HEAD/1xx/204/304, `Connection`
/// semantics for 1.0 and 1.1, `Date` on every response, and refusing to emit a header that could
/// split the response.
enum ResponseSerializer {
    /// Fields the serializer owns; a handler's values for them are replaced.
    private static let owned = ["content-length", "transfer-encoding", "connection", "date", "keep-alive"]

    /// Whether the request allows keeping the connection (RFC 9112 §9.3).
    static func requestAllowsKeepAlive(_ head: RequestHead) -> Bool {
        let tokens = head.headers.tokens("Connection")
        if head.version == .http1_1 { return !tokens.contains("close") }
        if head.version == .http1_0 { return tokens.contains("keep-alive") }
        return false
    }

    static func plan(_ response: HTTPResponse, for request: RequestHead, forceClose: Bool, date: [UInt8]) -> ResponsePlan {
        var status = response.status
        var body = response.body
        if !(200...999).contains(status) {
            // A handler must not send an interim (1xx) or nonsense status as its final answer.
            status = 500
            body = .empty
        }
        let isHead = request.method == .head
        let bodyForbidden = status == 204 || status == 304
        var keepAlive = requestAllowsKeepAlive(request) && !forceClose
            && !response.headers.tokens("Connection").contains("close")

        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &out)
        out.append(0x20)
        out.append(contentsOf: HTTPStatus.reason(status).utf8)
        out.append(contentsOf: crlf)
        var dropped: [String] = []
        for field in response.headers {
            if isOwned(field.name) { continue }
            guard isToken(field.name), isSafeFieldValue(field.value) else {
                dropped.append(AccessLog.escape(field.name, limit: 40))
                continue
            }
            out.append(contentsOf: field.name.utf8)
            out.append(0x3A)
            out.append(0x20)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: crlf)

        var bytes: [UInt8] = []
        var stream: ResponsePlan.Stream? = nil
        var pull: (any ResponseChunkSource)? = nil
        var pullLength: Int? = nil
        var chunked = false
        switch body {
        case .bytes(let b):
            if status != 204 {
                // 304 carries no body; its Content-Length would describe the representation, which
                // we don't know, so it is left out (RFC 9110 §8.6).
                if status != 304 {
                    out.append(contentsOf: "Content-Length: ".utf8)
                    appendDecimal(b.count, to: &out)
                    out.append(contentsOf: crlf)
                }
            }
            if !isHead && !bodyForbidden { bytes = b }
        case .stream(let producer):
            if bodyForbidden {
                if status == 304 { break }
            } else if request.version == .http1_1 {
                out += Array("Transfer-Encoding: chunked\r\n".utf8)
                chunked = true
                if !isHead { stream = producer }
            } else if !isHead {
                // HTTP/1.0 has no chunked coding: the end of the body is the end of the connection.
                keepAlive = false
                stream = producer
            }
        case .pull(let length, let source):
            if bodyForbidden {
                if status == 304 { break }
            } else if let length {
                out += Array("Content-Length: \(max(0, length))\r\n".utf8)
                if !isHead && length > 0 {
                    pull = source
                    pullLength = length
                }
            } else if request.version == .http1_1 {
                out += Array("Transfer-Encoding: chunked\r\n".utf8)
                chunked = true
                if !isHead { pull = source }
            } else if !isHead {
                keepAlive = false
                pull = source
            }
        }
        if !keepAlive {
            out += Array("Connection: close\r\n".utf8)
        } else if request.version == .http1_0 {
            out += Array("Connection: keep-alive\r\n".utf8)
        }
        out += [0x0D, 0x0A]
        return ResponsePlan(status: status, head: out, body: bytes, stream: stream, pull: pull, pullLength: pullLength,
                            chunked: chunked, keepAlive: keepAlive, droppedHeaders: dropped)
    }

    /// The smallest valid answer to a request we could not (or would not) read: status line,
    /// Date, empty body, and `Connection: close`.
    static func minimal(status: Int, date: [UInt8]) -> [UInt8] {
        Array("HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\nDate: ".utf8) + date
            + Array("\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
    }

    static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// `size-in-hex CRLF` before a chunk's data (the data is followed by CRLF).
    static func chunkHeader(_ size: Int) -> [UInt8] {
        Array(String(size, radix: 16).utf8) + [0x0D, 0x0A]
    }

    static let crlf: [UInt8] = [0x0D, 0x0A]
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Whether the serializer owns the field `name` (`owned`), judged by length first.
    private static func isOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4, 10, 14, 17: owned.contains { asciiCaseInsensitiveEquals($0, name) }
        default: false
        }
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        guard value > 0 else {
            out.append(UInt8(ascii: "0"))
            return
        }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }

    /// RFC 9110 §5.6.2 token: one or more tchar.
    static func isToken(_ s: String) -> Bool {
        guard !s.utf8.isEmpty else { return false }
        return s.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isTChar) } ?? s.utf8.allSatisfy(isTChar)
    }

    /// tchar as two 64-bit masks (bytes 0-63 and 64-127): ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``.
    /// Literals, so reading them costs no lazy initialization (HeaderCharacterTests checks
    /// them against the list).
    static let tcharLow: UInt64 = 0x03FF_6CFA_0000_0000
    static let tcharHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    private static func isTChar(_ c: UInt8) -> Bool {
        c < 64 ? (tcharLow >> UInt64(c)) & 1 == 1 : c < 128 && (tcharHigh >> UInt64(c - 64)) & 1 == 1
    }

    /// A field value must not contain CR, LF, NUL or other controls (HTAB allowed): any of them
    /// could end the header early and let text become a new field or a new response.
    static func isSafeFieldValue(_ s: String) -> Bool {
        let safe: (UInt8) -> Bool = { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
        return s.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(safe) } ?? s.utf8.allSatisfy(safe)
    }
}

extension ResponsePlan {
    typealias Stream = @Sendable (_ write: (ArraySlice<UInt8>) throws -> Void) throws -> Void
}
