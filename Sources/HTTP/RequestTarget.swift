/// Why a request-target was refused. Every case is answered with 400 Bad Request.
package enum TargetError: Error, Sendable, Equatable {
    /// Not origin-form (`/...`), absolute-form (`http://host/...`) or `*`.
    case unsupportedForm
    /// A raw byte outside visible ASCII (control character, space, DEL, non-ASCII) or a `#`.
    case invalidCharacter
    /// `%` not followed by two hex digits.
    case malformedEscape
    /// `%00`: a NUL would cut the path short in any C API that sees it.
    case encodedNUL
    /// `%2F`: an encoded slash inside a segment (see `RequestTarget`).
    case encodedSlash
    /// A decoded control character (`%0A`, `%7F`, ...).
    case encodedControlCharacter
    /// The decoded path is not valid UTF-8 (`%FF`, an overlong or truncated sequence).
    case invalidUTF8

    package var status: Int { 400 }
}

/// Turns the request-target as sent into the path the router matches and the raw query.
///
/// Order matters and is the point of this type (HTTP-PITFALLS 22):
/// 1. split off the query at the first `?` (the query stays raw; `FormFields` decodes it);
/// 2. check every raw byte is visible ASCII and not `#` (a fragment is never sent);
/// 3. percent-decode the path exactly once, refusing `%00`, `%2F`, decoded control characters,
///    malformed escapes and invalid UTF-8;
/// 4. only then remove dot segments (RFC 3986 §5.2.4), so `/%2e%2e/etc` is `/etc` and can never
///    climb above `/`, while `%252e%252e` decodes to the literal segment `%2e%2e`, which is no dot.
///
/// Decisions:
/// - `%2F` is refused (400) rather than decoded: a decoded slash would make `/files/a%2Fb` and
///   `/files/a/b` the same string with different meanings, and splitting segments before decoding
///   would leave a `/` inside a path parameter. Nothing in our API needs a slash inside a segment.
/// - Empty segments are kept: `//a` stays `//a` and `/a/` stays `/a/`. The router then matches no
///   route (404) instead of guessing which resource was meant (ADR API-48: no trailing slashes).
/// - Absolute-form (`http://host:port/p?q`, RFC 9112 §3.2.2) keeps only path and query; the
///   authority is left to the connection layer (which should prefer it over `Host`). An empty path
///   becomes `/`.
/// - Asterisk-form `*` is returned as the path `*`, which matches no route; the router answers
///   `OPTIONS *` itself and anything else with `*` is a 400.
/// - `+` in a path is a plus, never a space.
package struct RequestTarget {
    /// Splits and normalizes `raw`; see the type's documentation for the rules.
    package static func parse(_ raw: String) throws(TargetError) -> (path: String, query: String?) {
        if let plain = plainOriginForm(raw) { return plain }
        let bytes = Array(raw.utf8)
        if bytes == [UInt8(ascii: "*")] { return ("*", nil) }
        guard let first = bytes.first else { throw .unsupportedForm }

        for byte in bytes where byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "#") {
            throw .invalidCharacter
        }

        var pathAndQuery: ArraySlice<UInt8>
        if first == UInt8(ascii: "/") {
            pathAndQuery = bytes[...]
        } else if let rest = afterAbsoluteFormAuthority(bytes) {
            pathAndQuery = rest
        } else {
            throw .unsupportedForm
        }

        var query: String?
        if let mark = pathAndQuery.firstIndex(of: UInt8(ascii: "?")) {
            query = String(decoding: pathAndQuery[(mark + 1)...], as: UTF8.self)
            pathAndQuery = pathAndQuery[..<mark]
        }
        if pathAndQuery.isEmpty { pathAndQuery = [UInt8(ascii: "/")] }

        let decoded: [UInt8]
        do {
            decoded = try PercentDecoding.decode(pathAndQuery, plusIsSpace: false)
        } catch {
            throw .malformedEscape
        }
        // Only decoded bytes can be NUL, slash-from-escape or control here (raw ones were refused
        // above), so count the slashes we had before decoding to spot an encoded one.
        let rawSlashes = pathAndQuery.lazy.filter { $0 == UInt8(ascii: "/") }.count
        var decodedSlashes = 0
        for byte in decoded {
            switch byte {
            case 0: throw .encodedNUL
            case 0x01...0x1F, 0x7F: throw .encodedControlCharacter
            case UInt8(ascii: "/"): decodedSlashes += 1
            default: break
            }
        }
        if decodedSlashes != rawSlashes { throw .encodedSlash }
        guard let path = PercentDecoding.utf8String(decoded) else { throw .invalidUTF8 }
        return (removingDotSegments(path), query)
    }

    /// The common case in one pass, with the same result as the full rules: an origin-form target
    /// whose path has no `%` (nothing to decode) and no `/.` (no dot segment), every byte visible
    /// ASCII and no `#`. Nil for anything else, which then takes the full path.
    private static func plainOriginForm(_ raw: String) -> (path: String, query: String?)? {
        let found = raw.utf8.withContiguousStorageIfAvailable { bytes -> (Int, Bool)? in
            guard bytes.first == UInt8(ascii: "/") else { return nil }
            var mark = bytes.count
            var previous: UInt8 = 0
            for (i, byte) in bytes.enumerated() {
                if byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "#") { return nil }
                if mark == bytes.count {
                    if byte == UInt8(ascii: "?") {
                        mark = i
                    } else if byte == UInt8(ascii: "%") || (byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/")) {
                        return nil
                    }
                }
                previous = byte
            }
            return (mark, mark < bytes.count)
        }
        guard let (mark, hasQuery) = found ?? nil else { return nil }
        if !hasQuery { return (raw, nil) }
        let utf8 = raw.utf8
        let cut = utf8.index(utf8.startIndex, offsetBy: mark)
        return (String(raw[..<cut]), String(raw[utf8.index(after: cut)...]))
    }

    /// For `scheme://authority[/path][?query]`, the part from the path on; nil if `bytes` is not
    /// absolute-form with an `http` or `https` scheme.
    private static func afterAbsoluteFormAuthority(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let lowered = bytes.prefix(8).map { $0 | 0x20 }
        let schemeLength: Int
        if lowered.starts(with: Array("http://".utf8)) {
            schemeLength = 7
        } else if lowered.starts(with: Array("https://".utf8)) {
            schemeLength = 8
        } else {
            return nil
        }
        let afterScheme = bytes[schemeLength...]
        let end = afterScheme.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? bytes.endIndex
        guard end > schemeLength else { return nil } // empty authority
        return bytes[end...]
    }

    /// RFC 3986 §5.2.4 over decoded segments of an absolute path (starting with `/`).
    ///
    /// `.` is dropped, `..` drops the segment before it and can never go above the root; a final
    /// `.` or `..` leaves a trailing slash, as the RFC's algorithm does (`/a/b/..` is `/a/`).
    /// Empty segments are kept (see the type's documentation).
    package static func removingDotSegments(_ path: String) -> String {
        let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        // Fast path: no segment is a dot segment (the common case).
        if !segments.contains(where: isDotSegment) { return path }
        var output: [Substring.UTF8View.SubSequence] = []
        let lastIndex = segments.index(before: segments.endIndex)
        for index in segments.indices {
            let segment = segments[index]
            let isLast = index == lastIndex
            if segment.elementsEqual([UInt8(ascii: ".")]) {
                if isLast { output.append(segment[segment.startIndex..<segment.startIndex]) }
            } else if segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append(segment[segment.startIndex..<segment.startIndex]) }
            } else {
                output.append(segment)
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(path.utf8.count)
        for segment in output {
            result.append(UInt8(ascii: "/"))
            result.append(contentsOf: segment)
        }
        if result.isEmpty { result = [UInt8(ascii: "/")] }
        return String(decoding: result, as: UTF8.self)
    }

    private static func isDotSegment(_ segment: some Collection<UInt8>) -> Bool {
        segment.elementsEqual([UInt8(ascii: ".")]) || segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")])
    }
}
