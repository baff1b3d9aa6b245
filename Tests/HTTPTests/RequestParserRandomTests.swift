import Testing
@testable import HTTP

/// A small deterministic PRNG (SplitMix64), so a failing input can be reproduced from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Inputs built from valid requests by small mutations, plus pure noise.
enum RequestMutator {
    /// Bytes that matter to the grammar, so mutations hit the interesting branches often.
    static let interesting: [UInt8] = Array("\r\n \t:;,=\"\\0123456789abcdefABCDEF-+/%@[]".utf8) + [0x00, 0x0B, 0x7F, 0x80, 0xC3, 0xFF]

    static let seeds: [[UInt8]] = RequestParserCorpusTests.corpus.filter { $0.status == nil && $0.raw.count < 600 }.map(\.raw)
        + RequestParserSplitTests.requests.map(\.1)

    static func input(_ rng: inout SplitMix64) -> [UInt8] {
        if rng.next() % 8 == 0 {
            return (0..<Int(rng.next() % 300)).map { _ in
                rng.next() % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : interesting.randomElement(using: &rng) ?? 0
            }
        }
        var b = seeds.randomElement(using: &rng) ?? []
        for _ in 0..<(1 + Int(rng.next() % 4)) {
            let at = b.isEmpty ? 0 : Int(rng.next() % UInt64(b.count))
            switch rng.next() % 6 {
            case 0 where !b.isEmpty: b[at] = interesting.randomElement(using: &rng) ?? 0
            case 1: b.insert(interesting.randomElement(using: &rng) ?? 0, at: at)
            case 2 where !b.isEmpty: b.remove(at: at)
            case 3 where !b.isEmpty: b[at] = UInt8(truncatingIfNeeded: rng.next())
            case 4 where !b.isEmpty:
                let end = min(b.count, at + 1 + Int(rng.next() % 40))
                b.insert(contentsOf: b[at..<end], at: at)
            case 5: b += seeds.randomElement(using: &rng) ?? []
            default: break
            }
        }
        return b
    }

    /// Cuts `b` at random points.
    static func split(_ b: [UInt8], _ rng: inout SplitMix64) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var i = 0
        while i < b.count {
            let n = 1 + Int(rng.next() % 64)
            pieces.append(Array(b[i..<min(b.count, i + n)]))
            i += n
        }
        return pieces
    }
}

@Suite struct RequestParserRandomTests {
    static let allowedStatuses: Set<Int> = [400, 413, 414, 431, 501, 505]

    /// 20,000 inputs: never a crash, only the allowed statuses, events in a valid order, the same
    /// outcome however the input is cut, and a failed parser keeps throwing the same error.
    @Test func randomInputs() {
        var rng = SplitMix64(seed: 0x5EED_2026)
        var outcomes = [0, 0] // [ended cleanly or waiting, threw]
        for iteration in 0..<20_000 {
            let input = RequestMutator.input(&rng)
            let whole = parse([input])
            let pieces = parse(RequestMutator.split(input, &rng))
            #expect(pieces.coalesced.events == whole.coalesced.events, "iteration \(iteration)")
            #expect(pieces.error?.status == whole.error?.status, "iteration \(iteration)")
            #expect(!whole.hasEmptyBodyPiece && !pieces.hasEmptyBodyPiece)
            #expect(Self.isWellOrdered(whole.events), "iteration \(iteration)")
            if let error = whole.error {
                outcomes[1] += 1
                #expect(Self.allowedStatuses.contains(error.status), "iteration \(iteration): \(error)")
            } else {
                outcomes[0] += 1
            }
        }
        // Both kinds of outcome must be common, or the mutator is not exercising the parser.
        #expect(outcomes[0] > 2_000 && outcomes[1] > 2_000, "\(outcomes)")
    }

    @Test func failedParserStaysFailed() {
        var rng = SplitMix64(seed: 7)
        var checked = 0
        while checked < 200 {
            var parser = RequestParser()
            parser.feed(RequestMutator.input(&rng))
            var first: HTTPParseError?
            do { while try parser.next() != nil {} } catch { first = error }
            guard let first else { continue }
            checked += 1
            parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            #expect(throws: first) { try parser.next() }
        }
    }

    /// head, then body pieces, then end; repeated. Content-Length bodies add up exactly.
    static func isWellOrdered(_ events: [ParserEvent]) -> Bool {
        var inMessage = false
        var remaining: Int?
        for event in events {
            switch event {
            case .head(let head):
                if inMessage { return false }
                inMessage = true
                switch head.framing {
                case .none: remaining = 0
                case .contentLength(let n): remaining = n
                case .chunked: remaining = nil
                }
            case .body(let b):
                if !inMessage || b.isEmpty { return false }
                if let r = remaining { remaining = r - b.count; if r - b.count < 0 { return false } }
            case .end:
                if !inMessage || (remaining ?? 0) != 0 { return false }
                inMessage = false
            }
        }
        return true
    }
}
