/// A header value of the shape `type; name=value; name="quoted value"`, as in `Content-Type` and
/// `Content-Disposition` (RFC 9110 §5.6.6, RFC 6266 §4.1).
///
/// Parameter names are lowercased; a repeated parameter makes the whole value invalid, because
/// two parsers that pick different copies (first vs. last) are how upload filters get bypassed.
///
/// Inside a quoted string a backslash escapes only `"` and `\`; any other backslash is kept as a
/// literal character. Browsers never backslash-escape (they percent-encode `"` as `%22`), and old
/// Windows browsers send full paths such as `C:\x\a.pdf` unescaped: keeping those backslashes
/// hands the application the filename as the client wrote it.
package struct MIMEParameters: Equatable {
    /// The lowercased leading value (`multipart/form-data`, `form-data`).
    package var value: String
    package var parameters: [(name: String, value: String)]

    package static func == (lhs: MIMEParameters, rhs: MIMEParameters) -> Bool {
        lhs.value == rhs.value && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }

    package subscript(name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// Nil if `text` is malformed: empty leading value, a parameter without `=`, a bad token,
    /// an unterminated quoted string, a control character, or a duplicate parameter.
    package static func parse(_ text: String) -> MIMEParameters? {
        let bytes = Array(text.utf8)
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        func token() -> String? {
            let start = index
            while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }

        skipWhitespace()
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        let leading = String(decoding: bytes[start..<index], as: UTF8.self).trimmingHTTPWhitespace().lowercased()
        guard !leading.isEmpty, leading.utf8.allSatisfy({ isTokenByte($0) || $0 == UInt8(ascii: "/") }) else { return nil }

        var result = MIMEParameters(value: leading, parameters: [])
        while true {
            skipWhitespace()
            guard index < bytes.count else { return result }
            guard bytes[index] == UInt8(ascii: ";") else { return nil }
            index += 1
            skipWhitespace()
            if index == bytes.count { return result } // a trailing `;` is tolerated
            guard let name = token()?.lowercased() else { return nil }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
            index += 1
            skipWhitespace()
            let value: String
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var out: [UInt8] = []
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") { closed = true; index += 1; break }
                    if byte < 0x20 && byte != 0x09 || byte == 0x7F { return nil }
                    if byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
                       bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\") {
                        out.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    out.append(byte)
                    index += 1
                }
                guard closed else { return nil }
                value = String(decoding: out, as: UTF8.self)
            } else {
                guard let plain = token() else { return nil }
                value = plain
            }
            guard result[name] == nil else { return nil }
            result.parameters.append((name, value))
        }
    }
}

extension MIMEParameters {
    /// RFC 9110 tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
