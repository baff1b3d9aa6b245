import Testing
@testable import HTTP

/// `MultipartStreamParser`: fed in any slices (every two-way split, byte by byte, random
/// splits) it gives the same parts as in one piece, and `Multipart.parse` built on it gives the
/// same result as the previous whole-body parser (`ReferenceMultipart`), errors included.
@Suite struct MultipartStreamParserTests {
    static let type = "multipart/form-data; boundary=XyZ-123"

    static func body(_ text: String) -> [UInt8] { bytes(text) }

    /// Bodies, valid and not, with what the whole-body parser says about them.
    static let corpus: [(String, [UInt8])] = [
        ("two fields", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--XyZ-123\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nworld\r\n--XyZ-123--\r\n")),
        ("file with type, preamble, epilogue", body("preamble\r\n--XyZ-123\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\u{0}\r\n\r\nbinary\r\n--XyZ-123--\r\nepilogue --XyZ-123\r\n")),
        ("transport padding", body("--XyZ-123 \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ-123  \r\nContent-Disposition: form-data; name=\"b\"\r\n\r\ny\r\n--XyZ-123--")),
        ("delimiter look-alikes are content", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--XyZ-123\r\n\r\n--XyZ-1234\r\n--XyZ-123x\r\n--XyZ-12\r\n--XyZ-123--")),
        ("no headers", body("--XyZ-123\r\n\r\nbody\r\n--XyZ-123--")),
        ("empty part body", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--XyZ-123--")),
        ("close only", body("--XyZ-123--")),
        ("missing boundary", body("nothing here")),
        ("missing close delimiter", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello")),
        ("truncated close", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--XyZ-123-")),
        ("ends after a delimiter", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--XyZ-123\r\n")),
        ("no disposition", body("--XyZ-123\r\nX-A: 1\r\n\r\nhello\r\n--XyZ-123--")),
        ("two dispositions", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n--XyZ-123--")),
        ("attachment disposition", body("--XyZ-123\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ-123--")),
        ("malformed header", body("--XyZ-123\r\nContent-Disposition form-data\r\n\r\nx\r\n--XyZ-123--")),
        ("obs-fold in a part header", body("--XyZ-123\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n--XyZ-123--")),
        ("empty content", body("--XyZ-123\r\n\r\n--XyZ-123--")),
        ("headers without blank line before the delimiter", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ-123--")),
        ("header line then delimiter", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--XyZ-123--")),
        ("CRLF then delimiter", body("--XyZ-123\r\n\r\n\r\n--XyZ-123--")),
        ("dash after the boundary only", body("--XyZ-123-\r\n--XyZ-123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ-123--")),
        ("utf-8 filename", body("--XyZ-123\r\nContent-Disposition: form-data; name=\"f\"; filename=\"caf\u{C3}\u{A9}.pdf\"\r\n\r\nx\r\n--XyZ-123--")),
    ]

    func outcome(_ f: () throws(MultipartError) -> [MultipartPart]) -> Result<[MultipartPart], MultipartError> {
        do { return .success(try f()) } catch { return .failure(error) }
    }

    /// Feeds `body` in the given pieces and collects parts the way `Multipart.parse` does.
    func streamed(_ body: [UInt8], cuts: [Int], limits: MultipartLimits = MultipartLimits()) -> Result<[MultipartPart], MultipartError> {
        outcome { () throws(MultipartError) -> [MultipartPart] in
            var parser = try MultipartStreamParser(contentType: Self.type, limits: limits)
            var parts: [MultipartPart] = []
            var current: MultipartPart?
            var ended = false
            var start = 0
            func drain(_ parser: inout MultipartStreamParser) throws(MultipartError) {
                while let event = try parser.next() {
                    switch event {
                    case .part(let name, let filename, let contentType, let headers):
                        #expect(current == nil)
                        current = MultipartPart(name: name, filename: filename, contentType: contentType, headers: headers, body: [])
                    case .data(let bytes):
                        #expect(!bytes.isEmpty)
                        current?.body += bytes
                    case .partEnd:
                        parts.append(current!)
                        current = nil
                    case .end:
                        #expect(current == nil)
                        ended = true
                    }
                }
            }
            for cut in cuts + [body.count] {
                parser.feed(body[start..<cut])
                start = cut
                try drain(&parser)
            }
            parser.finish()
            try drain(&parser)
            if !ended { throw .missingCloseDelimiter }
            return parts
        }
    }

    @Test(arguments: corpus.map(\.0))
    func sameAsTheWholeBodyParserAtEverySplit(_ name: String) throws {
        let raw = try #require(Self.corpus.first { $0.0 == name }).1
        let reference = outcome { () throws(MultipartError) in try ReferenceMultipart.parse(body: raw, contentType: Self.type) }
        let whole = outcome { () throws(MultipartError) in try Multipart.parse(body: raw, contentType: Self.type) }
        #expect(whole == reference)
        #expect(streamed(raw, cuts: []) == reference)
        #expect(streamed(raw, cuts: Array(1..<raw.count)) == reference, "byte by byte")
        for cut in 0...raw.count {
            #expect(streamed(raw, cuts: [cut]) == reference, "cut at \(cut)")
        }
    }

    @Test func randomBodiesAndRandomSplitsAgreeWithTheReference() {
        var rng = SplitMix64(seed: 0x4D50)
        let atoms: [String] = ["\r\n", "--XyZ-123", "--XyZ-123--", "\r\n--XyZ-123\r\n", "Content-Disposition: form-data; name=\"a\"",
                               "\r\n\r\n", "x", "--", " ", "\r", "\n", "X-A: 1", "--XyZ-12", "filename=\"f\""]
        for round in 0..<400 {
            var raw: [UInt8] = round % 2 == 0 ? bytes("--XyZ-123\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\n") : []
            for _ in 0..<Int(rng.next() % 24) { raw += bytes(atoms[Int(rng.next() % UInt64(atoms.count))]) }
            if rng.next() % 3 != 0 { raw += bytes("\r\n--XyZ-123--") }
            let reference = outcome { () throws(MultipartError) in try ReferenceMultipart.parse(body: raw, contentType: Self.type) }
            let whole = outcome { () throws(MultipartError) in try Multipart.parse(body: raw, contentType: Self.type) }
            if reference == .failure(.missingCloseDelimiter), case .failure = whole {
                // Reading order: a truncated body whose last part has a bad header section now
                // reports the header, where the whole-body parser reported the missing close.
                #expect(streamed(raw, cuts: [raw.count / 2]) == whole)
                continue
            }
            #expect(whole == reference, "\(String(decoding: raw, as: UTF8.self).debugDescription)")
            var cuts: [Int] = []
            var position = 0
            while raw.count > 0 {
                position += Int(rng.next() % 7) + 1
                if position >= raw.count { break }
                cuts.append(position)
            }
            #expect(streamed(raw, cuts: cuts) == reference, "\(String(decoding: raw, as: UTF8.self).debugDescription) cuts \(cuts)")
        }
    }

    @Test func limitsGiveTheSameErrors() {
        var limits = MultipartLimits()
        limits.maxParts = 1
        let twoParts = Self.corpus[0].1
        #expect(outcome { () throws(MultipartError) in try Multipart.parse(body: twoParts, contentType: Self.type, limits: limits) } == .failure(.tooManyParts))
        #expect(streamed(twoParts, cuts: Array(1..<twoParts.count), limits: limits) == .failure(.tooManyParts))

        limits = MultipartLimits()
        limits.maxPartSize = 4
        #expect(streamed(twoParts, cuts: [30, 60], limits: limits) == .failure(.partTooLarge))
        #expect(outcome { () throws(MultipartError) in try Multipart.parse(body: twoParts, contentType: Self.type, limits: limits) } == .failure(.partTooLarge))

        limits = MultipartLimits()
        limits.maxHeaderBytesPerPart = 20
        #expect(streamed(twoParts, cuts: Array(1..<twoParts.count), limits: limits) == .failure(.headersTooLarge))
        #expect(outcome { () throws(MultipartError) in try ReferenceMultipart.parse(body: twoParts, contentType: Self.type, limits: limits) } == .failure(.headersTooLarge))

        limits = MultipartLimits()
        limits.maxTotalSize = 50
        #expect(outcome { () throws(MultipartError) in try Multipart.parse(body: twoParts, contentType: Self.type, limits: limits) } == .failure(.bodyTooLarge))
        #expect(streamed(twoParts, cuts: [10, 20, 30, 40, 50, 60], limits: limits) == .failure(.bodyTooLarge))

        #expect(outcome { () throws(MultipartError) in try Multipart.parse(body: twoParts, contentType: "text/plain") } == .failure(.notMultipartFormData))
        #expect(outcome { () throws(MultipartError) in try Multipart.parse(body: twoParts, contentType: "multipart/form-data; boundary=\"a b \"") } == .failure(.invalidBoundary))
    }

    /// A 20 MB part through 64 KiB feeds: the parser never holds more than a feed and a bit.
    @Test func memoryStaysBoundedWhateverThePartSize() throws {
        var limits = MultipartLimits()
        limits.maxPartSize = 32 << 20
        limits.maxTotalSize = 40 << 20
        var parser = try MultipartStreamParser(contentType: Self.type, limits: limits)
        parser.feed(bytes("--XyZ-123\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n"))
        let piece = [UInt8](repeating: 0x2D, count: 64 * 1024)  // dashes: many partial matches
        var received = 0
        var events: [String] = []
        for _ in 0..<320 {
            parser.feed(piece)
            while let event = try parser.next() {
                switch event {
                case .data(let d):
                    received += d.count
                    #expect(d.count <= 2 * 64 * 1024)
                case .part(let name, let filename, _, _): events.append("part \(name) \(filename ?? "-")")
                case .partEnd: events.append("end of part")
                case .end: events.append("end")
                }
            }
        }
        parser.feed(bytes("\r\n--XyZ-123--\r\n"))
        parser.finish()
        while let event = try parser.next() {
            if case .data(let d) = event { received += d.count }
            if case .partEnd = event { events.append("end of part") }
            if case .end = event { events.append("end") }
        }
        #expect(received == 320 * 64 * 1024)
        #expect(events == ["part f big", "end of part", "end"])
    }
}
