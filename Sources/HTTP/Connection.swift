import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection: its socket, its two Dispatch sources, its parser, and the shell around
/// its `ConnectionStateMachine`. The machine holds the rules (phases, deadlines, rates); this
/// class performs what it answers on the socket. This file holds the I/O plumbing (reading,
/// writing, closing); `Connection+Requests.swift` the request flow (head, decision, body);
/// `Connection+Responses.swift` the responses (bytes, streams, pulled bodies).
///
/// Ownership: every stored property is read and written only on `loop.queue`. Handler threads
/// never touch the connection's state; they hand results back with `loop.queue.async`.
/// The fd is closed exactly once, in the cancel handler of whichever source is cancelled last.
///
/// `@unchecked Sendable`: because of the confinement above; the only cross-thread use is
/// capturing the object in closures that are then run on `loop.queue`.
final class Connection: @unchecked Sendable {
    let id: UInt64
    let fd: Int32
    let remoteAddress: String
    let loop: IOLoop
    var context: ServerContext { loop.context }

    private let readSource: DispatchSourceRead
    /// Made at the first write the socket would not take: most connections never need one, and
    /// each source costs Dispatch's manager thread a registration, a suspension and a cancel.
    private var writeSource: DispatchSourceWrite?
    private var readSuspended = false
    private var writeSuspended = false
    private var sourcesToCancel = 1
    private(set) var closed = false
    /// Whether this connection's slot in its address's share was given back (at linger or close).
    private var addressSlotReleased = false

    var machine: ConnectionStateMachine
    var parser: RequestParser
    /// Counts the times this connection became idle; the loop's idle list uses it to tell a
    /// current entry from a stale one.
    var idleEpoch: UInt64 = 0

    /// Bytes waiting to be sent, oldest first; the first one may be partly sent already.
    private var output: [ArraySlice<UInt8>] = []
    var hasPendingOutput: Bool { !output.isEmpty }
    /// Bytes sent for the current response (for the access log).
    var bytesSentForResponse = 0

    /// True while `flush` runs, so a `send` from inside `outputDrained` only queues its bytes
    /// and the running flush loop sends them (no recursion, however long a stream runs).
    private var flushing = false

    /// While lingering: bytes discarded so far.
    private var lingered = 0

    // The request/response cycle (used by the extensions).
    /// The request being read, decided, handled or answered.
    var request: InFlightRequest?
    /// Monotonic instant the current request's first byte was seen.
    var requestStarted: UInt64 = 0
    var responseStatus = 0
    /// The `X-Request-ID` of the response being sent, for the access log.
    var responseRequestID: String?
    /// A response began whose access-log line has not been written yet.
    var responseUnrecorded = false
    /// Close after the current response even if it allowed keep-alive (a pulled body of the wrong length).
    var closeAfterResponse = false
    var responseStream: ResponseStreamChannel?
    var streamChunked = false
    var pull: PullState?
    /// A `100 Continue` is queued; the body clocks restart once it has left.
    var continuePending = false
    /// The last response on this connection was below 400: its next requests go to the front of
    /// the handler queue (`HandlerPool.submit(first:)`). New connections, and any after an error
    /// answer (a wrong code, say), queue behind them.
    var servedWell = false
    /// The response being sent answers a request read to its end whose client said it closes
    /// afterwards (`Connection: close`, or HTTP/1.0 without keep-alive): see `startLinger`.
    var clientWillSendNothingMore = false

    init(id: UInt64, fd: Int32, remoteAddress: String, loop: IOLoop) {
        self.id = id
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.parser = RequestParser(limits: loop.context.configuration.parserLimits)
        self.machine = ConnectionStateMachine(rules: loop.context.rules, now: Self.now())
        self.readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func start() {
        readSource.setEventHandler { [self] in readable() }
        readSource.setCancelHandler { [self] in sourceCancelled() }
        readSource.activate()
        loop.enteredIdle(self)
        // Most clients send their request with the handshake's last packet: read it now rather
        // than after a round trip through Dispatch's event thread (a would-block read is harmless).
        readable()
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
        switch machine.phase {
        case .deciding, .handling, .responding, .closing:
            // Bytes (or the client's FIN) while the application decides or a response is
            // pending: leave them in the socket until it is done, so responses keep request
            // order, the body waits for the decision, and input stays bounded.
            pauseReading()
            return
        case .closed:
            return
        case .idle, .readingHead, .readingBody, .lingering:
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
        loop.bytesRead &+= count
        if machine.phase == .lingering {
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
        processParser()
    }

    // MARK: Writing

    /// Queues bytes and tries to send them at once.
    func send(_ bytes: [UInt8]) {
        if bytes.isEmpty || closed { return }
        if output.isEmpty { machine.outputQueued(now: Self.now()) }
        output.append(bytes[...])
        flush()
    }

    /// Queues two buffers (a head and a large body) without copying them together.
    func send(_ first: [UInt8], _ second: [UInt8]) {
        if closed { return }
        if output.isEmpty { machine.outputQueued(now: Self.now()) }
        if !first.isEmpty { output.append(first[...]) }
        if !second.isEmpty { output.append(second[...]) }
        flush()
    }

    /// Queues pieces in order without copying them together.
    func send(slices: [ArraySlice<UInt8>]) {
        if closed { return }
        if output.isEmpty { machine.outputQueued(now: Self.now()) }
        for slice in slices where !slice.isEmpty { output.append(slice) }
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
    /// returns (never spins); the state machine's write-stall and rate rules then watch progress.
    /// When everything is sent it asks `outputDrained` what comes next, and sends that too.
    func flush() {
        if flushing { return }
        flushing = true
        defer { flushing = false }
        while !closed {
            guard let first = output.first else {
                if let writeSource, !writeSuspended {
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
                // Writes are attempted directly; the write source only runs while the socket is full.
                if let writeSource {
                    if writeSuspended {
                        writeSource.resume()
                        writeSuspended = false
                    }
                } else {
                    let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: loop.queue)
                    source.setEventHandler { [self] in writable() }
                    source.setCancelHandler { [self] in sourceCancelled() }
                    sourcesToCancel += 1
                    writeSource = source
                    source.activate()
                }
                machine.outputBlocked(now: Self.now())
                return
            case .done(let n):
                bytesSentForResponse += n
                if n > 0 { machine.wrote(now: Self.now(), count: n) }
                consume(n)
            }
        }
    }

    private func writable() {
        if closed { return }
        flush()
    }

    // MARK: Closing

    /// Half-closes (`shutdown(SHUT_WR)`) so the client sees the end of the response, then reads
    /// and discards its remaining bytes for a bounded time and amount before closing, so unread
    /// input does not turn our FIN into a reset that destroys the response in flight (RFC 9112 §9.6).
    /// The connection's slot in its address's share is given back here, not at the close: a
    /// lingering connection is on its way out (bounded by `lingerTimeout` and `lingerByteLimit`),
    /// and a client that does not close its end promptly after a refusal must not be refused
    /// more connections for it.
    func startLinger() {
        if closed { return }
        // Lingering guards input that is still coming. There is none when the client asked to close,
        // its request was read to the end, and nothing else has arrived: then a plain close sends
        // the FIN after the response (no reset), and saves the wake-up for the client's own FIN.
        if clientWillSendNothingMore && parser.bufferedByteCount == 0 && kernelUnreadBytes(fd) == 0 {
            closeNow()
            return
        }
        shutdownWrite(fd)
        releaseAddressSlot()
        resumeReading()
    }

    /// Gives the slot back once (at linger, at close, or when shed for a newcomer of the address).
    func releaseAddressSlot() {
        if addressSlotReleased { return }
        addressSlotReleased = true
        context.releaseAddress(remoteAddress)
    }

    /// Closes immediately, dropping queued output. With `abort`, what the kernel still holds for
    /// the client is dropped too (SO_LINGER 0: the close sends a reset): a client that reads too
    /// slowly must not keep megabytes of socket buffer for minutes. Idempotent.
    func closeNow(abort: Bool = false) {
        if closed { return }
        if abort { setAbortiveClose(fd) }
        closed = true
        let phase = machine.phase
        _ = machine.closed()
        output.removeAll()
        connectionClosing(from: phase)
        loop.remove(id)
        // A suspended source never delivers its cancel handler, so resume before cancelling.
        resumeReading()
        if let writeSource {
            if writeSuspended {
                writeSource.resume()
                writeSuspended = false
            }
            writeSource.cancel()
        }
        readSource.cancel()
    }

    private func sourceCancelled() {
        sourcesToCancel -= 1
        if sourcesToCancel == 0 {
            closeDescriptor(fd)
            releaseAddressSlot()
            context.socketClosed()
        }
    }

    /// The sweep found the machine's deadline passed.
    func deadlinePassed(now: UInt64) {
        if closed { return }
        var unsent = 0
        if machine.phase == .responding || machine.phase == .closing {
            unsent = kernelUnsentBytes(fd)
        }
        perform(machine.tick(now: now, unsentInKernel: unsent))
    }

    /// Performs an action of the state machine that needs no more than the connection itself.
    func perform(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .none, .readBody, .callDecide, .callRespond, .readNextRequest:
            break
        case .respondWithError(let status):
            respondWithError(status)
        case .startLinger:
            startLinger()
        case .close:
            closeNow()
        case .abort:
            closeNow(abort: true)
        }
    }
}

/// Makes the coming `close` drop unsent data and reset the connection (SO_LINGER on, 0 s).
func setAbortiveClose(_ fd: Int32) {
    var option = linger(l_onoff: 1, l_linger: 0)
    _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
}

/// Bytes received that nobody has read yet (`FIONREAD`); -1 where unsupported or on error, so a
/// caller that needs "none" never assumes it.
func kernelUnreadBytes(_ fd: Int32) -> Int {
    #if os(Linux)
    var count: Int32 = 0
    let fionread: UInt = 0x541B
    return ioctl(fd, fionread, &count) == 0 ? Int(count) : -1
    #else
    return -1
    #endif
}

/// Bytes the kernel holds in a socket's send queue that the peer has not acknowledged
/// (`SIOCOUTQ`); 0 where unsupported.
func kernelUnsentBytes(_ fd: Int32) -> Int {
    #if os(Linux)
    var count: Int32 = 0
    let siocoutq: UInt = 0x5411  // SIOCOUTQ == TIOCOUTQ
    return ioctl(fd, siocoutq, &count) == 0 ? Int(max(0, count)) : 0
    #else
    return 0
    #endif
}
