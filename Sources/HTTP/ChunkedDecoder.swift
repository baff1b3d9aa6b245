/// The chunked transfer coding (RFC 9112 §7.1): size lines with extensions, and trailers.
/// Data and the CRLF after it are handled by the state machine in `RequestParser.step`.
extension RequestParser {
    /// At most 16 hex digits; the value must also stay <= Int.max / 2 so sums never overflow.
    static let maxChunkSizeDigits = 16

    /// `chunk-size [ chunk-ext ]`; returns the size. Extensions are validated and ignored.
    func parseChunkSizeLine(_ line: Range<Int>) throws(HTTPParseError) -> Int {
        let maxExtension = limits.maxChunkExtension
        return try buffer.withUnsafeBufferPointer { (p) throws(HTTPParseError) -> Int in
            let l = UnsafeBufferPointer(rebasing: p[line])
            var i = 0, size = 0
            while i < l.count, let d = HTTPSyntax.hexValue(l[i]) {
                guard i < Self.maxChunkSizeDigits, size <= (Int.max / 2 - d) / 16 else {
                    throw .badRequest("chunk size too large")
                }
                size = size * 16 + d
                i += 1
            }
            guard i > 0 else { throw .badRequest("malformed chunk size") }
            if l.count - i > maxExtension { throw .badRequest("chunk extension too long") }
            try Self.validateChunkExtensions(UnsafeBufferPointer(rebasing: l[i...]))
            return size
        }
    }

    /// `*( BWS ";" BWS ext-name [ BWS "=" BWS ( token / quoted-string ) ] )`.
    static func validateChunkExtensions(_ e: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        var i = 0
        func skipWhitespace() { while i < e.count, HTTPSyntax.isWhitespace(e[i]) { i += 1 } }
        func token() -> Bool {
            let start = i
            while i < e.count, HTTPSyntax.isTokenByte(e[i]) { i += 1 }
            return i > start
        }
        while true {
            if i == e.count { return }
            // BWS is allowed only before ";": `5 ` alone is malformed (as in llhttp's strict mode).
            skipWhitespace()
            guard i < e.count, e[i] == 0x3B /* ; */ else { throw .badRequest("malformed chunk extension") }
            i += 1
            skipWhitespace()
            guard token() else { throw .badRequest("malformed chunk extension") }
            let afterName = i
            skipWhitespace()
            guard i < e.count, e[i] == 0x3D /* = */ else {
                i = afterName // whitespace here is BWS only if another ";" follows
                continue
            }
            i += 1
            skipWhitespace()
            if i < e.count, e[i] == 0x22 /* " */ {
                i += 1
                var closed = false
                while i < e.count {
                    let b = e[i]
                    if b == 0x22 { closed = true; i += 1; break }
                    if b == 0x5C /* \ */ {
                        i += 1
                        guard i < e.count, HTTPSyntax.isFieldValueByte(e[i]) else { break }
                    } else if !HTTPSyntax.isFieldValueByte(b) {
                        break
                    }
                    i += 1
                }
                guard closed else { throw .badRequest("malformed chunk extension") }
            } else {
                guard token() else { throw .badRequest("malformed chunk extension") }
            }
        }
    }

    /// One trailer field. Trailers are kept apart from the header section (`HTTPRequest.trailers`)
    /// and never merged into it. Fields that must not come from a trailer (RFC 9110 §6.5.1: those
    /// that frame, route, authenticate, modify the request, control the response or describe the
    /// content) are discarded and the request is served: by the time the trailers arrive, framing
    /// and routing have been decided from the head, so dropping them leaves nothing for a peer
    /// to read differently, while refusing would turn away valid requests (RFC 9112 §7.1.2 lets a
    /// recipient discard trailer fields). `Vary` and `Content-Type` are among the discarded ones.
    /// A malformed trailer line is still 400: that is a framing error, not a field we dislike.
    mutating func parseTrailerLine(_ line: Range<Int>) throws(HTTPParseError) {
        if trailerFieldCount >= limits.maxHeaderCount {
            throw HTTPParseError(status: 431, reason: "too many trailer fields")
        }
        trailerFieldCount += 1
        let field = try buffer.withUnsafeBufferPointer { (p) throws(HTTPParseError) -> ParsedField in
            try Self.parseField(UnsafeBufferPointer(rebasing: p[line]), recognizeFraming: false)
        }
        if Self.isForbiddenTrailer(field.name) { return }
        trailers.add(field.name, field.value)
    }

    static func isForbiddenTrailer(_ name: String) -> Bool {
        switch name.lowercased() {
        case "content-length", "transfer-encoding", "host", "connection", "keep-alive", "upgrade",
             "te", "trailer", "expect", "content-type", "content-encoding", "content-range",
             "authorization", "proxy-authorization", "cookie", "set-cookie", "range", "max-forwards",
             "cache-control", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since",
             "if-range", "proxy-connection", "vary", "content-location", "location", "retry-after",
             "www-authenticate", "proxy-authenticate", "age", "expires", "date", "pragma", "warning":
            true
        default:
            false
        }
    }
}
