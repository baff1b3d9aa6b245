/// Percent-decoding over bytes, shared by request targets and urlencoded forms.
///
/// One pass, one decode: `%252e` becomes the three bytes `%2e`, never a dot. Callers decide what
/// the decoded bytes may contain (NUL, slashes, control characters) and validate UTF-8 afterwards,
/// because only the caller knows which of those is dangerous in its context.
enum PercentDecoding {
    enum Failure: Error, Equatable {
        /// `%` not followed by two hex digits.
        case malformedEscape
    }

    /// The value of an ASCII hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// Decodes `%XX` escapes in `bytes`; with `plusIsSpace`, `+` becomes a space (urlencoded forms
    /// only: in a path `+` is an ordinary character).
    static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                guard first != bytes.endIndex else { throw .malformedEscape }
                let second = bytes.index(after: first)
                guard second != bytes.endIndex,
                      let high = hexValue(bytes[first]), let low = hexValue(bytes[second])
                else { throw .malformedEscape }
                out.append(high << 4 | low)
                index = bytes.index(after: second)
                continue
            }
            out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = bytes.index(after: index)
        }
        return out
    }

    /// The bytes as a String if they are valid UTF-8, else nil (never a lossy repair).
    static func utf8String(_ bytes: [UInt8]) -> String? {
        // Decoding repairs invalid sequences with U+FFFD, so a changed byte sequence means invalid.
        // (Portable alternative to `String(validating:)`, which needs macOS 15.)
        let string = String(decoding: bytes, as: UTF8.self)
        return string.utf8.elementsEqual(bytes) ? string : nil
    }
}
