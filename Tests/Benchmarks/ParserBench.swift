// Throughput figures for the HTTP request parser. Built with -O by parser-bench.sh together
// with the parser sources (no SwiftPM target, so it does not touch the shared bench executable).
// Times are this thread's CPU time, so other processes competing for the cores do not inflate them.
#if canImport(Glibc)
import Glibc
#endif

@main
struct ParserBench {
    static let typical = Array((
        "GET /gemeenten/GM0518/zienswijzen?status=ingediend&page=2 HTTP/1.1\r\n"
        + "Host: zienswijzen.example.nl\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
        + "Accept: text/html,application/xhtml+xml\r\n"
        + "Accept-Language: nl,en;q=0.5\r\n"
        + "Accept-Encoding: gzip, deflate, br\r\n"
        + "Cookie: sessie=0123456789abcdef0123456789abcdef\r\n"
        + "Connection: keep-alive\r\n"
        + "\r\n").utf8)

    static func measure(_ label: String, iterations: Int, bytesEach: Int, _ body: () -> Int) {
        var sink = 0
        sink &+= body() // warm-up
        let start = cpuSeconds()
        for _ in 0..<iterations { sink &+= body() }
        let seconds = cpuSeconds() - start
        let nsEach = seconds * 1e9 / Double(iterations)
        let mbPerSecond = Double(bytesEach) * Double(iterations) / seconds / 1e6
        print("\(label): \(format2(nsEach)) ns per request, \(format2(mbPerSecond)) MB/s (sink \(sink % 10))")
    }

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func format2(_ x: Double) -> String {
        let scaled = (x * 100).rounded() / 100
        return "\(scaled)"
    }

    static func main() {
        print("typical request: \(typical.count) bytes")
        measure("fresh parser, whole request", iterations: 1_000_000, bytesEach: typical.count) {
            var parser = RequestParser()
            parser.feed(typical)
            var n = 0
            while let event = try? parser.next() {
                if case .head(let head) = event { n += head.headers.count }
            }
            return n
        }
        let pipelined = Array([[UInt8]](repeating: typical, count: 100).joined())
        measure("one parser, 100 pipelined requests per feed (time per 100)", iterations: 10_000, bytesEach: pipelined.count) {
            var parser = RequestParser()
            parser.feed(pipelined)
            var n = 0
            while let event = try? parser.next() {
                if case .end = event { n += 1 }
            }
            return n
        }
        var chunkedBody: [UInt8] = Array("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let chunk = [UInt8](repeating: 0x61, count: 16_384)
        for _ in 0..<64 { chunkedBody += Array("4000\r\n".utf8) + chunk + [13, 10] }
        chunkedBody += Array("0\r\n\r\n".utf8)
        measure("1 MiB chunked body in 16 KiB reads (time per body)", iterations: 200, bytesEach: chunkedBody.count) {
            var parser = RequestParser()
            var total = 0, i = 0
            while i < chunkedBody.count {
                let end = min(chunkedBody.count, i + 16_384)
                parser.feed(chunkedBody[i..<end])
                i = end
                while let event = try? parser.next() {
                    if case .body(let b) = event { total += b.count }
                }
            }
            return total
        }
    }
}
