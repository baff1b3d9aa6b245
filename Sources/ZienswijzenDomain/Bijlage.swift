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

/// A new attachment, checked (a PDF by its content) and hashed before it is stored.
package struct BijlageUpload: Sendable {
    package var bestandsnaam: String
    package var bytes: [UInt8]
    package var sha256: String

    package init(bestandsnaam: String, bytes: [UInt8], sha256: String) {
        self.bestandsnaam = bestandsnaam
        self.bytes = bytes
        self.sha256 = sha256
    }
}
