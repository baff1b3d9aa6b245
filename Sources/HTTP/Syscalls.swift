#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: the call's name and the `errno` read right after it returned.
package struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    package var call: String
    package var code: Int32
    package init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }
    package var description: String {
        "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// The outcome of a non-blocking call that did not fail: either it moved something, or the
/// kernel said "not now" (EAGAIN), which is an ordinary value here, not an error.
enum IOResult<T: Sendable>: Sendable {
    case done(T)
    case wouldBlock
}

/// Runs a system call, retrying on EINTR, turning EAGAIN into `.wouldBlock` and any other failure
/// into a `SocketError`. `errno` is read immediately after the call, before anything else can
/// overwrite it. Never use this for `close` (see `closeDescriptor`).
@inline(__always)
func retryingSyscall<T: FixedWidthInteger>(_ name: String, _ body: () -> T) throws(SocketError) -> IOResult<T> {
    while true {
        let result = body()
        if result != -1 { return .done(result) }
        let code = errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        default: throw SocketError(call: name, code: code)
        }
    }
}

/// Closes a descriptor exactly once. Not retried on EINTR: on Linux the descriptor is released
/// even when close reports EINTR, and retrying could close a descriptor another thread just got.
func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}

/// Half-closes: no more bytes from us (FIN), while we can still read what the peer sends.
func shutdownWrite(_ fd: Int32) {
    _ = shutdown(fd, Int32(SHUT_WR))
}

/// `recv` into a buffer; `.done(0)` means the peer closed its sending side.
func socketReceive(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> IOResult<Int> {
    try retryingSyscall("recv") { recv(fd, buffer.baseAddress, buffer.count, 0) }
}

/// `send` with MSG_NOSIGNAL, so a vanished peer yields EPIPE instead of killing the process.
/// May write fewer bytes than asked (partial write); the caller keeps the rest.
func socketSend(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SocketError) -> IOResult<Int> {
    try retryingSyscall("send") { send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
}

/// Sends two buffers with one `sendmsg` (a response head and its body in one system call and,
/// with TCP_NODELAY, without a separate small packet for the head). MSG_NOSIGNAL as for `send`.
func socketSend(_ fd: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) throws(SocketError) -> IOResult<Int> {
    var vectors = [
        iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
        iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count),
    ]
    return try vectors.withUnsafeMutableBufferPointer { vectors throws(SocketError) in
        var message = msghdr()
        message.msg_iov = vectors.baseAddress
        message.msg_iovlen = vectors.count
        return try retryingSyscall("sendmsg") { sendmsg(fd, &message, Int32(MSG_NOSIGNAL)) }
    }
}

/// Sets an integer socket option.
func setSocketOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String) throws(SocketError) {
    var value = value
    if setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) != 0 {
        throw SocketError(call: "setsockopt(\(label))", code: errno)
    }
}

/// Writes a small message on a fresh non-blocking socket without waiting (used for the 503 of the
/// connection cap). Best effort: whatever the kernel does not take at once is dropped.
func sendBestEffort(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { raw in
        _ = try? retryingSyscall("send") { send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL)) }
    }
}

/// Ignores SIGPIPE process-wide. MSG_NOSIGNAL already covers our sends; this covers everything
/// else (a library writing to a closed pipe), as a server must never die of a vanished peer.
func ignoreSIGPIPE() {
    _ = signal(SIGPIPE, SIG_IGN)
}

/// `accept4(2)`, looked up at run time: glibc has it, but Swift's Glibc module imports the headers
/// without `_GNU_SOURCE`, so the declaration is invisible. The symbol is resolved once; if it were
/// ever missing, `accept` plus `fcntl` is used (same result, minus CLOEXEC atomicity).
///
/// `@unchecked Sendable`: it holds only an immutable C function pointer.
struct Accept4: @unchecked Sendable {
    typealias Function = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    let function: Function?

    static let shared: Accept4 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "accept4") else { return Accept4(function: nil) }
        return Accept4(function: unsafeBitCast(symbol, to: Function.self))
    }()

    /// Accepts one connection as a non-blocking, close-on-exec socket; -1 with `errno` on failure.
    func callAsFunction(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: UnsafeMutablePointer<socklen_t>?) -> Int32 {
        if let function {
            return function(fd, address, length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        }
        let client = accept(fd, address, length)
        if client >= 0 {
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        }
        return client
    }
}
