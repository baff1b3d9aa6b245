import Foundation
import Testing
@testable import ZienswijzenApp

/// The byte-level log line and the batching writer (issue 13): the same text the old
/// string-based formatter produced, and no line lost or torn on the way to the descriptor.
@Suite struct LogLineTests {
    @Test func hundredthsPrintLikeTheDoubleTheyReplace() {
        for hundredths in [0, 1, 5, 9, 10, 12, 50, 99, 100, 101, 110, 350, 700, 12_345, 100_000, 987_654_321] {
            var line = LogLine(.logfmt)
            line.hundredthsField("d", hundredths)
            let text = String(decoding: line.finish(), as: UTF8.self)
            #expect(text == "d=\(Double(hundredths) / 100)\n", "hundredths \(hundredths)")
        }
    }

    @Test func timestampsAreTheTimeNowInUTCWithMilliseconds() throws {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for _ in 0..<3 {  // the second's cached prefix, and a fresh one
            let before = Date()
            let text = LogLine.timestamp()
            let after = Date()
            #expect(text.count == 24 && text.hasSuffix("Z"), "\(text)")
            let parsed = try #require(parser.date(from: text), "\(text)")
            #expect(parsed >= before.addingTimeInterval(-0.001) && parsed <= after, "\(text)")
            Thread.sleep(forTimeInterval: 0.6)
        }
    }

    @Test func integersIncludingTheExtremes() {
        for value in [0, 7, -7, 10, 1_000_000, Int.max, Int.min] {
            var line = LogLine(.json)
            line.field("n", value)
            #expect(String(decoding: line.finish(), as: UTF8.self) == "{\"n\":\"\(value)\"}\n")
        }
    }

    @Test func logfmtQuotesAndEscapesWhatCouldForgeAField() {
        var line = LogLine(.logfmt)
        line.field("plain", "abc-1.2/x")
        line.field("empty", "")
        line.field("space", "a b")
        line.field("forged", "x\nts=1 level=error msg=\"pwned\"")
        line.field("ctl", "\u{01}\u{7F}\u{85}\u{2028}")
        line.field("accent", "é")
        let text = String(decoding: line.finish(), as: UTF8.self)
        #expect(text == #"plain=abc-1.2/x empty="" space="a b" forged="x\nts=1 level=error msg=\"pwned\"" "#
                    + #"ctl="\u0001\u007f\u0085\u2028" accent="é""# + "\n")
        #expect(text.filter { $0 == "\n" }.count == 1)
    }

    @Test func jsonLinesParseBackToWhatWentIn() throws {
        let values = ["a\"b\\c", "tab\there", "\u{0}\u{1F}", "👨\u{200D}👩", "x\u{2029}y", "\r\n"]
        var line = LogLine(.json)
        for (index, value) in values.enumerated() { line.field("k\(index)", value) }
        line.timestampField("ts")
        let bytes = line.finish()
        #expect(bytes.last == 0x0A && bytes.dropLast().allSatisfy { $0 != 0x0A })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String])
        for (index, value) in values.enumerated() { #expect(object["k\(index)"] == value) }
        #expect(object["ts"]?.count == "2026-12-03T14:55:05.123Z".count)
    }

    @Test func theWriterDeliversEveryLineWholeAndInOrder() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let writer = LogWriter(fd: fds[1], interval: .milliseconds(5), flushSize: 512)
        let lines = 5_000
        // Read while writing: the lines are more than a pipe holds.
        let reader = DispatchGroup()
        nonisolated(unsafe) var received: [UInt8] = []
        let readEnd = fds[0]
        DispatchQueue.global().async(group: reader) {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while case let n = read(readEnd, &chunk, chunk.count), n > 0 { received += chunk[..<n] }
        }
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for n in stride(from: worker, to: lines, by: 4) {
                writer.append(.logfmt) { $0.field("n", n); $0.field("text", "regel met spatie \(n)") }
            }
        }
        writer.flush()
        close(fds[1])
        reader.wait()
        let text = String(decoding: received, as: UTF8.self).split(separator: "\n")
        #expect(text.count == lines)
        let numbers = Set(text.compactMap { line -> Int? in
            guard line.hasSuffix("\"regel met spatie \(line.split(separator: " ")[0].dropFirst(2))\"") else { return nil }
            return Int(line.split(separator: " ")[0].dropFirst(2))
        })
        #expect(numbers == Set(0..<lines))
        // Each worker's lines leave in the order it wrote them.
        let order = text.compactMap { Int($0.split(separator: " ")[0].dropFirst(2)) }
        for worker in 0..<4 {
            let mine = order.filter { $0 % 4 == worker }
            #expect(mine == mine.sorted())
        }
    }

    @Test func aPipeNobodyReadsCostsBoundedMemoryAndTheLossIsCounted() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let flags = fcntl(fds[1], F_GETFL)
        _ = fcntl(fds[1], F_SETFL, flags | O_NONBLOCK)  // a full pipe fails the write instead of blocking
        let writer = LogWriter(fd: fds[1], interval: .seconds(3600), flushSize: 1 << 30, maxPending: 4096)
        for n in 0..<1_000 { writer.append(.logfmt) { $0.field("n", n) } }
        writer.flush()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = read(fds[0], &chunk, chunk.count)
        let text = String(decoding: chunk[..<max(n, 0)], as: UTF8.self)
        let kept = text.split(separator: "\n").filter { $0.hasPrefix("n=") }.count
        #expect(kept > 0 && kept < 1_000)
        #expect(text.contains("log lines dropped: \(1_000 - kept)"))
        close(fds[1])
    }
}
