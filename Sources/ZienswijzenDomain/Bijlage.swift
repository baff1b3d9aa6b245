import Foundation

/// An attachment of a version, as listed in it (the bytes are served separately).
package struct Bijlage: Sendable, Equatable {
    package var id: String
    package var bestandsnaam: String
    package var mediatype: String
    /// Size in bytes.
    package var grootte: Int
    /// Lowercase hex SHA-256 of the file's bytes.
    package var sha256: String

    package init(id: String, bestandsnaam: String, mediatype: String, grootte: Int, sha256: String) {
        self.id = id
        self.bestandsnaam = bestandsnaam
        self.mediatype = mediatype
        self.grootte = grootte
        self.sha256 = sha256
    }

    package var json: JSONValue {
        ["id": .string(id), "bestandsnaam": .string(bestandsnaam), "mediatype": .string(mediatype),
         "grootte": .int(grootte), "sha256": .string(sha256)]
    }
}

extension Bijlage {
    /// The largest attachment accepted: 25 MiB.
    package static let maxBytes = 25 * 1024 * 1024
    /// What a PDF file starts with; attachments are judged by their content, not their name.
    package static let pdfMagic: [UInt8] = Array("%PDF-".utf8)
}

/// A new attachment whose bytes are already stored (complete, with their digest checked), ready
/// to be listed by a version.
package struct BijlageUpload: Sendable, Equatable {
    package var bestandsnaam: String
    /// The id of the stored content, which becomes the attachment's id.
    package var inhoudID: String
    package var grootte: Int
    package var sha256: String

    package init(bestandsnaam: String, inhoudID: String, grootte: Int, sha256: String) {
        self.bestandsnaam = bestandsnaam
        self.inhoudID = inhoudID
        self.grootte = grootte
        self.sha256 = sha256
    }
}

/// The last path component of a client's file name, judged per Unicode scalar: without control
/// characters, format characters (bidi controls such as U+202E could make `gpj.exe` read as
/// `exe.jpg`; see `TextRules.isHiddenFormatCharacter`), quotes, markup or path separators, at most
/// 120 scalars, ending in `.pdf`. Never empty.
package func sanitizedFilename(_ raw: String) -> String {
    let scalars = raw.unicodeScalars
    let afterSeparator = scalars.lastIndex { $0 == "/" || $0 == "\\" }.map { scalars.index(after: $0) } ?? scalars.startIndex
    let forbidden: Set<Unicode.Scalar> = ["\"", "<", ">", ":", "|", "?", "*", ";", "\u{7F}"]
    var kept: [Unicode.Scalar] = scalars[afterSeparator...].filter { scalar in
        scalar.value >= 0x20 && !(0x80..<0xA0).contains(scalar.value) && !forbidden.contains(scalar)
            && !TextRules.isHiddenFormatCharacter(scalar)
    }
    let trimmable: (Unicode.Scalar) -> Bool = { $0 == "." || $0.properties.isWhitespace }
    while let first = kept.first, trimmable(first) { kept.removeFirst() }
    while let last = kept.last, trimmable(last) { kept.removeLast() }
    if kept.count > 120 { kept = Array(kept.prefix(116)) }
    var name = String(String.UnicodeScalarView(kept))
    if name.isEmpty { name = "bijlage" }
    if !name.lowercased().hasSuffix(".pdf") { name += ".pdf" }
    return name
}
