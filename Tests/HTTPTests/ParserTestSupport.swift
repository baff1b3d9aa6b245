@testable import HTTP

/// What feeding some bytes to a fresh parser produced: the events up to the point where it
/// needed more bytes, and the error if it threw.
struct ParseOutcome: Equatable, CustomStringConvertible {
    var events: [ParserEvent]
    var error: HTTPParseError?
    /// Bytes left buffered after the last event (a pipelined or truncated request).
    var leftover: Int

    var description: String {
        var parts = events.map { event -> String in
            switch event {
            case .head(let h): "head(\(h.method) \(h.target) \(h.version) \(h.headers.map { "\($0.name)=\($0.value)" }) \(h.framing))"
            case .body(let b): "body(\(String(decoding: b, as: UTF8.self).debugDescription))"
            case .end(let t): "end(\(t.map { "\($0.name)=\($0.value)" }))"
            }
        }
        if let error { parts.append("error(\(error.status): \(error.reason))") }
        return parts.joined(separator: ", ")
    }

    /// The same events with adjacent body pieces merged: how bytes were split into feeds may
    /// change how the body is cut into pieces, but nothing else.
    var coalesced: ParseOutcome {
        var merged: [ParserEvent] = []
        for event in events {
            if case .body(let b) = event, case .body(let a)? = merged.last {
                merged[merged.count - 1] = .body(a + b)
            } else {
                merged.append(event)
            }
        }
        return ParseOutcome(events: merged, error: error, leftover: leftover)
    }

    var hasEmptyBodyPiece: Bool {
        events.contains { if case .body(let b) = $0 { b.isEmpty } else { false } }
    }
}

/// Feeds `chunks` one after another, pulling every available event after each feed.
func parse(_ chunks: [[UInt8]], limits: ParserLimits = ParserLimits()) -> ParseOutcome {
    var parser = RequestParser(limits: limits)
    var events: [ParserEvent] = []
    for chunk in chunks {
        parser.feed(chunk)
        do {
            while let event = try parser.next() { events.append(event) }
        } catch {
            return ParseOutcome(events: events, error: error, leftover: parser.bufferedByteCount)
        }
    }
    return ParseOutcome(events: events, error: nil, leftover: parser.bufferedByteCount)
}

func parse(_ text: String, limits: ParserLimits = ParserLimits()) -> ParseOutcome {
    parse([Array(text.utf8)], limits: limits)
}

/// One entry of the parser corpus: raw bytes beside what must come out of them.
struct CorpusCase: Sendable {
    var name: String
    var raw: [UInt8]
    /// Expected events, body pieces merged.
    var events: [ParserEvent]
    /// Expected error status after those events, or nil when parsing must simply run dry.
    var status: Int?
    var limits: ParserLimits
    /// Bytes that must remain buffered at the end (checked only when there is no error).
    var leftover: Int
}

/// Test text as bytes, one byte per Unicode scalar (all test scalars are <= U+00FF), so
/// "\u{E9}" is the single byte 0xE9 and UTF-8 sequences are spelled byte by byte.
func bytes(_ s: String) -> [UInt8] {
    s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
}

/// The events of one request: head, the body (if any) as one piece, end (if `complete`).
func request(_ method: String = "GET", _ target: String = "/", _ version: HTTPVersion = .http1_1,
             _ headers: [(String, String)] = [("Host", "a")], framing: BodyFraming = .none,
             body: String = "", trailers: [(String, String)] = [], complete: Bool = true) -> [ParserEvent] {
    var events: [ParserEvent] = [.head(RequestHead(method: HTTPMethod(method), target: target, version: version,
                                                   headers: HTTPHeaders(headers), framing: framing))]
    if !body.isEmpty { events.append(.body(bytes(body))) }
    if complete { events.append(.end(trailers: HTTPHeaders(trailers))) }
    return events
}

func valid(_ name: String, _ raw: String, _ requests: [ParserEvent]..., leftover: Int = 0,
           limits: ParserLimits = ParserLimits()) -> CorpusCase {
    CorpusCase(name: name, raw: bytes(raw), events: requests.flatMap { $0 }, status: nil, limits: limits, leftover: leftover)
}

func invalid(_ name: String, _ raw: String, _ status: Int, after requests: [ParserEvent]...,
             limits: ParserLimits = ParserLimits()) -> CorpusCase {
    CorpusCase(name: name, raw: bytes(raw), events: requests.flatMap { $0 }, status: status, limits: limits, leftover: 0)
}

func limits(requestLine: Int? = nil, headerBytes: Int? = nil, headerCount: Int? = nil,
            chunkExtension: Int? = nil, trailerBytes: Int? = nil) -> ParserLimits {
    var l = ParserLimits()
    if let requestLine { l.maxRequestLine = requestLine }
    if let headerBytes { l.maxHeaderBytes = headerBytes }
    if let headerCount { l.maxHeaderCount = headerCount }
    if let chunkExtension { l.maxChunkExtension = chunkExtension }
    if let trailerBytes { l.maxTrailerBytes = trailerBytes }
    return l
}
