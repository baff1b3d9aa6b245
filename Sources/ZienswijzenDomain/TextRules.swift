/// Rules for short texts that identify someone or something (names, e-mail addresses), judged per
/// Unicode scalar so that no combining mark or prepended character can hide what is there.
package enum TextRules {
    /// Invisible format characters (general category Cf) that can make a name or file name read
    /// differently from what it is: bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
    /// U+061C), prepended concatenation marks (U+0600–U+0605), the BOM, soft hyphens, tag
    /// characters. Zero-width (non-)joiners are allowed: emoji sequences and some scripts need them.
    /// Names containing these are refused (422); file names have them removed.
    package static func isHiddenFormatCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .format && scalar != "\u{200C}" && scalar != "\u{200D}"
    }

    /// Why a one-line name cannot be stored, or nil when it can. `name` is already trimmed and not
    /// empty; `max` counts Unicode scalars.
    package static func nameProblem(_ name: String, max: Int) -> String? {
        var count = 0
        for scalar in name.unicodeScalars {
            count += 1
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return Reason.lineBreaks }
            if isHiddenFormatCharacter(scalar) { return Reason.formatCharacters }
        }
        return count > max ? Reason.tooLong(max) : nil
    }

    /// A valid e-mail address by the HTML standard's definition (what `<input type=email>`
    /// accepts): ASCII only, `local@domain`, the local part from `a-z A-Z 0-9 .!#$%&'*+/=?^_\`{|}~-`,
    /// the domain dot-separated labels of letters, digits and inner hyphens, each at most 63 long;
    /// and at most 254 characters in all (RFC 5321's deliverable limit). A page never puts such an
    /// address into a `mailto:` URL as it is: see `mailtoURL`.
    package static func isValidEmail(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64, local.allSatisfy(isLocalPartByte) else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard !labels.isEmpty else { return false }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.count), let first = label.first, let last = label.last,
                  isAlphanumeric(first), isAlphanumeric(last) else { return false }
            return label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// A `mailto:` URL for a valid address in which every byte outside RFC 3986's unreserved set
    /// (and the `@`) is percent-encoded, so an address such as `a?cc=b@x.nl` stays one address and
    /// can never add `?cc=`, `&body=` or other header fields to the message a mail program prepares.
    package static func mailtoURL(_ address: String) -> String {
        var out = "mailto:"
        for byte in address.utf8 {
            if isAlphanumeric(byte) || Array("-._~@".utf8).contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isLocalPartByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || Array(".!#$%&'*+/=?^_`{|}~-".utf8).contains(b)
    }
}
