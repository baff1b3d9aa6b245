/// Why a body is not acceptable JSON. `detail` is Dutch, for the 400 problem's `detail`.
package struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Reason: Sendable, Equatable {
        case empty
        case invalidUTF8
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case trailingContent
        case invalidNumber
        case numberOutOfRange
        case invalidEscape
        case invalidUnicodeEscape
        case controlCharacterInString
        case duplicateKey(String)
        case tooDeep(Int)
    }
    package var reason: Reason
    /// Byte offset into the body where the problem was found.
    package var offset: Int

    package var detail: String {
        let what: String
        switch reason {
        case .empty: return "De body is leeg; verwacht een JSON-object."
        case .invalidUTF8: return "De body is geen geldige UTF-8."
        case .unexpectedEnd: what = "de JSON houdt onverwacht op"
        case .unexpectedByte(let b):
            what = (0x21...0x7E).contains(b)
                ? "onverwacht teken '\(Character(Unicode.Scalar(b)))'" : "onverwacht byte 0x\(String(b, radix: 16))"
        case .trailingContent: what = "na de JSON-waarde volgt nog tekst"
        case .invalidNumber: what = "ongeldig getal"
        case .numberOutOfRange: what = "getal buiten bereik"
        case .invalidEscape: what = "ongeldige escape in tekst"
        case .invalidUnicodeEscape: what = "ongeldige \\u-escape (losse surrogaat of geen hexadecimale cijfers)"
        case .controlCharacterInString: what = "stuurteken in tekst moet ge-escaped zijn"
        case .duplicateKey(let k): what = "veld \"\(k)\" komt meer dan eens voor"
        case .tooDeep(let limit): what = "te diep genest (ten hoogste \(limit) niveaus)"
        }
        return "Ongeldige JSON op positie \(offset): \(what)."
    }

    package var description: String { detail }
}

extension JSONValue {
    /// Nesting deeper than this is refused, so a hostile body cannot exhaust the stack.
    package static let maxDepth = 64

    /// Parses one JSON text (RFC 8259), strictly: only the four JSON whitespace bytes, no trailing
    /// commas, comments, NaN, leading zeros or unescaped control characters; lone surrogates and
    /// invalid UTF-8 refused; duplicate member names refused (their meaning is undefined, and a
    /// validator and a later reader could otherwise see different values). A leading UTF-8 byte
    /// order mark is skipped, because some Windows tools add one.
    package static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    package static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var i = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ reason: JSONParseError.Reason) -> JSONParseError { JSONParseError(reason: reason, offset: i) }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        // Validate UTF-8 once up front; strings can then be decoded without further checks.
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw JSONParseError(reason: .invalidUTF8, offset: 0)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        skipWhitespace()
        guard i < bytes.count else { throw fail(.empty) }
        let value = try parseValue()
        skipWhitespace()
        guard i == bytes.count else { throw fail(.trailingContent) }
        return value
    }

    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard i < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail(.unexpectedByte(bytes[i]))
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail(.unexpectedEnd) }
        let ok = word.withUTF8Buffer { w in bytes[i..<(i + n)].elementsEqual(w) }
        guard ok else { throw fail(.unexpectedByte(bytes[i])) }
        i += n
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= JSONValue.maxDepth else { throw fail(.tooDeep(JSONValue.maxDepth)) }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1  // {
        var members: [(String, JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard i < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[i] == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(bytes[i])) }
            let keyOffset = i
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw JSONParseError(reason: .duplicateKey(key), offset: keyOffset)
            }
            skipWhitespace()
            guard i < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[i] == UInt8(ascii: ":") else { throw fail(.unexpectedByte(bytes[i])) }
            i += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            guard i < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[i] {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"): i += 1; return .object(members)
            default: throw fail(.unexpectedByte(bytes[i]))
            }
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard i < bytes.count else { throw fail(.unexpectedEnd) }
            switch bytes[i] {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"): i += 1; return .array(elements)
            default: throw fail(.unexpectedByte(bytes[i]))
            }
        }
    }

    mutating func parseString() throws(JSONParseError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard i < bytes.count else { throw fail(.unexpectedEnd) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                if out.isEmpty { let s = String(decoding: bytes[runStart..<i], as: UTF8.self); i += 1; return s }
                out.append(contentsOf: bytes[runStart..<i])
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw fail(.controlCharacterInString) }
            if b != UInt8(ascii: "\\") { i += 1; continue }
            out.append(contentsOf: bytes[runStart..<i])
            i += 1
            guard i < bytes.count else { throw fail(.unexpectedEnd) }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try parseUnicodeEscape()
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                i -= 1
                throw fail(.invalidEscape)
            }
            runStart = i
        }
    }

    /// After `\u`: four hex digits, and for a high surrogate, the `\uDC00`-`\uDFFF` that must follow.
    mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try hex4()
        if (0xDC00...0xDFFF).contains(first) { throw fail(.invalidUnicodeEscape) }
        if (0xD800...0xDBFF).contains(first) {
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw fail(.invalidUnicodeEscape)
            }
            i += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw fail(.invalidUnicodeEscape) }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw fail(.invalidUnicodeEscape) }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else { throw fail(.invalidUnicodeEscape) }
        return scalar
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw fail(.invalidUnicodeEscape)
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, checked by hand, then converted.
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = i
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw fail(.invalidNumber) }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw fail(.invalidNumber) }
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        var integral = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw fail(.invalidNumber) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw fail(.invalidNumber) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if integral, let value = Int(text) { return .int(value) }
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(reason: .numberOutOfRange, offset: start)
        }
        return .number(value)
    }
}
