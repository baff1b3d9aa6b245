import Foundation
@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// The byte at `index` of the test upload/download pattern (detects lost, repeated or
/// reordered bytes; never held whole).
@inline(__always)
func patternByte(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: index &* 131 &+ (index >> 16)) }

func pattern(_ range: Range<Int>) -> [UInt8] { range.map(patternByte) }

/// A pull source of `total` pattern bytes in pieces of `piece` (or, with `deliver`, a different
/// total than the length it is announced with). Counts its `next()` calls.
final class PatternSource: ResponseChunkSource, @unchecked Sendable {
    // @unchecked: `offset` is only touched inside `next()`, which the server calls one at a time.
    private let total: Int
    private let piece: Int
    private var offset = 0
    init(total: Int, piece: Int = 64 * 1024) {
        self.total = total
        self.piece = piece
    }
    func next() throws -> ArraySlice<UInt8>? {
        if offset >= total { return nil }
        let end = min(total, offset + piece)
        defer { offset = end }
        return pattern(offset..<end)[...]
    }
}

struct SourceFailed: Error {}

/// An application for the hostile-load tests:
/// - uploads to `/upload?code=ok` are accepted (limit 64 MiB, memory 64 KiB); any other code is
///   refused with 403 problem+json before the body; `/upload-mem` keeps everything in memory;
///   `/small` has a 16-byte limit; GETs never reach `decide` (counted);
/// - `/upload*` answers `length sha256 spooled`, read through `BodyReader`;
/// - `/pull?n=` (Content-Length), `/pull-chunked?n=`, `/pull-short` (announces more than it
///   gives), `/pull-long` (gives more), `/pull-fail` (throws), `/stream-big` (a `.stream` of 64 MiB);
/// - `/trailers` shows the trailers and whether Content-Type reached the headers.
struct HostileResponder: HTTPResponder {
    let decisions = Counter()
    let decidedOffIOQueue = Counter()
    var spoolDirectory: String? = nil

    func bodyLimit(for head: RequestHead) -> Int { head.target.hasPrefix("/small") ? 16 : 1 << 20 }

    func decide(_ head: RequestHead, remoteAddress: String) -> HeadDecision {
        decisions.increment()
        if !IOLoop.isOnIOQueue { decidedOffIOQueue.increment() }
        let split = RequestTargetSplit.split(head.target)
        switch split.path {
        case "/upload":
            guard split.query == "code=ok" else {
                return .refuse(HTTPResponse(status: 403, headers: HTTPHeaders([("Content-Type", "application/problem+json"),
                                                                                ("X-Refused", "code")]),
                                            body: .bytes(Array(#"{"status":403,"title":"Verkeerde code"}"#.utf8))))
            }
            return .accept(BodyPolicy(limit: 64 << 20, memoryLimit: 64 * 1024))
        case "/upload-mem":
            return .accept(BodyPolicy(limit: 1 << 20, memoryLimit: 1 << 20))
        default:
            let limit = bodyLimit(for: head)
            return .accept(BodyPolicy(limit: limit, memoryLimit: limit))
        }
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let n = Int(request.query?.split(separator: "=").last ?? "") ?? 0
        switch request.path {
        case "/hello":
            return .text(200, "hello")
        case "/upload", "/upload-mem":
            var reader = request.bodyReader()
            var hash = SHA256()
            var count = 0
            do {
                while let piece = try reader.next() {
                    precondition(piece.count <= 64 * 1024)
                    hash.update(piece)
                    count += piece.count
                }
            } catch {
                return .text(500, "read failed: \(error)")
            }
            return .text(200, "\(count) \(hash.finish()) \(request.isBodySpooled) \(request.bodyLength)")
        case "/pull":
            return HTTPResponse(status: 200, body: .pull(length: n, PatternSource(total: n)))
        case "/pull-chunked":
            return HTTPResponse(status: 200, body: .pull(length: nil, PatternSource(total: n, piece: 10_000)))
        case "/pull-short":
            return HTTPResponse(status: 200, body: .pull(length: 100_000, PatternSource(total: 50_000)))
        case "/pull-long":
            return HTTPResponse(status: 200, body: .pull(length: 50_000, PatternSource(total: 100_000)))
        case "/pull-fail":
            struct Failing: ResponseChunkSource { func next() throws -> ArraySlice<UInt8>? { throw SourceFailed() } }
            return HTTPResponse(status: 200, body: .pull(length: nil, Failing()))
        case "/stream-big":
            return HTTPResponse(status: 200, body: .stream { write in
                var offset = 0
                while offset < 64 << 20 {
                    try write(pattern(offset..<offset + 65536)[...])
                    offset += 65536
                }
            })
        case "/trailers", "/echo":
            let fields = request.trailers.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            return .text(200, "\(String(decoding: request.body, as: UTF8.self))|\(fields)|\(request.headers.contains("Content-Type"))")
        default:
            return .text(404, "not found")
        }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    // @unchecked: guarded by the lock.
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// Resident set size of this process in bytes (`/proc/self/statm`, second field, in pages).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Milliseconds since `start`.
func millis(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
}


/// Tests that allocate many megabytes take this lock, so the test that measures this process's
/// resident memory is not disturbed by another's buffers (Swift Testing runs tests in parallel).
let memoryHeavyTests = NSLock()

/// A thread that sends on a client's socket until told to stop (or the socket fails); `stop()`
/// waits for it, so it never writes to a descriptor number the test has closed and reused.
final class SenderThread: @unchecked Sendable {
    // @unchecked: `stopped` is guarded by the lock; the semaphore is thread-safe.
    private let lock = NSLock()
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    /// `step` sends once and returns false when finished.
    init(_ step: @escaping @Sendable () -> Bool) {
        let thread = Thread { [self] in
            while !isStopped, step() {}
            done.signal()
        }
        thread.start()
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        done.wait()
    }
}
