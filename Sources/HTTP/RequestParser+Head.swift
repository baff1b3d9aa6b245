/// What is known of a request head while its field lines arrive. Framing facts are extracted
/// as each field is added, so duplicates are judged before they could collapse in a map.
struct PendingHead: Sendable {
    var method = HTTPMethod.get
    var target = ""
    var version = HTTPVersion.http1_1
    var headers = HTTPHeaders()
    /// Bytes of the field lines so far, terminators included.
    var headerBytes = 0
    var leadingEmptyLines = 0
    var contentLength: Int?
    /// Transfer codings in order, lowercased, across every Transfer-Encoding field.
    var transferCodings: [String] = []
    var sawTransferEncoding = false
    var hostCount = 0
}

/// The request line and header fields (RFC 9112 §3, §5) and the framing decision (§6.3).
extension RequestParser {
    /// `method SP request-target SP HTTP-version`, exactly one SP between the parts.
    mutating func parseRequestLine(_ line: Range<Int>) throws(HTTPParseError) {
        let (method, target, version) = try buffer.withUnsafeBufferPointer {
            (p) throws(HTTPParseError) -> (String, String, HTTPVersion) in
            let l = UnsafeBufferPointer(rebasing: p[line])
            var i = 0
            while i < l.count, HTTPSyntax.isTokenByte(l[i]) { i += 1 }
            guard i > 0, i < l.count, l[i] == HTTPSyntax.sp else { throw .badRequest("malformed method") }
            let method = HTTPSyntax.ascii(UnsafeBufferPointer(rebasing: l[0..<i]))
            i += 1
            let targetStart = i
            // Visible ASCII only: CTLs, SP and bytes >= 0x80 must arrive percent-encoded.
            while i < l.count, l[i] > 0x20, l[i] < 0x7F { i += 1 }
            guard i > targetStart, i < l.count, l[i] == HTTPSyntax.sp else {
                throw .badRequest("malformed request target")
            }
            let target = HTTPSyntax.ascii(UnsafeBufferPointer(rebasing: l[targetStart..<i]))
            i += 1
            let version = try Self.parseVersion(UnsafeBufferPointer(rebasing: l[i...]))
            return (method, target, version)
        }
        pending.headers.reserveCapacity(16)
        pending.method = HTTPMethod(method)
        pending.target = target
        pending.version = version
    }

    /// `HTTP/DIGIT.DIGIT`, case-sensitive (RFC 9112 §2.3). HTTP/1.x with x > 1 is served with
    /// HTTP/1.1 semantics (RFC 9110 §6.2: a recipient treats a higher minor version as the highest
    /// it supports) and reported as 1.1; any other major version is 505.
    static func parseVersion(_ v: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard v.count == 8, v[0] == 0x48, v[1] == 0x54, v[2] == 0x54, v[3] == 0x50, v[4] == 0x2F,
              HTTPSyntax.isDigit(v[5]), v[6] == 0x2E, HTTPSyntax.isDigit(v[7]) else {
            throw .badRequest("malformed HTTP version")
        }
        let major = Int(v[5] - 0x30), minor = Int(v[7] - 0x30)
        guard major == 1 else { throw HTTPParseError(status: 505, reason: "unsupported HTTP version") }
        return minor == 0 ? .http1_0 : .http1_1
    }

    /// One field line `name ":" OWS value OWS` of the header section.
    mutating func parseHeaderLine(_ line: Range<Int>) throws(HTTPParseError) {
        if pending.headers.count >= limits.maxHeaderCount {
            throw HTTPParseError(status: 431, reason: "too many header fields")
        }
        let field = try buffer.withUnsafeBufferPointer { (p) throws(HTTPParseError) -> ParsedField in
            try Self.parseField(UnsafeBufferPointer(rebasing: p[line]))
        }
        switch field.kind {
        case .contentLength(let n):
            if let seen = pending.contentLength, seen != n { throw .badRequest("differing Content-Length values") }
            pending.contentLength = n
        case .transferEncoding(let codings):
            pending.sawTransferEncoding = true
            pending.transferCodings.append(contentsOf: codings)
        case .host:
            pending.hostCount += 1
        case .other:
            break
        }
        pending.headers.add(field.name, field.value)
    }

    struct ParsedField {
        enum Kind { case contentLength(Int), transferEncoding([String]), host, other }
        var name: String
        var value: String
        var kind: Kind
    }

    /// Splits and checks a field line; recognizes the fields that decide framing and validates
    /// their syntax on the spot.
    /// With `recognizeFraming` false (trailers) every field is `.other`: Host, Content-Length and
    /// Transfer-Encoding are not validated there, only discarded.
    static func parseField(_ l: UnsafeBufferPointer<UInt8>, recognizeFraming: Bool = true) throws(HTTPParseError) -> ParsedField {
        if let first = l.first, HTTPSyntax.isWhitespace(first) {
            throw .badRequest("obsolete line folding or leading whitespace")
        }
        var colon = 0
        while colon < l.count, HTTPSyntax.isTokenByte(l[colon]) { colon += 1 }
        guard colon > 0, colon < l.count, l[colon] == 0x3A else {
            // Includes whitespace between name and colon (RFC 9112 §5.1: MUST reject).
            throw .badRequest("malformed header field name")
        }
        let nameBytes = UnsafeBufferPointer(rebasing: l[0..<colon])
        let valueBytes = HTTPSyntax.trimOWS(UnsafeBufferPointer(rebasing: l[(colon + 1)...]))
        let scan = HTTPSyntax.scanFieldValue(valueBytes)
        guard scan.valid else { throw .badRequest("invalid byte in header field value") }
        var kind = ParsedField.Kind.other
        switch recognizeFraming ? colon : 0 {
        case 4 where HTTPSyntax.equalsLowercased(nameBytes, "host"):
            guard HTTPSyntax.isValidHost(valueBytes) else { throw .badRequest("invalid Host") }
            kind = .host
        case 14 where HTTPSyntax.equalsLowercased(nameBytes, "content-length"):
            kind = .contentLength(try parseContentLength(valueBytes))
        case 17 where HTTPSyntax.equalsLowercased(nameBytes, "transfer-encoding"):
            kind = .transferEncoding(try parseTransferCodings(valueBytes))
        default:
            break
        }
        return ParsedField(name: HTTPSyntax.ascii(nameBytes), value: HTTPSyntax.fieldValue(valueBytes, ascii: scan.ascii), kind: kind)
    }

    /// Content-Length = 1*DIGIT, or a comma list of identical values (RFC 9112 §6.3 item 5 lets a
    /// recipient accept `5, 5`). No sign, no inner spaces, no empty element, at most 18 digits so
    /// the value fits in Int without overflow checks.
    static func parseContentLength(_ v: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        var result: Int?
        var i = 0
        while true {
            while i < v.count, HTTPSyntax.isWhitespace(v[i]) { i += 1 }
            var value = 0, digits = 0
            while i < v.count, HTTPSyntax.isDigit(v[i]) {
                digits += 1
                if digits > 18 { throw .badRequest("Content-Length too large") }
                value = value * 10 + Int(v[i] - 0x30)
                i += 1
            }
            guard digits > 0 else { throw .badRequest("malformed Content-Length") }
            if let result, result != value { throw .badRequest("differing Content-Length values") }
            result = value
            while i < v.count, HTTPSyntax.isWhitespace(v[i]) { i += 1 }
            if i == v.count { return value }
            guard v[i] == 0x2C /* , */ else { throw .badRequest("malformed Content-Length") }
            i += 1
        }
    }

    /// The transfer codings of one Transfer-Encoding field, lowercased. Grammar (RFC 9110 §5.6.1,
    /// RFC 9112 §7): `#( token *( OWS ";" OWS token "=" ( token / quoted-string ) ) )`.
    /// Empty list elements (`chunked , `) are ignored as RFC 9110 §5.6.1 requires; OWS around
    /// elements is trimmed (so `chunked<HTAB>` at the end of the field is plain `chunked`).
    /// Anything else that is not a token (quotes, `chunked x`, VT, obs-text) is 400. Parameters
    /// are kept in the coding's name (`chunked;x=1`), which then matches no known coding.
    static func parseTransferCodings(_ v: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> [String] {
        var codings: [String] = []
        var start = 0
        var i = 0
        while i <= v.count {
            if i == v.count || v[i] == 0x2C {
                let element = HTTPSyntax.trimOWS(UnsafeBufferPointer(rebasing: v[start..<i]))
                if !element.isEmpty {
                    for b in element where !HTTPSyntax.isTokenByte(b) && b != 0x3B && b != 0x3D {
                        throw .badRequest("malformed Transfer-Encoding")
                    }
                    guard HTTPSyntax.isTokenByte(element[0]) else { throw .badRequest("malformed Transfer-Encoding") }
                    codings.append(HTTPSyntax.ascii(element).lowercased())
                }
                start = i + 1
            }
            i += 1
        }
        return codings
    }

    /// Decides framing (RFC 9112 §6.1, §6.3) and checks Host (§3.2) once the head is complete.
    mutating func finishHead() throws(HTTPParseError) -> RequestHead {
        let p = pending
        if p.version == .http1_1 {
            guard p.hostCount == 1 else {
                throw .badRequest(p.hostCount == 0 ? "missing Host" : "more than one Host")
            }
        } else if p.hostCount > 1 {
            throw .badRequest("more than one Host")
        }
        let framing: BodyFraming
        if p.sawTransferEncoding {
            if p.contentLength != nil { throw .badRequest("both Content-Length and Transfer-Encoding") }
            if p.version == .http1_0 { throw .badRequest("Transfer-Encoding on HTTP/1.0") }
            let chunkedCount = p.transferCodings.count { $0 == "chunked" }
            if chunkedCount > 1 { throw .badRequest("chunked applied more than once") }
            guard p.transferCodings.last == "chunked" else {
                throw .badRequest("final transfer coding is not chunked")
            }
            if p.transferCodings.count > 1 {
                throw HTTPParseError(status: 501, reason: "unsupported transfer coding")
            }
            framing = .chunked
        } else if let n = p.contentLength {
            framing = .contentLength(n)
        } else {
            framing = .none
        }
        return RequestHead(method: p.method, target: p.target, version: p.version,
                           headers: p.headers, framing: framing)
    }
}
