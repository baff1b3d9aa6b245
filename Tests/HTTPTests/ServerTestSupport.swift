import Dispatch
import Foundation
import Logging
import Testing
@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// Errors of the test client.
struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// A blocking BSD-socket client with a receive timeout: raw bytes out, raw bytes in.
/// Deliberately independent of the server's code, so it checks the bytes on the wire.
final class TestClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// `source`: an IPv4 address to bind before connecting (Linux answers on all of 127/8, so
    /// `127.0.0.2` is a second client address on loopback). `receiveBuffer`: SO_RCVBUF, set before
    /// connecting so the window is small from the start.
    init(port: Int, host: String = "127.0.0.1", timeout: Double = 5, source: String? = nil, receiveBuffer: Int32? = nil) throws {
        let v6 = host.contains(":")
        fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket: \(errno)") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw ClientError(description: "bind \(source): \(errno)") }
        }
        let rc: Int32
        if v6 {
            var addr = sockaddr_in6()
            addr.sin6_family = sa_family_t(AF_INET6)
            addr.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &addr.sin6_addr)
            rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &addr.sin_addr)
            rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard rc == 0 else {
            // No close here: the instance is fully initialized, so `deinit` runs and closes the fd.
            // Closing twice could close a descriptor another test has been given meanwhile.
            throw ClientError(description: "connect: \(errno)")
        }
    }

    /// The one place the fd is closed.
    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError(description: "send: \(errno)") }
            offset += n
        }
    }

    /// Reads more bytes into the buffer; false at end of stream (or reset). Throws on timeout.
    @discardableResult
    private func fill(max: Int = 65536) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: max)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer += chunk[0..<n]
            return true
        }
        if n == 0 { return false }
        let code = errno
        if code == ECONNRESET { return false }
        throw ClientError(description: code == EAGAIN ? "receive timed out" : "recv: \(code)")
    }

    /// Reads exactly one response (interim 1xx responses are returned as their own response).
    func readResponse(forHead: Bool = false) throws -> TestResponse {
        var headEnd: Int?
        while true {
            if let end = find(Array("\r\n\r\n".utf8), in: buffer) {
                headEnd = end
                break
            }
            guard try fill() else { throw ClientError(description: "closed before response head: \(String(decoding: buffer, as: UTF8.self))") }
        }
        guard let end = headEnd else { throw ClientError(description: "no head") }
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw ClientError(description: "bad status line \(statusLine)")
        }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw ClientError(description: "bad header \(line)") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = TestResponse(status: status, statusLine: statusLine, headers: headers, body: [])
        if forHead || status < 200 || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            response.body = try readChunked()
        } else if let lengthText = response.header("Content-Length"), let length = Int(lengthText) {
            while buffer.count < length {
                guard try fill() else { throw ClientError(description: "closed inside body") }
            }
            response.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else {
            while try fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    private func readLine() throws -> String {
        while true {
            if let end = find([13, 10], in: buffer) {
                let line = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            guard try fill() else { throw ClientError(description: "closed inside chunked body") }
        }
    }

    private func readChunked() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            guard let size = Int(sizeLine, radix: 16) else { throw ClientError(description: "bad chunk size \(sizeLine)") }
            if size == 0 {
                while try readLine() != "" {}
                return body
            }
            while buffer.count < size + 2 {
                guard try fill() else { throw ClientError(description: "closed inside chunk") }
            }
            body += buffer[0..<size]
            guard buffer[size] == 13, buffer[size + 1] == 10 else { throw ClientError(description: "no CRLF after chunk") }
            buffer.removeFirst(size + 2)
        }
    }

    /// True if the server closed the connection (EOF or reset) with no further bytes; throws on
    /// timeout (the connection stayed open).
    func waitForClose() throws -> Bool {
        while try fill() {}
        return buffer.isEmpty
    }

    /// Reads in small pieces with a pause between them (a slow client).
    func readSlowly(count: Int, piece: Int, pauseMicroseconds: UInt32) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill(max: piece) else { throw ClientError(description: "closed early at \(buffer.count)") }
            usleep(pauseMicroseconds)
        }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Bytes already received but not consumed.
    var pending: [UInt8] { buffer }
}

func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    outer: for i in 0...(haystack.count - needle.count) {
        for j in 0..<needle.count where haystack[i + j] != needle[j] { continue outer }
        return i
    }
    return nil
}

struct TestResponse {
    var status: Int
    var statusLine: String
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
    func headerCount(_ name: String) -> Int {
        headers.filter { $0.0.lowercased() == name.lowercased() }.count
    }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A gate a handler can wait on until the test opens it.
final class Gate: @unchecked Sendable {
    // @unchecked: state guarded by the NSCondition.
    private let condition = NSCondition()
    private var open = false
    private(set) var waiting = 0

    func wait() {
        condition.lock()
        waiting += 1
        while !open { condition.wait() }
        condition.unlock()
    }

    func release() {
        condition.lock()
        open = true
        condition.broadcast()
        condition.unlock()
    }

    var waiters: Int {
        condition.lock()
        defer { condition.unlock() }
        return waiting
    }
}

/// The 8 MB body of `/big`: a pattern that detects lost, repeated or reordered bytes.
let bigBody: [UInt8] = [UInt8](unsafeUninitializedCapacity: 8 * 1024 * 1024) { buffer, count in
    for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: i &* 31 &+ (i >> 12)) }
    count = buffer.count
}

/// A small application for the tests, answering by path.
struct TestResponder: HTTPResponder {
    var gate = Gate()

    func bodyLimit(for head: RequestHead) -> Int {
        head.target.hasPrefix("/small") ? 16 : 1024 * 1024
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/hello":
            return HTTPResponse(status: 200, contentType: "text/plain", text: "hello")
        case "/echo", "/small":
            return HTTPResponse(status: 200, contentType: "application/octet-stream", body: request.body)
        case "/slow":
            usleep(UInt32(Int(request.query ?? "") ?? 300) * 1000)
            return HTTPResponse(status: 200, contentType: "text/plain", text: "slow \(request.query ?? "")")
        case "/path":
            return HTTPResponse(status: 200, contentType: "text/plain", text: "\(request.method) \(request.path) \(request.query ?? "-")")
        case "/204":
            return HTTPResponse(status: 204)
        case "/304":
            return HTTPResponse(status: 304, contentType: "text/plain", text: "must not be sent")
        case "/stream":
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: .stream { write in
                for i in 0..<3 { try write(Array("part\(i);".utf8)[...]) }
            })
        case "/big":
            return HTTPResponse(status: 200, contentType: "application/octet-stream", body: bigBody)
        case "/big-stream":
            return HTTPResponse(status: 200, body: .stream { write in
                var offset = 0
                while offset < bigBody.count {
                    try write(bigBody[offset..<min(offset + 100_000, bigBody.count)])
                    offset += 100_000
                }
            })
        case "/unsafe-header":
            var headers = HTTPHeaders()
            headers.add("X-Good", "fine")
            headers.add("X-Evil", "a\r\nSet-Cookie: stolen=1")
            headers.add("Bad Name", "x")
            return HTTPResponse(status: 200, headers: headers, body: .bytes(Array("ok".utf8)))
        case "/wait":
            gate.wait()
            return HTTPResponse(status: 200, contentType: "text/plain", text: "waited")
        default:
            return HTTPResponse(status: 404, contentType: "text/plain", text: "not found")
        }
    }
}

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A started server on a free loopback port; shut down (and waited for) by `stop()`.
final class RunningServer {
    let server: HTTPServer
    let port: Int
    let responder: TestResponder

    init(host: String = "127.0.0.1", logger: Logger = quietLogger, responder custom: (any HTTPResponder)? = nil,
         _ adjust: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = 0
        configuration.ioQueueCount = 2
        configuration.maxConcurrentHandlers = 4
        adjust(&configuration)
        responder = TestResponder()
        server = HTTPServer(configuration: configuration, responder: custom ?? responder, logger: logger)
        port = try server.start()
    }

    func client(timeout: Double = 5, source: String? = nil, receiveBuffer: Int32? = nil) throws -> TestClient {
        try TestClient(port: port, host: server.configuration.host, timeout: timeout, source: source, receiveBuffer: receiveBuffer)
    }

    /// Graceful shutdown; true if the server reported stopped within `timeout` seconds.
    @discardableResult
    func stop(grace: Duration = .seconds(2), timeout: Double = 10) -> Bool {
        server.shutdown(gracePeriod: grace)
        return waitStopped(timeout: timeout)
    }

    func waitStopped(timeout: Double) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let server = self.server
        // A thread of its own: a blocked global-queue thread could starve the pool (2 wide on 2 cores).
        Thread {
            server.waitUntilStopped()
            done.signal()
        }.start()
        return done.wait(timeout: .now() + timeout) == .success
    }

    deinit { server.shutdown(gracePeriod: .zero) }
}

/// Polls `condition` until it holds or `timeout` seconds pass.
func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
