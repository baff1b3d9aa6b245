/// An incremental `multipart/form-data` parser (RFC 7578 over RFC 2046 §5.1.1): feed the body in
/// any slices, pull events. Memory stays bounded whatever the part sizes: a part's data is handed
/// out as it arrives, holding back only the few bytes that might be the start of a delimiter
/// that straddles two feeds; a part's header section is held (at most `maxHeaderBytesPerPart`).
///
/// Usage: `feed` what you have, call `next()` until it returns nil (it needs more input), repeat;
/// after the last byte call `finish()` and drain `next()` once more. Events for one part:
/// `.part(...)`, any number of `.data` (never empty), `.partEnd`; after the close delimiter
/// `.end`, after which everything (the epilogue) is ignored and `next()` returns nil.
///
/// The rules are those of `Multipart.parse`, which runs on this parser: the preamble before the
/// first boundary is skipped (the body may also open with the boundary without its CRLF); a
/// delimiter is `CRLF--boundary` followed by `--` (close) or optional SP/HTAB padding and CRLF,
/// anything else after `CRLF--boundary` is content; a part's header section ends at its first
/// empty line; limits as in `MultipartLimits`, errors as in `MultipartError`. Where a streaming
/// parser must decide before it has seen the whole body it reports problems in reading order: a
/// part's header section is checked when it is complete and a part's size as it grows, so a
/// truncated body whose last part has a bad or oversized header section, or grows past
/// `maxPartSize`, reports that rather than `missingCloseDelimiter` (what the whole-body parser
/// before it said, having looked for the end first). Transport padding after a boundary is
/// accepted up to 1 KiB (a longer run makes the candidate content, not a delimiter).
package struct MultipartStreamParser: Sendable {
    package enum Event: Sendable, Equatable {
        /// A part begins; its headers were checked (`Content-Disposition: form-data; name=...`).
        case part(name: String, filename: String?, contentType: String?, headers: HTTPHeaders)
        /// A piece of the current part's body.
        case data(ArraySlice<UInt8>)
        /// The current part's body is complete.
        case partEnd
        /// The close delimiter: the body is complete.
        case end
    }

    private enum State: Sendable {
        case preamble
        case headers
        case body
        /// The delimiter ending the current part was found: `.partEnd` comes next, then the
        /// delimiter takes effect.
        case afterPart(close: Bool, next: Int)
        case done
    }

    private enum Found {
        /// A real delimiter at `index` (its CRLF), `close` when `--` followed; content resumes at `next`.
        case delimiter(index: Int, close: Bool, next: Int)
        /// A candidate at `index` whose end has not arrived yet.
        case undecided(index: Int)
        /// None; bytes before `safeEnd` cannot begin one.
        case none(safeEnd: Int)
    }

    private enum Validity { case yes(close: Bool, next: Int), no, needMore }

    static let maxPadding = 1024

    package let limits: MultipartLimits
    private let dashBoundary: [UInt8]
    private let search: ByteSearch
    private var buffer: [UInt8] = []
    /// Index of the first byte in `buffer` not consumed yet.
    private var position = 0
    private var state = State.preamble
    private var atStart = true
    private var finished = false
    private var failure: MultipartError?
    private var received = 0
    private var parts = 0
    private var partSize = 0
    /// The close delimiter was passed and `.end` not yet returned.
    private var endPending = false

    /// A parser for the boundary in `contentType` (`multipart/form-data; boundary=...`).
    package init(contentType: String, limits: MultipartLimits = MultipartLimits()) throws(MultipartError) {
        guard let type = MIMEParameters.parse(contentType) else {
            // The right media type with parameters that do not parse (`boundary=`, two boundaries,
            // an open quote) is a malformed request (400), not a wrong media type (415).
            let value = contentType.split(separator: ";", maxSplits: 1).first ?? ""
            let trimmed = String(value.filter { $0 != " " && $0 != "\t" }).lowercased()
            throw trimmed == "multipart/form-data" ? .invalidBoundary : .notMultipartFormData
        }
        guard type.value == "multipart/form-data" else { throw .notMultipartFormData }
        guard let boundary = type["boundary"] else { throw .invalidBoundary }
        try self.init(boundary: boundary, limits: limits)
    }

    package init(boundary: String, limits: MultipartLimits = MultipartLimits()) throws(MultipartError) {
        guard Multipart.isValidBoundary(boundary) else { throw .invalidBoundary }
        self.limits = limits
        dashBoundary = Array("--\(boundary)".utf8)
        search = ByteSearch([0x0D, 0x0A] + dashBoundary)
    }

    /// Adds body bytes. More than `maxTotalSize` in all makes the next `next()` throw `bodyTooLarge`.
    package mutating func feed(_ bytes: some Collection<UInt8>) {
        if case .done = state { return }
        received += bytes.count
        if received > limits.maxTotalSize, failure == nil { failure = .bodyTooLarge }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// No more input will come.
    package mutating func finish() {
        finished = true
    }

    /// The next event; nil when more input is needed (or after `.end`). Throws on the first
    /// violation, and again on every later call.
    package mutating func next() throws(MultipartError) -> Event? {
        if let failure { throw failure }
        do {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func step() throws(MultipartError) -> Event? {
        while true {
            switch state {
            case .done:
                if endPending {
                    endPending = false
                    return .end
                }
                return nil
            case .preamble:
                if atStart {
                    // The body may open with `--boundary` itself (no CRLF before it).
                    let available = buffer.count - position
                    let n = min(available, dashBoundary.count)
                    if buffer[position..<position + n].elementsEqual(dashBoundary[0..<n]) {
                        if n < dashBoundary.count {
                            if !finished { return nil }
                        } else {
                            switch validity(at: position + dashBoundary.count) {
                            case .needMore: return nil
                            case .yes(let close, let next):
                                atStart = false
                                try startAfterDelimiter(close: close, next: next)
                                continue
                            case .no: break
                            }
                        }
                    }
                    atStart = false
                }
                switch findDelimiter(from: position) {
                case .delimiter(_, let close, let next):
                    // RFC 2046: the first delimiter opens a part. A close delimiter first means the
                    // opening one was garbled (or glued to the preamble): the parts sent are lost,
                    // so the body is refused rather than read as an empty form.
                    if close { throw .missingBoundary }
                    try startAfterDelimiter(close: close, next: next)
                case .undecided(let index):
                    position = index
                    return nil
                case .none(let safeEnd):
                    position = safeEnd
                    if finished { throw .missingBoundary }
                    return nil
                }
            case .headers:
                guard let event = try headerSection() else { return nil }
                return event
            case .body:
                let found = findDelimiter(from: position)
                let end: Int
                switch found {
                case .delimiter(let index, let close, let next):
                    end = index
                    state = .afterPart(close: close, next: next)
                case .undecided(let index):
                    end = index
                case .none(let safeEnd):
                    end = safeEnd
                    if finished && end == buffer.count && position == end { throw .missingCloseDelimiter }
                }
                if end > position {
                    partSize += end - position
                    if partSize > limits.maxPartSize { throw .partTooLarge }
                    let piece = buffer[position..<end]
                    position = end
                    return .data(piece)
                }
                if case .afterPart = state { continue }
                return nil
            case .afterPart(let close, let next):
                try startAfterDelimiter(close: close, next: next)
                return .partEnd
            }
        }
    }

    /// A delimiter was passed: the body ends (`close`), or a new part's headers begin at `next`.
    private mutating func startAfterDelimiter(close: Bool, next: Int) throws(MultipartError) {
        if close {
            state = .done
            endPending = true
            buffer = []
            position = 0
            return
        }
        guard parts < limits.maxParts else { throw .tooManyParts }
        parts += 1
        partSize = 0
        position = next
        state = .headers
    }

    /// The current part's header section, once it is complete: `.part`, or nil for more input.
    private mutating func headerSection() throws(MultipartError) -> Event? {
        let start = position
        // Content that is empty (a delimiter right away) has no header section: malformed.
        switch validity(at: start + search.pattern.count, ifPatternAt: start) {
        case .yes: throw .malformedHeader
        case .needMore: return nil
        case .no: break
        }
        if buffer.count - start >= 2, buffer[start] == 0x0D, buffer[start + 1] == 0x0A {
            return try beginPart(headerBytes: buffer[start..<start], bodyStart: start + 2)
        }
        if buffer.count - start < 2 {
            if finished { throw .missingCloseDelimiter }
            return nil
        }
        let found = findDelimiter(from: start)
        let contentEnd: Int?
        let searchEnd: Int
        switch found {
        case .delimiter(let index, _, _):
            contentEnd = index
            searchEnd = index
        case .undecided(let index):
            contentEnd = nil
            searchEnd = index
        case .none(let safeEnd):
            // A delimiter may begin past `safeEnd`; a blank line must end before it to count.
            contentEnd = nil
            searchEnd = safeEnd
        }
        // The window a whole-body parse looks in: the content, at most max + 4 bytes of it.
        // The limit may be `Int.max` ("no limit"): saturate instead of overflowing.
        let window = limits.maxHeaderBytesPerPart.addingReportingOverflow(4)
        let windowLength = window.overflow ? Int.max : window.partialValue
        let windowEnd = searchEnd - start <= windowLength ? searchEnd : start + windowLength
        if let blank = firstBlankLine(from: start, to: windowEnd) {
            guard blank - start <= limits.maxHeaderBytesPerPart else { throw .headersTooLarge }
            return try beginPart(headerBytes: buffer[start..<blank], bodyStart: blank + 4)
        }
        if let contentEnd {
            throw contentEnd - start > limits.maxHeaderBytesPerPart ? .headersTooLarge : .malformedHeader
        }
        if searchEnd - start >= windowLength { throw .headersTooLarge }
        if finished { throw .missingCloseDelimiter }
        return nil
    }

    private mutating func beginPart(headerBytes: ArraySlice<UInt8>, bodyStart: Int) throws(MultipartError) -> Event {
        let headers = try Multipart.parseHeaders(headerBytes, limits: limits)
        let (name, filename) = try Multipart.disposition(headers, limits: limits)
        position = bodyStart
        state = .body
        return .part(name: name, filename: filename, contentType: headers["Content-Type"], headers: headers)
    }

    private func firstBlankLine(from start: Int, to end: Int) -> Int? {
        var index = start
        while index + 3 < end {
            if buffer[index] == 0x0D, buffer[index + 1] == 0x0A, buffer[index + 2] == 0x0D, buffer[index + 3] == 0x0A {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The first real delimiter at or after `start`.
    private func findDelimiter(from start: Int) -> Found {
        var from = start
        while let candidate = search.firstIndex(in: buffer, from: from) {
            switch validity(at: candidate + search.pattern.count) {
            case .yes(let close, let next): return .delimiter(index: candidate, close: close, next: next)
            case .needMore: return .undecided(index: candidate)
            case .no: from = candidate + 1
            }
        }
        if finished { return .none(safeEnd: buffer.count) }
        // A match may begin in the last pattern.count - 1 bytes and end in the next feed.
        return .none(safeEnd: max(from, buffer.count - (search.pattern.count - 1)))
    }

    /// Whether the pattern at `patternStart` (checked here) is followed by a valid delimiter end.
    private func validity(at index: Int, ifPatternAt patternStart: Int) -> Validity {
        let m = search.pattern.count
        let available = buffer.count - patternStart
        let n = min(available, m)
        guard buffer[patternStart..<patternStart + n].elementsEqual(search.pattern[0..<n]) else { return .no }
        if n < m { return finished ? .no : .needMore }
        return validity(at: index)
    }

    /// What follows a boundary at `index`: `--` (close), or SP/HTAB padding then CRLF.
    private func validity(at index: Int) -> Validity {
        let count = buffer.count
        if index + 1 < count, buffer[index] == 0x2D, buffer[index + 1] == 0x2D { return .yes(close: true, next: index + 2) }
        if index + 1 == count, buffer[index] == 0x2D { return finished ? .no : .needMore }
        var cursor = index
        while cursor < count, buffer[cursor] == 0x20 || buffer[cursor] == 0x09 {
            cursor += 1
            if cursor - index > Self.maxPadding { return .no }
        }
        if cursor + 1 < count {
            return buffer[cursor] == 0x0D && buffer[cursor + 1] == 0x0A ? .yes(close: false, next: cursor + 2) : .no
        }
        if cursor == count || buffer[cursor] == 0x0D { return finished ? .no : .needMore }
        return .no
    }

    /// Drops consumed bytes once they are worth the copy.
    private mutating func compact() {
        if position == 0 { return }
        if position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        } else if position >= 4096, position * 2 >= buffer.count {
            buffer.removeSubrange(0..<position)
            position = 0
        }
    }
}
