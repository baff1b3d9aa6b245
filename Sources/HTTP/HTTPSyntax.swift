/// Byte classes and small byte-level helpers of the HTTP/1.1 grammar (RFC 9110 §5.6, RFC 9112).
///
/// Everything here works on bytes, never on `String`/`Character`: a grapheme-aware comparison
/// would merge "\r\n" into one Character and let bytes slip past the checks.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09

    /// `tchar` of RFC 9110 §5.6.2 as a 128-bit mask (bits 0-63 and 64-127), so a lookup is a shift
    /// and no global table needs lazy initialization.
    @inline(__always)
    static func isTokenByte(_ b: UInt8) -> Bool {
        if b < 64 { return (0x03FF_6CFA_0000_0000 as UInt64) >> b & 1 == 1 }
        if b < 128 { return (0x57FF_FFFF_C7FF_FFFE as UInt64) >> (b &- 64) & 1 == 1 }
        return false
    }

    /// The characters of a URI `reg-name` besides `%` (RFC 3986: unreserved / sub-delims).
    @inline(__always)
    static func isRegNameByte(_ b: UInt8) -> Bool {
        if b < 64 { return (0x2BFF_7FD2_0000_0000 as UInt64) >> b & 1 == 1 }
        if b < 128 { return (0x47FF_FFFE_87FF_FFFE as UInt64) >> (b &- 64) & 1 == 1 }
        return false
    }

    /// A byte allowed inside a field value: HTAB, SP, VCHAR and obs-text. Everything else (NUL,
    /// CR, LF, the other controls, DEL) is refused, because some peer would read it differently.
    @inline(__always)
    static func isFieldValueByte(_ b: UInt8) -> Bool {
        (b >= 0x20 && b != 0x7F) || b == htab
    }

    /// Checks a whole field value at once, eight bytes per step: whether every byte passes
    /// `isFieldValueByte`, and whether all are ASCII (so decoding can skip the UTF-8 check).
    /// A word with a byte below 0x20 or equal to 0x7F is re-checked byte by byte (HTAB is allowed).
    static func scanFieldValue(_ v: UnsafeBufferPointer<UInt8>) -> (valid: Bool, ascii: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        var high: UInt64 = 0
        if let base = v.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= v.count {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                high |= x
                // A byte < 0x20 (classic "has less than" trick; exact for bytes < 0x80, and a
                // byte >= 0x80 cannot trigger it), or a byte equal to 0x7F ("has zero" of x ^ 0x7F..).
                let del = x ^ 0x7F7F_7F7F_7F7F_7F7F
                let suspicious = ((x &- ones &* 0x20) & ~x & highs) | ((del &- ones) & ~del & highs)
                if suspicious != 0 {
                    for j in i..<(i + 8) where !isFieldValueByte(v[j]) { return (false, false) }
                }
                i += 8
            }
        }
        var ascii = high & highs == 0
        while i < v.count {
            let b = v[i]
            if !isFieldValueByte(b) { return (false, false) }
            if b >= 0x80 { ascii = false }
            i += 1
        }
        return (true, ascii)
    }

    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool { b == sp || b == htab }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b - 0x30)
        case 0x41...0x46: Int(b - 0x41 + 10)
        case 0x61...0x66: Int(b - 0x61 + 10)
        default: nil
        }
    }

    /// ASCII case-insensitive comparison of bytes with a lowercase ASCII literal.
    @inline(__always)
    static func equalsLowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        for i in 0..<bytes.count {
            let b = bytes[i], l = lit[i]
            if b == l { continue }
            // Only a letter may differ, and only by case (`l` is lowercase).
            guard l >= 0x61, l <= 0x7A, b | 0x20 == l else { return false }
        }
        return true
    }

    /// Strips leading and trailing SP/HTAB (OWS).
    @inline(__always)
    static func trimOWS(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// ASCII bytes as a String (the caller has checked they are ASCII).
    @inline(__always)
    static func ascii(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A field value as text. Decision: bytes that form valid UTF-8 are read as UTF-8 (what
    /// browsers send for non-ASCII filenames and the like); otherwise every byte maps to the
    /// code point of the same number (ISO-8859-1, the historical charset of obs-text), so no
    /// byte is lost or replaced by U+FFFD and the mapping is reversible.
    static func fieldValue(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String {
        if ascii || isValidUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }

    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Host = uri-host [ ":" port ] (RFC 9110 §7.2), where uri-host is an IP-literal in brackets,
    /// an IPv4 address or a reg-name (which covers IPv4 syntactically). No userinfo (`@`), no
    /// whitespace, no stray `[`. An empty value is allowed (RFC 9112 §3.2, targets without authority).
    static func isValidHost(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = v.count
        if n == 0 { return true }
        if v[0] == 0x5B /* [ */ {
            i = 1
            var sawColon = false
            while i < n, v[i] != 0x5D /* ] */ {
                let b = v[i]
                guard hexValue(b) != nil || b == 0x3A || b == 0x2E else { return false }
                if b == 0x3A { sawColon = true }
                i += 1
            }
            guard i < n, sawColon, i > 1 else { return false }
            i += 1 // past "]"
        } else {
            while i < n, v[i] != 0x3A /* : */ {
                let b = v[i]
                if b == 0x25 /* % */ {
                    guard i + 2 < n, hexValue(v[i + 1]) != nil, hexValue(v[i + 2]) != nil else { return false }
                    i += 3
                    continue
                }
                guard isRegNameByte(b) else { return false }
                i += 1
            }
        }
        if i == n { return true }
        guard v[i] == 0x3A else { return false }
        i += 1
        let portDigits = n - i
        guard portDigits <= 5 else { return false }
        while i < n { guard isDigit(v[i]) else { return false }; i += 1 }
        return true
    }
}
