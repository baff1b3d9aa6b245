/// Limits for `multipart/form-data`, checked while parsing.
package struct MultipartLimits: Sendable, Equatable {
    package var maxParts: Int = 100
    /// Largest header section of one part, CRLFs included.
    package var maxHeaderBytesPerPart: Int = 8 * 1024
    package var maxHeadersPerPart: Int = 16
    /// Longest field name, in UTF-8 bytes.
    package var maxNameLength: Int = 256
    /// Longest filename as sent, in UTF-8 bytes.
    package var maxFilenameLength: Int = 1024
    /// Largest body of one part.
    package var maxPartSize: Int = 10 * 1024 * 1024
    /// Largest whole multipart body (the route's body limit should already be at most this).
    package var maxTotalSize: Int = 20 * 1024 * 1024

    package init() {}
}

/// Why a multipart body was refused: 415 for a wrong media type, 413 for the size limits,
/// 400 for everything malformed.
package enum MultipartError: Error, Sendable, Equatable {
    case notMultipartFormData
    case invalidBoundary
    /// The body does not contain the first boundary at all.
    case missingBoundary
    /// The body ends before the close delimiter `--boundary--`.
    case missingCloseDelimiter
    /// A delimiter line is not followed by CRLF or `--`.
    case malformedDelimiter
    case tooManyParts
    case partTooLarge
    case bodyTooLarge
    case headersTooLarge
    /// A part header line is not `Name: value` (no folding, no bare CR/LF, no NUL, valid UTF-8).
    case malformedHeader
    /// Missing, repeated or not `form-data; name="..."`.
    case invalidContentDisposition
    case nameTooLong
    case filenameTooLong

    package var status: Int {
        switch self {
        case .notMultipartFormData: 415
        case .tooManyParts, .partTooLarge, .bodyTooLarge, .headersTooLarge: 413
        default: 400
        }
    }
}

/// One part of a `multipart/form-data` body (RFC 7578).
///
/// `filename` is exactly what the client sent (`C:\x\a.pdf`, `../../a.pdf`): sanitizing it is
/// the application's job, which knows what it will do with the name. `filename*` (RFC 5987) is
/// ignored, as RFC 7578 §4.2 forbids senders to use it. The body bytes are exact: NUL and CRLF
/// inside a file survive.
package struct MultipartPart: Sendable, Equatable {
    package var name: String
    package var filename: String?
    /// The part's `Content-Type`, nil when absent (RFC 7578 §4.4: then `text/plain`).
    package var contentType: String?
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(name: String, filename: String? = nil, contentType: String? = nil,
                 headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// The body as text, if valid UTF-8 (for ordinary form fields).
    package var text: String? { PercentDecoding.utf8String(body) }
}

/// The `multipart/form-data` parser for a body in memory (RFC 7578 over RFC 2046 §5.1.1).
///
/// It runs `MultipartStreamParser` over the whole body in one feed and collects the parts; see
/// there for the rules (preamble and epilogue ignored, a `CRLF--boundary` not followed by `--` or
/// padding+CRLF is content, the part's header section ends at the first empty line). For bodies
/// that may be large or spooled, use `MultipartStreamParser` directly with a `BodyReader`.
package enum Multipart {
    package static func parse(body: [UInt8], contentType: String,
                              limits: MultipartLimits = MultipartLimits()) throws(MultipartError) -> [MultipartPart] {
        var parser = try MultipartStreamParser(contentType: contentType, limits: limits)
        guard body.count <= limits.maxTotalSize else { throw .bodyTooLarge }
        parser.feed(body)
        parser.finish()
        var parts: [MultipartPart] = []
        var current: MultipartPart?
        while let event = try parser.next() {
            switch event {
            case .part(let name, let filename, let contentType, let headers):
                current = MultipartPart(name: name, filename: filename, contentType: contentType, headers: headers, body: [])
            case .data(let bytes):
                current?.body += bytes
            case .partEnd:
                if let part = current { parts.append(part) }
                current = nil
            case .end:
                return parts
            }
        }
        // `finish()` was called: the parser either ended or threw.
        throw .missingCloseDelimiter
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

    /// The part's name and filename from its single `Content-Disposition: form-data; name=...`.
    static func disposition(_ headers: HTTPHeaders, limits: MultipartLimits) throws(MultipartError) -> (name: String, filename: String?) {
        let dispositions = headers.values("Content-Disposition")
        guard dispositions.count == 1, let disposition = MIMEParameters.parse(dispositions[0]),
              disposition.value == "form-data", let name = disposition["name"]
        else { throw .invalidContentDisposition }
        guard name.utf8.count <= limits.maxNameLength else { throw .nameTooLong }
        let filename = disposition["filename"]
        if let filename, filename.utf8.count > limits.maxFilenameLength { throw .filenameTooLong }
        return (name, filename)
    }

    /// A part's header section (without the empty line that ends it).
    static func parseHeaders(_ bytes: ArraySlice<UInt8>, limits: MultipartLimits) throws(MultipartError) -> HTTPHeaders {
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
