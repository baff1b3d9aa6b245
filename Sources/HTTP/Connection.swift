import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection: its socket, its two Dispatch sources, its parser, and where it is in
/// the request/response cycle. This file holds the I/O plumbing (reading, writing, deadlines,
/// closing); `Connection+Requests.swift` holds the HTTP flow.
///
/// Ownership: every stored property is read and written only on `loop.queue`. Handler threads
/// never touch the connection's state; they hand results back with `loop.queue.async`.
/// The fd is closed exactly once, in the cancel handler of whichever source is cancelled last.
///
/// `@unchecked Sendable`: because of the confinement above; the only cross-thread use is
/// capturing the object in closures that are then run on `loop.queue`.
final class Connection: @unchecked Sendable {
    enum Phase {
        /// Between requests: waiting for a first byte (keep-alive idle deadline).
        case idle
        /// Some bytes of a request arrived; header section not complete (total header deadline).
        case readingHead
        /// Head accepted; body bytes flowing (body idle deadline).
        case readingBody
        /// Request complete; the handler runs. Input arriving meanwhile pauses reading (pipelining keeps order).
        case handling
        /// The response is being written (write-stall deadline while the socket is full).
        case responding
        /// Final output flushing, then half-closed and discarding input until the linger ends.
        case closing
    }

    let id: UInt64
    let fd: Int32
    let remoteAddress: String
    let loop: IOLoop
    var context: ServerContext { loop.context }

    private let readSource: DispatchSourceRead
    private let writeSource: DispatchSourceWrite
    private var readSuspended = false
    private var writeSuspended = false
    private var sourcesToCancel = 2
    private(set) var closed = false

    var phase: Phase = .idle
    /// Monotonic instant (ns) at which `deadlinePassed` acts; 0 = none. Checked by the loop's sweep.
    var deadline: UInt64 = 0
    var parser: RequestParser

    /// Bytes waiting to be sent, oldest first; the first one may be partly sent already.
    private var output: [ArraySlice<UInt8>] = []
    var hasPendingOutput: Bool { !output.isEmpty }
    /// Bytes sent for the current response (for the access log).
    var bytesSentForResponse = 0

    /// Monotonic instant of the last write progress (or of queueing output onto an empty queue):
    /// the write-stall deadline counts from here, so wake-ups without progress don't extend it.
    private var lastWriteProgress: UInt64 = 0

    /// True while `flush` runs, so a `send` from inside `outputDrained` only queues its bytes
    /// and the running flush loop sends them (no recursion, however long a stream runs).
    private var flushing = false

    /// While lingering: bytes discarded so far.
    private var lingered = 0
    private var lingering = false

    // The request/response cycle (used by Connection+Requests.swift).
    /// The request being read, handled or answered.
    var request: InFlightRequest?
    /// Monotonic instant the current request's first byte was seen.
    var requestStarted: UInt64 = 0
    var responseStatus = 0
    /// The `X-Request-ID` of the response being sent, for the access log.
    var responseRequestID: String?
    var responseKeepAlive = false
    var responseStream: ResponseStreamChannel?
    var streamChunked = false

    init(id: UInt64, fd: Int32, remoteAddress: String, loop: IOLoop) {
        self.id = id
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.parser = RequestParser(limits: loop.context.configuration.parserLimits)
        self.readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
        self.writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: loop.queue)
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func start() {
        readSource.setEventHandler { [self] in readable() }
        writeSource.setEventHandler { [self] in writable() }
        let cancelled: @Sendable () -> Void = { [self] in sourceCancelled() }
        readSource.setCancelHandler(handler: cancelled)
        writeSource.setCancelHandler(handler: cancelled)
        readSource.activate()
        writeSource.activate()
        // Writes are attempted directly; the write source only runs while the socket is full.
        writeSource.suspend()
        writeSuspended = true
        deadline = Self.now() + context.configuration.keepAliveIdleTimeout.nanoseconds
    }

    // MARK: Reading

    func pauseReading() {
        if !readSuspended {
            readSource.suspend()
            readSuspended = true
        }
    }

    func resumeReading() {
        if readSuspended {
            readSource.resume()
            readSuspended = false
        }
    }

    private func readable() {
        if closed { return }
        switch phase {
        case .handling, .responding:
            // Pipelined bytes (or the client's FIN) while a response is pending: leave them in
            // the socket until it is done, so responses keep request order and input stays bounded.
            pauseReading()
            return
        case .idle, .readingHead, .readingBody, .closing:
            break
        }
        let buffer = loop.readBuffer
        let count: Int
        do {
            switch try socketReceive(fd, buffer) {
            case .wouldBlock: return
            case .done(let n): count = n
            }
        } catch {
            closeNow()
            return
        }
        if lingering {
            lingered += count
            if count == 0 || lingered > context.configuration.lingerByteLimit { closeNow() }
            return
        }
        if count == 0 {
            // The client stopped sending. Whatever request was partial can never complete.
            closeNow()
            return
        }
        parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        bytesArrived()
    }

    // MARK: Writing

    /// Queues bytes and tries to send them at once.
    func send(_ bytes: [UInt8]) {
        if bytes.isEmpty || closed { return }
        if output.isEmpty { lastWriteProgress = Self.now() }
        output.append(bytes[...])
        flush()
    }

    /// Queues two buffers (a head and a large body) without copying them together.
    func send(_ first: [UInt8], _ second: [UInt8]) {
        if closed { return }
        if output.isEmpty { lastWriteProgress = Self.now() }
        if !first.isEmpty { output.append(first[...]) }
        if !second.isEmpty { output.append(second[...]) }
        flush()
    }

    /// Drops `count` sent bytes from the front of the queued output (they may span buffers).
    private func consume(_ count: Int) {
        var remaining = count
        while remaining > 0, let first = output.first {
            if remaining >= first.count {
                remaining -= first.count
                output.removeFirst()
            } else {
                output[0] = first.dropFirst(remaining)
                remaining = 0
            }
        }
    }

    /// Sends as much queued output as the socket takes. On EAGAIN it arms the write source and
    /// returns (never spins); the write-stall deadline then measures time without progress.
    /// When everything is sent it asks `outputDrained` what comes next, and sends that too.
    func flush() {
        if flushing { return }
        flushing = true
        defer { flushing = false }
        while !closed {
            guard let first = output.first else {
                if !writeSuspended {
                    writeSource.suspend()
                    writeSuspended = true
                }
                outputDrained()
                if output.isEmpty { return }
                continue
            }
            let result: IOResult<Int>
            do {
                if output.count >= 2 {
                    let second = output[1]
                    result = try first.withUnsafeBytes { a in
                        try second.withUnsafeBytes { b in try socketSend(fd, a, b) }
                    }
                } else {
                    result = try first.withUnsafeBytes { raw throws(SocketError) in try socketSend(fd, raw) }
                }
            } catch {
                closeNow()
                return
            }
            switch result {
            case .wouldBlock:
                if writeSuspended {
                    writeSource.resume()
                    writeSuspended = false
                }
                deadline = lastWriteProgress + context.configuration.writeStallTimeout.nanoseconds
                return
            case .done(let n):
                bytesSentForResponse += n
                if n > 0 { lastWriteProgress = Self.now() }
                consume(n)
            }
        }
    }

    private func writable() {
        if closed { return }
        flush()
    }

    // MARK: Closing

    /// Closes after the queued output is sent: half-close (`shutdown(SHUT_WR)`) so the client
    /// sees the end of the response, then read and discard its remaining bytes for a bounded time
    /// before closing, so unread input does not turn our FIN into a reset that destroys the
    /// response in flight (RFC 9112 §9.6).
    func closeAfterOutput() {
        if closed { return }
        phase = .closing
        pauseReading()
        if output.isEmpty { startLinger() } else { flush() }
    }

    /// Called by `outputDrained` once everything of a closing connection is sent.
    func startLinger() {
        if closed || lingering { return }
        lingering = true
        shutdownWrite(fd)
        deadline = Self.now() + context.configuration.lingerTimeout.nanoseconds
        resumeReading()
    }

    /// Closes immediately, dropping queued output. Idempotent.
    func closeNow() {
        if closed { return }
        closed = true
        deadline = 0
        output.removeAll()
        connectionClosing()
        loop.remove(id)
        // A suspended source never delivers its cancel handler, so resume before cancelling.
        resumeReading()
        if writeSuspended {
            writeSource.resume()
            writeSuspended = false
        }
        readSource.cancel()
        writeSource.cancel()
    }

    private func sourceCancelled() {
        sourcesToCancel -= 1
        if sourcesToCancel == 0 {
            closeDescriptor(fd)
            context.socketClosed()
        }
    }

    /// The sweep found `deadline` passed.
    func deadlinePassed() {
        if closed { return }
        deadline = 0
        switch phase {
        case .idle, .responding, .closing, .handling:
            // Idle keep-alive, a stalled write or an over-long linger: nothing more to say.
            closeNow()
        case .readingHead, .readingBody:
            requestTimedOut()
        }
    }
}
