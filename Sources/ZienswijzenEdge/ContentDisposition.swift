import Foundation
import HTTP
import ZienswijzenDomain

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266), safe for any name:
/// the quoted fallback holds printable ASCII only (no `"`, `\\` or DEL), and the extended form
/// percent-encodes every UTF-8 byte outside RFC 5987's attr-char.
package func contentDisposition(filename: String) -> String {
    let ascii = String(String.UnicodeScalarView(filename.unicodeScalars.map { scalar -> Unicode.Scalar in
        scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\" ? scalar : "_"
    }))
    var encoded = ""
    for byte in filename.utf8 {
        if attrChar(byte) {
            encoded.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }
    return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
}

/// RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~".
private func attrChar(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default:
        Array("!#$&+-.^_`|~".utf8).contains(byte)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// The file name of a Content-Disposition request header (RFC 6266): `filename*=UTF-8''…` when
/// present and decodable, else `filename`, quoted or not. The header is parsed as a whole (a `;`
/// inside a quoted name is part of the name). Nil when there is none or the header is malformed.
package func dispositionFilename(_ header: String?) -> String? {
    guard let header, let parsed = MIMEParameters.parse(header) else { return nil }
    if let extended = parsed["filename*"], let decoded = decodeExtendedValue(extended) { return decoded }
    return parsed["filename"]
}

/// `UTF-8'lang'percent-encoded` (RFC 8187) to text; nil for another charset or bad encoding.
private func decodeExtendedValue(_ value: String) -> String? {
    let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
    return String(parts[2]).removingPercentEncoding
}
