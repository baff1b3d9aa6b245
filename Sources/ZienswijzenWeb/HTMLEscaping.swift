import Mustache

/// HTML escaping that works on UTF-8 bytes, so no character can hide a markup byte.
///
/// swift-mustache's built-in HTML escaping looks characters up per `Character` (an extended
/// grapheme cluster). A `<` preceded by U+0600 (a prepended concatenation mark) or a `"` followed
/// by a combining accent forms one `Character` that matches no entry of its table, and went out
/// raw: a stored `toelichting` could add a `<meta http-equiv=refresh>` to the coordinator's page,
/// and a name could break out of a `value="…"` attribute (the bug class of CVE-2026-27120 in Leaf).
///
/// Here each of `& < > " '` is replaced wherever its byte occurs. In UTF-8 those bytes never occur
/// inside a multi-byte sequence, so every other scalar, combining or not, passes through intact:
/// an HTML parser gives back exactly the text that went in. The output is safe in text content and
/// in quoted attribute values (templates always quote attributes).
package enum HTMLEscaping {
    /// The escaped text. Returns `text` itself when it holds none of the five bytes (the usual case).
    package static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard bytes.contains(where: needsEscape) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "&"): out += Array("&amp;".utf8)
                case UInt8(ascii: "<"): out += Array("&lt;".utf8)
                case UInt8(ascii: ">"): out += Array("&gt;".utf8)
                case UInt8(ascii: "\""): out += Array("&quot;".utf8)
                case UInt8(ascii: "'"): out += Array("&#39;".utf8)
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// The name our content type is registered under in swift-mustache.
    static let contentTypeName = "HTML_BYTES"

    /// The pragma `PageTemplates` puts in front of every template it loads, so that no template,
    /// partial or layout renders with the library's own escaping, whether or not its file says so.
    static let pragma = "{{% CONTENT_TYPE: \(contentTypeName)}}"

    /// Registers the content type with swift-mustache, once per process (a `static let` runs its
    /// initializer exactly once, thread-safely; the registry has its own lock).
    static func register() { _ = registered }

    private static let registered: Bool = {
        MustacheContentTypes.register(ByteEscapedHTML(), named: contentTypeName)
        return true
    }()
}

/// swift-mustache's extension point for escaping, with our byte-wise HTML escaping.
struct ByteEscapedHTML: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }
}
