@testable import HTTP

/// The whole-body multipart parser as it was before `MultipartStreamParser` (commit 786c1f2),
/// kept in the tests as the oracle the new implementation is compared with (with one later rule:
/// a close delimiter that is the first one found is refused).
enum ReferenceMultipart {
    static func parse(body: [UInt8], contentType: String,
                              limits: MultipartLimits = MultipartLimits()) throws(MultipartError) -> [MultipartPart] {
        guard let type = MIMEParameters.parse(contentType), type.value == "multipart/form-data" else {
            throw .notMultipartFormData
        }
        guard let boundary = type["boundary"], isValidBoundary(boundary) else { throw .invalidBoundary }
        guard body.count <= limits.maxTotalSize else { throw .bodyTooLarge }

        let dashBoundary = Array("--\(boundary)".utf8)
        let search = ByteSearch([0x0D, 0x0A] + dashBoundary)

        // The first boundary may open the body directly, without the delimiter's CRLF.
        var position: Int
        if body.starts(with: dashBoundary), delimiterEnd(body, dashBoundary.count) != nil {
            position = dashBoundary.count
        } else {
            guard let first = nextDelimiter(body, search, from: 0) else { throw .missingBoundary }
            position = first + search.pattern.count
            // Since 2026-12: a close delimiter cannot open the body (RFC 2046); it means the
            // opening one was garbled, and the parts sent would silently be lost.
            if delimiterEnd(body, position)?.isClose == true { throw .missingBoundary }
        }

        var parts: [MultipartPart] = []
        while true {
            guard let end = delimiterEnd(body, position) else { throw .malformedDelimiter }
            if end.isClose { return parts }
            guard parts.count < limits.maxParts else { throw .tooManyParts }
            let partStart = end.next
            guard let next = nextDelimiter(body, search, from: partStart) else { throw .missingCloseDelimiter }
            parts.append(try part(body[partStart..<next], limits: limits))
            position = next + search.pattern.count
        }
    }

    /// After a boundary at `index`: `--` closes; otherwise optional SP/HTAB padding then CRLF.
    /// Nil when neither follows (so that was not a delimiter).
    private static func delimiterEnd(_ body: [UInt8], _ index: Int) -> (isClose: Bool, next: Int)? {
        if index + 1 < body.count, body[index] == UInt8(ascii: "-"), body[index + 1] == UInt8(ascii: "-") {
            return (true, index + 2)
        }
        var cursor = index
        while cursor < body.count, body[cursor] == 0x20 || body[cursor] == 0x09 { cursor += 1 }
        guard cursor + 1 < body.count, body[cursor] == 0x0D, body[cursor + 1] == 0x0A else { return nil }
        return (false, cursor + 2)
    }

    /// The index of the next real delimiter (`CRLF--boundary` followed by padding+CRLF or `--`).
    private static func nextDelimiter(_ body: [UInt8], _ search: ByteSearch, from start: Int) -> Int? {
        var from = start
        while let found = search.firstIndex(in: body, from: from) {
            if delimiterEnd(body, found + search.pattern.count) != nil { return found }
            from = found + 1
        }
        return nil
    }

    /// RFC 2046 §5.1.1: 1-70 bchars, not ending in a space.
    static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != 0x20 else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            default:
                Array("'()+_,-./:=? ".utf8).contains(byte)
            }
        }
    }

    /// One part: its header section up to the first empty line, then the body.
    private static func part(_ content: ArraySlice<UInt8>, limits: MultipartLimits) throws(MultipartError) -> MultipartPart {
        let headerBytes: ArraySlice<UInt8>
        let partBody: ArraySlice<UInt8>
        if content.starts(with: [0x0D, 0x0A]) {
            headerBytes = []
            partBody = content.dropFirst(2)
        } else {
            let window = content.prefix(limits.maxHeaderBytesPerPart + 4)
            guard let end = firstBlankLine(window) else {
                throw content.count > limits.maxHeaderBytesPerPart ? .headersTooLarge : .malformedHeader
            }
            headerBytes = content[..<end]
            partBody = content[(end + 4)...]
        }
        guard headerBytes.count <= limits.maxHeaderBytesPerPart else { throw .headersTooLarge }
        guard partBody.count <= limits.maxPartSize else { throw .partTooLarge }

        let headers = try parseHeaders(headerBytes, limits: limits)
        let dispositions = headers.values("Content-Disposition")
        guard dispositions.count == 1, let disposition = MIMEParameters.parse(dispositions[0]),
              disposition.value == "form-data", let name = disposition["name"]
        else { throw .invalidContentDisposition }
        guard name.utf8.count <= limits.maxNameLength else { throw .nameTooLong }
        let filename = disposition["filename"]
        if let filename, filename.utf8.count > limits.maxFilenameLength { throw .filenameTooLong }
        return MultipartPart(name: name, filename: filename, contentType: headers["Content-Type"],
                             headers: headers, body: Array(partBody))
    }

    private static func firstBlankLine(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A {
                return index
            }
            index += 1
        }
        return nil
    }

    private static func parseHeaders(_ bytes: ArraySlice<UInt8>, limits: MultipartLimits) throws(MultipartError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        guard !bytes.isEmpty else { return headers }
        var lineStart = bytes.startIndex
        while lineStart <= bytes.endIndex {
            var lineEnd = lineStart
            while lineEnd < bytes.endIndex, bytes[lineEnd] != 0x0D { lineEnd += 1 }
            // Either the end of the section or CRLF; a bare CR or LF anywhere is malformed.
            if lineEnd < bytes.endIndex {
                guard lineEnd + 1 < bytes.endIndex, bytes[lineEnd + 1] == 0x0A else { throw .malformedHeader }
            }
            let line = bytes[lineStart..<lineEnd]
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                  line[line.startIndex..<colon].allSatisfy(MIMEParameters.isTokenByte)
            else { throw .malformedHeader } // also refuses obs-fold (a line starting with SP/HTAB)
            let valueBytes = line[(colon + 1)...]
            guard !valueBytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }),
                  let value = PercentDecoding.utf8String(Array(valueBytes))
            else { throw .malformedHeader }
            guard headers.count < limits.maxHeadersPerPart else { throw .headersTooLarge }
            headers.add(String(decoding: line[line.startIndex..<colon], as: UTF8.self), value.trimmingHTTPWhitespace())
            lineStart = lineEnd + 2
        }
        return headers
    }
}
