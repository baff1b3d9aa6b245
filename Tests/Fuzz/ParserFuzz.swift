// libFuzzer entry point for the HTTP request parser. Not part of any SwiftPM target: it is
// compiled together with the parser's source files by fuzz-parser.sh.
//
// Each input is parsed twice: in one piece, and cut into feeds whose sizes come from the input's
// first byte (which also picks default or tiny limits). Both runs must agree (events with body pieces merged, and the error status), the
// status must be one the parser may produce, and events must come in a valid order. Any
// disagreement traps, which libFuzzer reports as a crash with the input saved.

struct Outcome: Equatable {
    var events: [ParserEvent] = []
    var status: Int?
}

/// Tiny limits, so inputs of a few hundred bytes reach every limit check (414, 431, extensions).
let smallLimits: ParserLimits = {
    var l = ParserLimits()
    l.maxRequestLine = 40
    l.maxHeaderBytes = 200
    l.maxHeaderCount = 6
    l.maxChunkExtension = 16
    l.maxTrailerBytes = 48
    l.maxLeadingEmptyLines = 2
    return l
}()

func run(_ data: UnsafeBufferPointer<UInt8>, pieceSize: Int, limits: ParserLimits) -> Outcome {
    var parser = RequestParser(limits: limits)
    var out = Outcome()
    var i = 0
    repeat {
        let end = min(data.count, i + pieceSize)
        parser.feed(UnsafeBufferPointer(rebasing: data[i..<end]))
        i = end
        do {
            while let event = try parser.next() {
                if case .body(let piece) = event {
                    precondition(!piece.isEmpty, "empty body piece")
                    if case .body(let before)? = out.events.last {
                        out.events[out.events.count - 1] = .body(before + piece)
                        continue
                    }
                }
                out.events.append(event)
            }
        } catch {
            out.status = error.status
            // A failed parser stays failed with the same error.
            do { _ = try parser.next(); preconditionFailure("error not sticky") } catch {
                precondition(error.status == out.status, "error changed")
            }
            return out
        }
    } while i < data.count
    return out
}

func checkOrder(_ events: [ParserEvent]) {
    var open = false
    for event in events {
        switch event {
        case .head: precondition(!open, "head inside a message"); open = true
        case .body: precondition(open, "body outside a message")
        case .end: precondition(open, "end outside a message"); open = false
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let data = UnsafeBufferPointer(start: bytes, count: count)
    // The first byte picks the feed size and, when odd, the tiny limits.
    let first = count > 0 ? data[0] : 0
    let limits = first & 1 == 1 ? smallLimits : ParserLimits()
    let whole = run(data, pieceSize: max(count, 1), limits: limits)
    let pieces = run(data, pieceSize: Int((first >> 1) % 17) + 1, limits: limits)
    precondition(whole == pieces, "split feeding changed the outcome")
    if let status = whole.status {
        precondition([400, 413, 414, 431, 501, 505].contains(status), "unexpected status")
    }
    checkOrder(whole.events)
    return 0
}
