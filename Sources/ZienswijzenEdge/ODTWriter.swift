import Foundation
import ZIPFoundation

/// A minimal OpenDocument text package (ODF 1.2), built in memory: `mimetype` first and stored
/// uncompressed (so `file` and office suites recognise it by its first bytes), then
/// `META-INF/manifest.xml`, `content.xml` and `styles.xml`, deflated.
package enum ODTPackage {
    package static let mediaType = "application/vnd.oasis.opendocument.text"

    /// The ZIP bytes of a document whose `office:text` body is `body` (XML made with `ODTText`).
    package static func make(body: String, automaticStyles: String = "", modified: Date) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        try add(archive, "mimetype", Array(mediaType.utf8), compressed: false, modified: modified)
        try add(archive, "META-INF/manifest.xml", Array(manifest.utf8), compressed: true, modified: modified)
        try add(archive, "content.xml", Array(content(body: body, automaticStyles: automaticStyles).utf8), compressed: true, modified: modified)
        try add(archive, "styles.xml", Array(styles.utf8), compressed: true, modified: modified)
        guard let data = archive.data else { throw ODTError.noData }
        return Array(data)
    }

    package enum ODTError: Error { case noData }

    private static func add(_ archive: Archive, _ path: String, _ bytes: [UInt8], compressed: Bool, modified: Date) throws {
        let data = Data(bytes)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: modified,
                             compressionMethod: compressed ? .deflate : .none) { position, size in
            data.subdata(in: Int(position)..<min(data.count, Int(position) + size))
        }
    }

    private static let namespaces = """
        xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
        xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
        xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
        xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
        xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"
        """

    private static let manifest = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
         <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="\(mediaType)"/>
         <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
         <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
        </manifest:manifest>
        """

    private static func content(body: String, automaticStyles: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content \(namespaces)>
        <office:automatic-styles>\(automaticStyles)</office:automatic-styles>
        <office:body><office:text>\(body)</office:text></office:body>
        </office:document-content>
        """
    }

    private static let styles = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-styles \(namespaces)>
        <office:styles>
         <style:default-style style:family="paragraph">
          <style:paragraph-properties fo:margin-bottom="0.2cm"/>
          <style:text-properties style:font-name="Liberation Sans" fo:font-family="'Liberation Sans'" fo:font-size="11pt" fo:language="nl" fo:country="NL"/>
         </style:default-style>
         <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
         <style:style style:name="Title" style:family="paragraph" style:class="chapter">
          <style:text-properties fo:font-size="20pt" fo:font-weight="bold"/>
         </style:style>
         <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1" style:class="text">
          <style:paragraph-properties fo:margin-top="0.5cm" fo:keep-with-next="always"/>
          <style:text-properties fo:font-size="16pt" fo:font-weight="bold"/>
         </style:style>
         <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2" style:class="text">
          <style:paragraph-properties fo:margin-top="0.4cm" fo:keep-with-next="always"/>
          <style:text-properties fo:font-size="13pt" fo:font-weight="bold"/>
         </style:style>
         <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:default-outline-level="3" style:class="text">
          <style:paragraph-properties fo:margin-top="0.3cm" fo:keep-with-next="always"/>
          <style:text-properties fo:font-size="11pt" fo:font-weight="bold"/>
         </style:style>
         <style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph">
          <style:text-properties fo:font-weight="bold"/>
         </style:style>
        </office:styles>
        </office:document-styles>
        """
}

/// Text for ODF XML: escaped per Unicode scalar, with the characters XML 1.0 forbids dropped
/// (controls other than tab and line breaks, U+FFFE, U+FFFF), line breaks as `<text:line-break/>`
/// and tabs as `<text:tab/>`, so any text a person typed lands in the document as typed.
package enum ODTText {
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "<text:line-break/>"
            case "\n": if !previousCR { out += "<text:line-break/>" }
            case "\t": out += "<text:tab/>"
            default:
                if isAllowed(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// XML 1.0's Char production (Swift strings hold no surrogates).
    package static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v == 0x9 || v == 0xA || v == 0xD || (0x20...0xFFFD).contains(v) && !(0xD800...0xDFFF).contains(v) || v >= 0x10000
    }

    package static func paragraph(_ text: String, style: String = "Standard") -> String {
        "<text:p text:style-name=\"\(style)\">\(escape(text))</text:p>"
    }

    package static func heading(_ text: String, level: Int) -> String {
        "<text:h text:style-name=\"Heading_20_\(level)\" text:outline-level=\"\(level)\">\(escape(text))</text:h>"
    }

    /// A paragraph of a bold label and a text.
    package static func labelled(_ label: String, _ text: String) -> String {
        "<text:p text:style-name=\"Standard\"><text:span text:style-name=\"Vet\">\(escape(label))</text:span> \(escape(text))</text:p>"
    }

    /// The automatic styles `labelled` and `table` use.
    package static let automaticStyles = """
        <style:style style:name="Vet" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
        <style:style style:name="Tabel" style:family="table"><style:table-properties style:width="16cm" table:align="left"/></style:style>
        <style:style style:name="Cel" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>
        """

    /// A table with a header row.
    package static func table(name: String, header: [String], rows: [[String]]) -> String {
        var out = "<table:table table:name=\"\(escape(name))\" table:style-name=\"Tabel\">"
        out += "<table:table-column table:number-columns-repeated=\"\(header.count)\"/>"
        out += "<table:table-header-rows><table:table-row>"
        for cell in header {
            out += "<table:table-cell table:style-name=\"Cel\" office:value-type=\"string\">\(paragraph(cell, style: "Table_20_Heading"))</table:table-cell>"
        }
        out += "</table:table-row></table:table-header-rows>"
        for row in rows {
            out += "<table:table-row>"
            for cell in row {
                out += "<table:table-cell table:style-name=\"Cel\" office:value-type=\"string\">\(paragraph(cell))</table:table-cell>"
            }
            out += "</table:table-row>"
        }
        return out + "</table:table>"
    }
}
