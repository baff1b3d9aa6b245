import Foundation

/// An address with an optional display name.
package struct MailAddress: Sendable, Equatable {
    package var name: String
    package var address: String

    package init(_ address: String, name: String = "") {
        self.name = name
        self.address = address
    }
}

/// An e-mail as RFC 5322 and MIME (RFC 2045-2047) want it: UTF-8 text in a `multipart/alternative`
/// with a plain-text part and a simple HTML part, both quoted-printable (every line of the message
/// at most 76 characters, CRLF line ends), non-ASCII header text as RFC 2047 encoded-words, a
/// `Message-ID`, and `Auto-Submitted: auto-generated` (RFC 3834) so that out-of-office replies
/// and mail loops stay away. Building it is pure: the same value gives the same bytes.
package struct MailMessage: Sendable, Equatable {
    package var from: MailAddress
    package var to: [MailAddress]
    package var subject: String
    package var date: Date
    /// Without angle brackets: `7f3c…@zienswijzen.example.nl`.
    package var messageID: String
    package var text: String
    package var html: String
    /// The multipart boundary; a value that cannot occur in quoted-printable text (it has `=_`).
    package var boundary: String

    package init(from: MailAddress, to: [MailAddress], subject: String, date: Date, messageID: String,
                 text: String, html: String, boundary: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
        self.html = html
        self.boundary = boundary ?? "=_zw_" + messageID.prefix(while: { $0 != "@" }).filter { $0.isLetter || $0.isNumber }
    }

    /// The message in canonical form (CRLF line ends), as SMTP carries it.
    package func rendered() -> [UInt8] {
        var lines: [String] = []
        lines.append(MailHeaders.fold("From: " + MailHeaders.address(from)))
        lines.append(MailHeaders.fold("To: " + to.map(MailHeaders.address).joined(separator: ", ")))
        lines.append(MailHeaders.encodedHeader("Subject", subject))
        lines.append("Date: " + MailHeaders.date(date))
        lines.append("Message-ID: <\(messageID)>")
        lines.append("MIME-Version: 1.0")
        lines.append("Auto-Submitted: auto-generated")
        lines.append("X-Auto-Response-Suppress: All")
        lines.append("Content-Type: multipart/alternative;")
        lines.append(" boundary=\"\(boundary)\"")
        lines.append("")
        lines.append("Dit is een bericht in MIME-formaat.")
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines.append("")
            lines.append("--" + boundary)
            lines.append("Content-Type: \(type); charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(QuotedPrintable.encode(body))
        }
        lines.append("")
        lines.append("--" + boundary + "--")
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// The envelope recipients (the `To` addresses).
    package var recipients: [String] { to.map(\.address) }
}

/// Header fields: RFC 2047 encoded-words for non-ASCII text, folding, RFC 5322 dates.
package enum MailHeaders {
    /// `name: value`, encoded when `value` is not plain printable ASCII, folded to lines of at
    /// most 76 characters. CR and LF in the value are dropped (no header injection).
    package static func encodedHeader(_ name: String, _ value: String) -> String {
        let clean = value.filter { $0 != "\r" && $0 != "\n" && $0 != "\r\n" }
        if clean.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && !clean.contains("=?") {
            return fold("\(name): \(clean)")
        }
        return "\(name): " + encodedWords(clean).joined(separator: "\r\n ")
    }

    /// RFC 2047 `B` encoded-words (`=?UTF-8?B?…?=`) of at most 36 bytes of text each (60 characters
    /// per word, so a line stays under 76 even after `Subject: `), never splitting a character.
    package static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > 36 {
                words.append(word(chunk))
                chunk = []
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// A mailbox: `addr@example.nl`, `"Name" <addr>` or `=?UTF-8?B?…?= <addr>`.
    package static func address(_ mailbox: MailAddress) -> String {
        let name = mailbox.name.filter { $0 != "\r" && $0 != "\n" && $0 != "\r\n" }
        if name.isEmpty { return mailbox.address }
        if name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(mailbox.address)>"
        }
        return encodedWords(name).joined(separator: " ") + " <\(mailbox.address)>"
    }

    /// Folds an ASCII header line at spaces so no line is longer than 76 characters (a word
    /// longer than that stays whole; RFC 5322 allows up to 998).
    package static func fold(_ line: String) -> String {
        guard line.count > 76 else { return line }
        var out: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count > 76 {
                out.append(current)
                current = " " + word
            } else {
                current += " " + word
            }
        }
        out.append(current)
        return out.joined(separator: "\r\n")
    }

    /// RFC 5322 date in Amsterdam time: `Wed, 25 Nov 2026 09:30:00 +0100`.
    package static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = AmsterdamTime.zone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text: lines end in CRLF; bytes outside printable
/// ASCII, `=`, whitespace before a line end, and a `.` or `From ` at the start of a line (which
/// some mail software treats specially) are escaped; soft line breaks keep every line at most 76
/// characters, and never split an escape.
package enum QuotedPrintable {
    package static func encode(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false)
            .map { encodeLine(Array($0.utf8)) }
            .joined(separator: "\r\n")
    }

    private static let hex: [Character] = Array("0123456789ABCDEF")

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var tokens: [String] = []
        for (index, byte) in bytes.enumerated() {
            let last = index == bytes.count - 1
            let atStart = index == 0
            let fromLine = atStart && bytes.starts(with: Array("From ".utf8))
            let mustEscape = byte == UInt8(ascii: "=") || byte < 0x20 && byte != 0x09 || byte > 0x7E
                || (last && (byte == 0x20 || byte == 0x09))
                || (atStart && byte == UInt8(ascii: ".")) || fromLine
            tokens.append(mustEscape ? "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
                                     : String(UnicodeScalar(byte)))
        }
        var lines: [String] = []
        var current = ""
        for token in tokens {
            // 75 leaves room for the soft break's "=".
            if current.count + token.count > 75 {
                lines.append(current + "=")
                current = ""
            }
            current += token
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }
}
