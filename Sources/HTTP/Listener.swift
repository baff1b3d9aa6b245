import Dispatch
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The listening socket and the Dispatch read source that accepts from it.
///
/// Runs on its own serial queue. Accepting is non-blocking (`accept4` with SOCK_NONBLOCK and
/// SOCK_CLOEXEC) in a bounded loop per event. When the process runs out of descriptors
/// (EMFILE/ENFILE) the source is suspended and resumed after a back-off, instead of waking up
/// again at once for the same pending connection and spinning. The fd is closed only in the
/// source's cancel handler.
///
/// `@unchecked Sendable`: `suspended` and `stopped` are only touched on `queue`.
final class Listener: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private let queue = DispatchQueue(label: "http-accept")
    private let source: DispatchSourceRead
    private let logger: Logger
    private var suspended = false
    private var stopped = false
    private static let backoff: DispatchTimeInterval = .milliseconds(100)

    /// Creates, configures, binds and listens; nothing is accepted before `start`.
    init(configuration: ServerConfiguration, logger: Logger) throws(SocketError) {
        guard let address = SocketAddress(host: configuration.host, port: configuration.port) else {
            throw SocketError(call: "address \(configuration.host):\(configuration.port)", code: EINVAL)
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw SocketError(call: "socket", code: errno) }
        do throws(SocketError) {
            try setSocketOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
            if address.family == AF_INET6 {
                try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY,
                                    configuration.ipv6Only ? 1 : 0, "IPV6_V6ONLY")
            }
            let bound = address.withSockaddr { bind(fd, $0, $1) }
            if bound != 0 { throw SocketError(call: "bind", code: errno) }
            if listen(fd, SOMAXCONN) != 0 { throw SocketError(call: "listen", code: errno) }
            let flags = fcntl(fd, F_GETFL)
            if flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 {
                throw SocketError(call: "fcntl(O_NONBLOCK)", code: errno)
            }
            self.port = try SocketAddress.local(of: fd).port
        } catch {
            closeDescriptor(fd)
            throw error
        }
        self.fd = fd
        self.logger = logger
        self.source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
    }

    /// Starts accepting. `onAccept` runs on the accept queue with a non-blocking socket it must
    /// take ownership of; `onStopped` runs once after the listening fd was closed.
    func start(onAccept: @escaping @Sendable (Int32, SocketAddress) -> Void,
               onStopped: @escaping @Sendable () -> Void) {
        let fd = self.fd
        source.setEventHandler { [self] in acceptPending(onAccept) }
        source.setCancelHandler {
            closeDescriptor(fd)
            onStopped()
        }
        source.activate()
    }

    /// Stops accepting and closes the listening socket (asynchronously, on the accept queue).
    func stop() {
        queue.async { [self] in
            if stopped { return }
            stopped = true
            if suspended {
                suspended = false
                source.resume()
            }
            source.cancel()
        }
    }

    private func acceptPending(_ onAccept: @Sendable (Int32, SocketAddress) -> Void) {
        // Bounded, so one busy listener cannot hold the queue; the level-triggered source fires
        // again if connections remain.
        for _ in 0..<128 {
            if stopped { return }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let result: IOResult<Int32>
            do throws(SocketError) {
                result = try withUnsafeMutableBytes(of: &storage) { raw throws(SocketError) in
                    let pointer = raw.baseAddress?.assumingMemoryBound(to: sockaddr.self)
                    return try retryingSyscall("accept4") { Accept4.shared(fd, pointer, &length) }
                }
            } catch {
                switch error.code {
                case ECONNABORTED, EPROTO, EPERM:
                    continue  // the client gave up before we accepted; not our problem
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    logger.warning("accept paused: \(error)")
                    pauseAccepting()
                    return
                default:
                    logger.error("accept failed: \(error)")
                    return
                }
            }
            switch result {
            case .wouldBlock:
                return
            case .done(let client):
                onAccept(client, SocketAddress(storage: storage, length: length))
            }
        }
    }

    /// Out of descriptors: stop listening for a while rather than spin on the pending connection.
    private func pauseAccepting() {
        if suspended || stopped { return }
        suspended = true
        source.suspend()
        queue.asyncAfter(deadline: .now() + Self.backoff) { [self] in
            if suspended && !stopped {
                suspended = false
                source.resume()
            }
        }
    }
}
