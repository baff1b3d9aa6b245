#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits the parser enforces while bytes stream in.
package struct ParserLimits: Sendable {
    /// Longest request line; longer is 414.
    package var maxRequestLine: Int = 8 * 1024
    /// Largest header section (all field lines together); larger is 431.
    package var maxHeaderBytes: Int = 64 * 1024
    /// Most header fields; more is 431. Also bounds the number of trailer fields.
    package var maxHeaderCount: Int = 100
    /// Largest chunk-extension / trailer section in a chunked body; larger is 400 (trailers 431).
    package var maxChunkExtension: Int = 1024
    package var maxTrailerBytes: Int = 8 * 1024
    /// Empty lines tolerated before a request line (RFC 9112 §2.2); more is 400.
    package var maxLeadingEmptyLines: Int = 8
    package init() {}
}

/// Why a request could not be parsed: the status to answer with (400, 414, 431, 501, 505) and a
/// short English reason for the log (never echoing the client's bytes unescaped).
/// After any parse error the connection must be closed: framing can no longer be trusted.
package struct HTTPParseError: Error, Sendable, Equatable {
    package var status: Int
    package var reason: String
    package init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    static func badRequest(_ reason: String) -> HTTPParseError { HTTPParseError(status: 400, reason: reason) }
}

package enum ParserEvent: Sendable, Equatable {
    /// The header section is complete. Nothing of the body has been consumed yet, so the caller
    /// can check limits, send `100 Continue`, or refuse, before asking for more events.
    case head(RequestHead)
    /// A piece of the body (de-chunked). Pieces are never empty.
    case body([UInt8])
    /// The message is complete; trailers are empty unless a chunked body carried some.
    case end(trailers: HTTPHeaders)
}

/// An incremental HTTP/1.1 request parser (RFC 9112) over bytes.
///
/// Feed it whatever arrived; pull events until it returns nil (it needs more bytes). It keeps its
/// position, so bytes are never scanned twice: an incomplete line remembers where the search for
/// its LF stopped. After `.end` the next request of a pipeline starts from the leftover bytes.
/// After an error it stays failed: every later `next()` throws the same error.
///
/// Line endings: only CRLF, everywhere: request line, field lines, the empty line that ends the
/// head, chunk size lines, the CRLF after chunk data, trailers. A bare LF is 400 and a bare CR
/// anywhere is 400. RFC 9112 §2.2 lets a recipient accept a bare LF as a line terminator, and an
/// earlier version of this parser did so in the head; but a proxy in front that does not (and
/// reads `Dummy: x\nContent-Length: 23` as one field) then frames the message differently from
/// us, which is exactly the disagreement request smuggling needs. Strict is the safe reading.
package struct RequestParser: Sendable {
    package var limits: ParserLimits

    /// Received bytes; `readIndex` is the first not yet consumed. Compacted in `feed`.
    var buffer: [UInt8] = []
    var readIndex = 0
    /// Where the search for the current line's LF resumes (>= readIndex).
    var scanIndex = 0
    var state: State = .requestLine
    var failure: HTTPParseError?
    /// The head being assembled; reset for each request.
    var pending = PendingHead()
    /// Trailer fields of the current chunked body.
    var trailers = HTTPHeaders()
    var trailerBytes = 0
    /// Trailer fields seen, discarded ones included (bounded by `maxHeaderCount`).
    var trailerFieldCount = 0

    enum State: Sendable, Equatable {
        case requestLine
        case headerFields
        /// A Content-Length body (or none: 0 remaining); `.end` is sent when it reaches 0.
        case fixedBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        /// The CRLF that must follow a chunk's data.
        case chunkDataEnd
        case trailerFields
    }

    package init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }

    /// Appends received bytes to the parser's buffer.
    package mutating func feed(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or nil when more bytes are needed.
    package mutating func next() throws(HTTPParseError) -> ParserEvent? {
        if let failure { throw failure }
        do {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    /// Bytes buffered but not yet consumed (e.g. a pipelined next request), for tests and limits.
    package var bufferedByteCount: Int { buffer.count - readIndex }

    /// True once any byte of a request that has not ended yet was received: buffered, or
    /// consumed into a partial head or body. False between requests (also after a failure). Lets
    /// the connection tell an idle keep-alive connection (close quietly) from a client stalling
    /// mid-request (header deadline, 408/400). `bufferedByteCount > 0` alone misses a request
    /// line that was already consumed while its header fields are still missing.
    package var isMidRequest: Bool {
        failure == nil && (state != .requestLine || pending.leadingEmptyLines > 0 || bufferedByteCount > 0)
    }

    private mutating func step() throws(HTTPParseError) -> ParserEvent? {
        while true {
            switch state {
            case .requestLine:
                guard let (line, crlf) = takeLine() else {
                    // The line is still incomplete: everything buffered belongs to it.
                    if bufferedByteCount > limits.maxRequestLine + 2 {
                        throw HTTPParseError(status: 414, reason: "request line too long")
                    }
                    return nil
                }
                guard line.count <= limits.maxRequestLine else {
                    throw HTTPParseError(status: 414, reason: "request line too long")
                }
                guard crlf else { throw .badRequest("bare LF in the request head") }
                if line.isEmpty {
                    pending.leadingEmptyLines += 1
                    if pending.leadingEmptyLines > limits.maxLeadingEmptyLines {
                        throw .badRequest("too many empty lines before the request line")
                    }
                    continue
                }
                try parseRequestLine(line)
                state = .headerFields
            case .headerFields:
                let lineStart = readIndex
                guard let (line, crlf) = takeLine() else {
                    if pending.headerBytes + bufferedByteCount > limits.maxHeaderBytes {
                        throw HTTPParseError(status: 431, reason: "header section too large")
                    }
                    return nil
                }
                pending.headerBytes += readIndex - lineStart
                if pending.headerBytes > limits.maxHeaderBytes {
                    throw HTTPParseError(status: 431, reason: "header section too large")
                }
                guard crlf else { throw .badRequest("bare LF in the request head") }
                if line.isEmpty {
                    let head = try finishHead()
                    switch head.framing {
                    case .none: state = .fixedBody(remaining: 0)
                    case .contentLength(let n): state = .fixedBody(remaining: n)
                    case .chunked: state = .chunkSizeLine
                    }
                    pending = PendingHead()
                    return .head(head)
                }
                try parseHeaderLine(line)
            case .fixedBody(let remaining):
                if remaining == 0 {
                    state = .requestLine
                    return .end(trailers: HTTPHeaders())
                }
                let n = min(remaining, bufferedByteCount)
                if n == 0 { return nil }
                let piece = consume(n)
                state = .fixedBody(remaining: remaining - n)
                return .body(piece)
            case .chunkSizeLine:
                guard let (line, crlf) = takeLine() else {
                    if bufferedByteCount > Self.maxChunkSizeDigits + limits.maxChunkExtension + 2 {
                        throw .badRequest("chunk extension too long")
                    }
                    return nil
                }
                guard crlf else { throw .badRequest("bare LF in chunked framing") }
                let size = try parseChunkSizeLine(line)
                if size == 0 {
                    trailers = HTTPHeaders()
                    trailerBytes = 0
                    trailerFieldCount = 0
                    state = .trailerFields
                } else {
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let n = min(remaining, bufferedByteCount)
                if n == 0 { return nil }
                let piece = consume(n)
                state = n == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - n)
                return .body(piece)
            case .chunkDataEnd:
                let available = bufferedByteCount
                if available >= 1, buffer[readIndex] != HTTPSyntax.cr {
                    throw .badRequest("chunk data not followed by CRLF")
                }
                if available < 2 { return nil }
                if buffer[readIndex + 1] != HTTPSyntax.lf {
                    throw .badRequest("chunk data not followed by CRLF")
                }
                readIndex += 2
                scanIndex = readIndex
                state = .chunkSizeLine
            case .trailerFields:
                let lineStart = readIndex
                guard let (line, crlf) = takeLine() else {
                    if trailerBytes + bufferedByteCount > limits.maxTrailerBytes {
                        throw HTTPParseError(status: 431, reason: "trailer section too large")
                    }
                    return nil
                }
                trailerBytes += readIndex - lineStart
                if trailerBytes > limits.maxTrailerBytes {
                    throw HTTPParseError(status: 431, reason: "trailer section too large")
                }
                guard crlf else { throw .badRequest("bare LF in chunked framing") }
                if line.isEmpty {
                    state = .requestLine
                    let done = trailers
                    trailers = HTTPHeaders()
                    return .end(trailers: done)
                }
                try parseTrailerLine(line)
            }
        }
    }

    /// The next complete line (without its terminator) as a range of `buffer`, consuming it, and
    /// whether it ended in CRLF (rather than a bare LF); nil when no LF has arrived yet,
    /// remembering how far the search got.
    ///
    /// Callers check size limits before anything about the line's content, because while bytes
    /// stream in only the size is known: checking in the same order makes the outcome the same
    /// however the bytes were cut into reads.
    private mutating func takeLine() -> (line: Range<Int>, crlf: Bool)? {
        let count = buffer.count
        guard scanIndex < count else { return nil }
        let from = scanIndex
        let found: Int? = buffer.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress,
                  let hit = memchr(base + from, Int32(HTTPSyntax.lf), count - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        guard let lf = found else {
            scanIndex = count
            return nil
        }
        let start = readIndex
        let crlf = lf > start && buffer[lf - 1] == HTTPSyntax.cr
        readIndex = lf + 1
        scanIndex = readIndex
        return (start..<(crlf ? lf - 1 : lf), crlf)
    }

    /// Takes `n` buffered bytes (n <= bufferedByteCount) as a body piece.
    private mutating func consume(_ n: Int) -> [UInt8] {
        let piece = Array(buffer[readIndex..<readIndex + n])
        readIndex += n
        scanIndex = readIndex
        return piece
    }

    /// Between requests, with nothing buffered: gives back a buffer that grew past 16 KiB (a
    /// large body read through it), so thousands of idle keep-alive connections hold none.
    package mutating func releaseSpareCapacity() {
        guard bufferedByteCount == 0, buffer.capacity > 16 * 1024 else { return }
        buffer = []
        readIndex = 0
        scanIndex = 0
    }

    /// Drops consumed bytes: all of them when nothing is pending (the common case, free), or by
    /// moving the tail down once the consumed prefix is large enough to be worth the copy.
    private mutating func compact() {
        if readIndex == 0 { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if readIndex >= 4096, readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
        } else {
            return
        }
        scanIndex -= readIndex
        readIndex = 0
    }
}
