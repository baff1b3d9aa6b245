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
