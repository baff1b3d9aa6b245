/// The rules of a connection's life — which phase it is in, what may happen next, and when each
/// deadline falls — as a value that is told the time and what happened, and answers with what to
/// do. It does no I/O and reads no clock, so every rule is tested with a fake clock
/// (`ConnectionStateMachineTests`); `Connection` is the shell that performs the actions on the
/// socket. (The idea follows Hummingbird 2's `HTTPConnectionStateHandler.StateMachine`.)
///
/// Times are monotonic nanoseconds. A deadline fires when `now >= deadline`: `deadline` is the
/// first instant at which `tick(now:)` would act (while a response is being written it may be
/// earlier: a tick there finds the rules kept and moves it), so a sweep that calls `tick` once
/// `deadline` has passed acts exactly at the boundary (give or take the sweep period).
///
/// The rules:
/// - idle (between requests, or a fresh connection): closed silently after `keepAliveIdle`;
/// - reading the head: 408 once `headerRead` has passed since the request's first byte (a total,
///   not reset by each byte, so trickling cannot hold a connection);
/// - deciding and handling: no deadline (the application's time, not the client's); the
///   connection does not read meanwhile;
/// - reading the body: 408 when no byte came for `bodyIdle`, or when, `bodyRateGrace` or more
///   after the body began, the bytes received are at most `minBodyRate` per second of the time
///   since it began (Kestrel's `MinRequestBodyDataRate`);
/// - responding: aborted (reset) when queued output made no progress for `writeStall`, or when, after
///   `responseRateGrace`, the bytes the client took are at most `minResponseRate` per second of
///   the response's time — time spent waiting for the application's next piece excluded
///   (Kestrel's `MinResponseDataRate`). "Took" is what left the kernel's send queue: the shell
///   passes the queue's unsent bytes to `tick`, as the kernel accepts a few MB that no client read,
///   and the rule is checked at the end of the grace and every `responseRateCheckInterval` after;
/// - closing (a final response flushing): aborted after `writeStall` without progress;
/// - lingering (half-closed, discarding input): closed after `linger`.
struct ConnectionStateMachine: Sendable {
    /// Durations in nanoseconds; a rate of 0 switches that rule off.
    struct Rules: Sendable, Equatable {
        var headerRead: UInt64
        var bodyIdle: UInt64
        var keepAliveIdle: UInt64
        var writeStall: UInt64
        var linger: UInt64
        var minBodyRate: Int
        var bodyRateGrace: UInt64
        var minResponseRate: Int
        var responseRateGrace: UInt64
        /// How often, after the grace, the response rate is checked against what the client
        /// really took (the deadline alone assumes it took everything the kernel accepted).
        var responseRateCheckInterval: UInt64 = 1_000_000_000
    }

    enum Phase: Sendable, Equatable {
        /// Between requests, or before the first: waiting for a first byte.
        case idle
        /// Some bytes of a request arrived; the header section is not complete.
        case readingHead
        /// The head of a request with a body is with the application (`decide`); nothing is read.
        case deciding
        /// Accepted; body bytes flowing.
        case readingBody
        /// The request is complete and the handler runs; nothing is read (pipelining keeps order).
        case handling
        /// The response is being sent.
        case responding
        /// A final response (error or refusal) is being sent; the connection closes after it.
        case closing
        /// Half-closed after the last response: reading and discarding until the linger ends.
        case lingering
        case closed
    }

    /// What the shell must do after an event.
    enum Action: Sendable, Equatable {
        case none
        /// Ask the application whether to read the body (`HTTPResponder.decide`), off the I/O queue.
        case callDecide
        /// Run the handler (`HTTPResponder.respond`), off the I/O queue.
        case callRespond
        /// Read the body; first send `100 Continue` if the client waits for it.
        case readBody(sendContinue: Bool)
        /// Answer with this error status (408, 413, ...) and close after it.
        case respondWithError(Int)
        /// Half-close and discard input until the linger ends.
        case startLinger
        /// The response is done and the connection stays: look for a pipelined request, then read.
        case readNextRequest
        /// Close at once, sending nothing more.
        case close
        /// Close at once and drop what the kernel still holds for the client (a reset): for a
        /// client too slow to read, whose unread megabytes would otherwise trickle out for minutes.
        case abort
    }

    let rules: Rules
    private(set) var phase: Phase = .idle
    /// The first instant at which `tick` would act; `UInt64.max` when no deadline runs.
    private(set) var deadline: UInt64 = .max

    /// When the current phase's clock started: idle since, request's first byte, body start,
    /// response start, linger start.
    private var phaseStart: UInt64 = 0
    /// Reading the body: the last arrival and the bytes so far.
    private var lastBodyByte: UInt64 = 0
    private(set) var bodyBytes = 0
    private var expectContinue = false
    /// Responding: bytes handed to the kernel, the last write progress, whether output waits for
    /// the socket, and the time spent waiting for the application's next piece.
    private(set) var responseBytes = 0
    private var lastWriteProgress: UInt64 = 0
    private var outputBlocked = false
    private var waitingForProducer = false
    private var producerWaitStart: UInt64 = 0
    private var producerWaited: UInt64 = 0
    /// The next instant the response rate is checked with the kernel's unsent count.
    private var nextRateCheck: UInt64 = .max
    private var keepAlive = false

    init(rules: Rules, now: UInt64) {
        self.rules = rules
        phaseStart = now
        recompute()
    }

    // MARK: Reading a request

    /// The first byte(s) of a request arrived while idle (or were found buffered after a response).
    mutating func requestBegan(now: UInt64) {
        guard phase == .idle else { return }
        phase = .readingHead
        phaseStart = now
        recompute()
    }

    /// The head is complete and no body byte has been consumed.
    mutating func headReceived(now: UInt64, hasBody: Bool, expectContinue: Bool) -> Action {
        guard phase == .idle || phase == .readingHead else { return .none }
        if !hasBody {
            phase = .handling
            recompute()
            return .callRespond
        }
        self.expectContinue = expectContinue
        phase = .deciding
        recompute()
        return .callDecide
    }

    /// The application accepted the body: read it. The body clocks start now.
    mutating func accepted(now: UInt64) -> Action {
        guard phase == .deciding else { return .none }
        phase = .readingBody
        phaseStart = now
        lastBodyByte = now
        bodyBytes = 0
        recompute()
        return .readBody(sendContinue: expectContinue)
    }

    /// The application decided and answered in one go (the whole body had already arrived).
    mutating func answeredWithoutReading(now: UInt64) {
        guard phase == .deciding else { return }
        phase = .handling
        recompute()
    }

    /// The `100 Continue` left: the client starts sending only now, so the body clocks restart.
    mutating func continueSent(now: UInt64) {
        guard phase == .readingBody, bodyBytes == 0 else { return }
        phaseStart = now
        lastBodyByte = now
        recompute()
    }

    mutating func bodyReceived(now: UInt64, count: Int) {
        guard phase == .readingBody, count > 0 else { return }
        bodyBytes += count
        lastBodyByte = now
        recompute()
    }

    /// The body is complete: run the handler.
    mutating func bodyComplete(now: UInt64) -> Action {
        guard phase == .readingBody else { return .none }
        phase = .handling
        recompute()
        return .callRespond
    }

    // MARK: Responding

    /// The handler's response (or the application's refusal) starts going out. `keepAlive` says
    /// whether the connection stays open after it.
    mutating func responseStarted(now: UInt64, keepAlive: Bool) {
        switch phase {
        case .handling, .deciding: break
        default: return
        }
        phase = .responding
        self.keepAlive = keepAlive
        startResponseClock(now)
    }

    /// An error response (or a refusal sent in place of reading) starts; the connection closes after it.
    mutating func finalResponseStarted(now: UInt64) {
        switch phase {
        case .closed, .closing, .lingering: return
        default: break
        }
        phase = .closing
        keepAlive = false
        startResponseClock(now)
    }

    private mutating func startResponseClock(_ now: UInt64) {
        phaseStart = now
        responseBytes = 0
        lastWriteProgress = now
        outputBlocked = false
        waitingForProducer = false
        producerWaited = 0
        nextRateCheck = now &+ rules.responseRateGrace
        recompute()
    }

    /// The socket took `count` bytes (count > 0 is progress).
    ///
    /// The deadline is not recomputed here: progress only moves the stall and rate deadlines
    /// later, so the one in place is early at worst, and a tick at an early deadline finds the
    /// rules kept and recomputes. That keeps a division out of every write.
    mutating func wrote(now: UInt64, count: Int) {
        guard count > 0 else { return }
        responseBytes += count
        lastWriteProgress = now
    }

    /// The socket is full with output still queued: the write-stall clock runs from the last progress.
    mutating func outputBlocked(now: UInt64) {
        if !outputBlocked {
            outputBlocked = true
            recompute()
        }
    }

    /// Everything queued was handed to the kernel.
    mutating func outputFlushed() {
        if outputBlocked {
            outputBlocked = false
            recompute()
        }
    }

    /// Output is queued onto an empty queue: a write begins, and a stall is measured from now,
    /// not from the last write of an earlier burst.
    mutating func outputQueued(now: UInt64) {
        lastWriteProgress = max(lastWriteProgress, now)
    }

    /// Waiting for the application's next piece of a streamed or pulled body: the response-rate
    /// clock stops (a slow producer is not a slow client).
    mutating func awaitingProducer(now: UInt64) {
        guard phase == .responding, !waitingForProducer else { return }
        waitingForProducer = true
        producerWaitStart = now
        recompute()
    }

    mutating func producerDelivered(now: UInt64) {
        guard waitingForProducer else { return }
        waitingForProducer = false
        producerWaited += now &- producerWaitStart
        recompute()
    }

    /// The last byte of the response was handed to the kernel.
    mutating func responseComplete(now: UInt64, draining: Bool) -> Action {
        switch phase {
        case .responding:
            if keepAlive && !draining {
                phase = .idle
                phaseStart = now
                recompute()
                return .readNextRequest
            }
            return startLinger(now: now)
        case .closing:
            return startLinger(now: now)
        default:
            return .none
        }
    }

    private mutating func startLinger(now: UInt64) -> Action {
        phase = .lingering
        phaseStart = now
        recompute()
        return .startLinger
    }

    // MARK: Errors, shutdown, time

    /// A parse error or a limit: answer `status` and close, if no response has begun; otherwise
    /// framing is committed and the connection can only close.
    mutating func failed(now: UInt64, status: Int) -> Action {
        switch phase {
        case .idle, .readingHead, .deciding, .readingBody:
            return .respondWithError(status)
        case .handling, .responding, .closing, .lingering:
            return closed()
        case .closed:
            return .none
        }
    }

    /// Graceful shutdown reached the connection: an idle one closes now; others finish their
    /// response first (the shell marks it `Connection: close`).
    mutating func drain(now: UInt64) -> Action {
        phase == .idle ? closed() : .none
    }

    mutating func closed() -> Action {
        if phase == .closed { return .none }
        phase = .closed
        deadline = .max
        return .close
    }

    private mutating func aborted() -> Action {
        closed() == .close ? .abort : .none
    }

    /// The sweep found `deadline` passed (or checks early: nothing happens before `deadline`).
    /// `unsentInKernel`: bytes the kernel accepted that have not reached the client yet.
    mutating func tick(now: UInt64, unsentInKernel: Int = 0) -> Action {
        guard now >= deadline else { return .none }
        switch phase {
        case .idle, .lingering:
            return closed()
        case .readingHead, .readingBody:
            return .respondWithError(408)
        case .deciding, .handling, .closed:
            return .none
        case .responding, .closing:
            if outputBlocked && now >= lastWriteProgress &+ rules.writeStall { return aborted() }
            if rules.minResponseRate > 0 && !waitingForProducer {
                // `deadline` assumed every byte handed to the kernel was taken; judge by what was.
                let delivered = max(0, responseBytes - max(0, unsentInKernel))
                if Self.atOrBelow(rate: rules.minResponseRate, bytes: delivered,
                                  over: activeResponseTime(now: now), grace: rules.responseRateGrace) {
                    return aborted()
                }
                if now >= nextRateCheck { nextRateCheck = now &+ max(1, rules.responseRateCheckInterval) }
            }
            recompute()
            return .none
        }
    }

    // MARK: Deadlines

    private mutating func recompute() {
        switch phase {
        case .idle:
            deadline = phaseStart &+ rules.keepAliveIdle
        case .readingHead:
            deadline = phaseStart &+ rules.headerRead
        case .deciding, .handling, .closed:
            deadline = .max
        case .readingBody:
            var d = lastBodyByte &+ rules.bodyIdle
            if rules.minBodyRate > 0 {
                d = min(d, phaseStart &+ Self.rateSpan(rate: rules.minBodyRate, bytes: bodyBytes, grace: rules.bodyRateGrace))
            }
            deadline = d
        case .responding, .closing:
            var d = UInt64.max
            if outputBlocked { d = lastWriteProgress &+ rules.writeStall }
            if let rate = responseRateDeadline() { d = min(d, rate, nextRateCheck) }
            deadline = d
        case .lingering:
            deadline = phaseStart &+ rules.linger
        }
    }

    /// When the response-rate rule fails if no more bytes are taken; nil while it is off or the
    /// clock stands still (waiting for the application).
    private func responseRateDeadline() -> UInt64? {
        guard rules.minResponseRate > 0, !waitingForProducer else { return nil }
        return phaseStart &+ producerWaited &+ Self.rateSpan(rate: rules.minResponseRate, bytes: responseBytes,
                                                             grace: rules.responseRateGrace)
    }

    private func activeResponseTime(now: UInt64) -> UInt64 {
        let waited = producerWaited &+ (waitingForProducer ? now &- producerWaitStart : 0)
        let total = now &- phaseStart
        return total > waited ? total - waited : 0
    }

    /// The shortest elapsed time at which `bytes` are at most `rate` bytes per second, but not less
    /// than `grace`: max(grace, ceil(bytes * 1e9 / rate)) nanoseconds, saturating.
    static func rateSpan(rate: Int, bytes: Int, grace: UInt64) -> UInt64 {
        if bytes <= 0 { return grace }
        let (high, low) = UInt64(max(0, bytes)).multipliedFullWidth(by: 1_000_000_000)
        let r = UInt64(max(1, rate))
        guard high < r else { return .max }
        let (q, rem) = r.dividingFullWidth((high, low))
        return max(grace, rem == 0 ? q : q &+ 1)
    }

    /// Whether, `elapsed` ns after the start, `bytes` are at most `rate` per second (and the grace is over).
    static func atOrBelow(rate: Int, bytes: Int, over elapsed: UInt64, grace: UInt64) -> Bool {
        elapsed >= rateSpan(rate: rate, bytes: bytes, grace: grace)
    }
}
