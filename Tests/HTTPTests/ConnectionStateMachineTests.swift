import Testing
@testable import HTTP

/// The connection's rules with a fake clock: every deadline and rate fires exactly at its
/// boundary (`tick` at boundary - 1 ns does nothing, at the boundary it acts), and never while the
/// application has the request.
@Suite struct ConnectionStateMachineTests {
    static let ms: UInt64 = 1_000_000
    static let s: UInt64 = 1_000_000_000

    static let rules = ConnectionStateMachine.Rules(
        headerRead: 10 * s, bodyIdle: 30 * s, keepAliveIdle: 60 * s, writeStall: 20 * s, linger: 2 * s,
        minBodyRate: 240, bodyRateGrace: 5 * s, minResponseRate: 1000, responseRateGrace: 5 * s)

    /// A machine started at `t0`, optionally taken to a phase.
    func machine(_ rules: ConnectionStateMachine.Rules = rules, at t0: UInt64 = 1_000 * s) -> ConnectionStateMachine {
        ConnectionStateMachine(rules: rules, now: t0)
    }

    /// Ticks at `boundary - 1` (must do nothing) and at `boundary` (must give `action`).
    func expectBoundary(_ m: inout ConnectionStateMachine, _ boundary: UInt64, _ action: ConnectionStateMachine.Action,
                        unsent: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(m.deadline == boundary, "deadline", sourceLocation: sourceLocation)
        var early = m
        #expect(early.tick(now: boundary - 1, unsentInKernel: unsent) == .none, "early", sourceLocation: sourceLocation)
        #expect(m.tick(now: boundary, unsentInKernel: unsent) == action, "at the boundary", sourceLocation: sourceLocation)
    }

    @Test func idleKeepAliveClosesAtTheBoundary() {
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        #expect(m.phase == .idle)
        expectBoundary(&m, t0 + 60 * Self.s, .close)
        #expect(m.phase == .closed)
    }

    @Test func headerDeadlineIsATotalFromTheFirstByte() {
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        m.requestBegan(now: t0 + 5 * Self.s)
        #expect(m.phase == .readingHead)
        // More bytes arriving do not move it: the machine is not even told.
        expectBoundary(&m, t0 + 15 * Self.s, .respondWithError(408))
    }

    @Test func requestWithoutBodyGoesStraightToTheHandlerWithNoDeadline() {
        var m = machine()
        m.requestBegan(now: 1_000 * Self.s)
        #expect(m.headReceived(now: 1_001 * Self.s, hasBody: false, expectContinue: false) == .callRespond)
        #expect(m.phase == .handling)
        #expect(m.deadline == .max)
        #expect(m.tick(now: .max - 1) == .none)
    }

    @Test func decidingHasNoDeadlineAndAcceptStartsTheBodyClocks() {
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        m.requestBegan(now: t0)
        #expect(m.headReceived(now: t0, hasBody: true, expectContinue: true) == .callDecide)
        #expect(m.phase == .deciding)
        #expect(m.deadline == .max)
        #expect(m.tick(now: t0 + 3_600 * Self.s) == .none)
        let accepted = t0 + 100 * Self.s
        #expect(m.accepted(now: accepted) == .readBody(sendContinue: true))
        // Nothing arrives: the rate rule (grace 5 s, 0 bytes) fires before the idle rule (30 s).
        expectBoundary(&m, accepted + 5 * Self.s, .respondWithError(408))
    }

    @Test func refusalWhileDecidingIsAFinalResponseThenLinger() {
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        m.requestBegan(now: t0)
        _ = m.headReceived(now: t0, hasBody: true, expectContinue: true)
        m.finalResponseStarted(now: t0 + Self.ms)
        #expect(m.phase == .closing)
        #expect(m.responseComplete(now: t0 + 2 * Self.ms, draining: false) == .startLinger)
        #expect(m.phase == .lingering)
        expectBoundary(&m, t0 + 2 * Self.ms + 2 * Self.s, .close)
    }

    @Test func continueSentRestartsTheBodyClocks() {
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        m.requestBegan(now: t0)
        _ = m.headReceived(now: t0, hasBody: true, expectContinue: true)
        _ = m.accepted(now: t0)
        m.continueSent(now: t0 + Self.s)
        expectBoundary(&m, t0 + 6 * Self.s, .respondWithError(408))
    }

    @Test func bodyRateBoundaryIsExact() {
        // 240 B/s: 2,400 bytes by 10 s after the start. With 2,400 bytes in the first second,
        // the rule fires exactly at 10 s (bytes == rate * elapsed counts as too slow), not before.
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        m.requestBegan(now: t0)
        _ = m.headReceived(now: t0, hasBody: true, expectContinue: false)
        _ = m.accepted(now: t0)
        m.bodyReceived(now: t0 + Self.s, count: 2_400)
        expectBoundary(&m, t0 + 10 * Self.s, .respondWithError(408))

        // A count that does not divide evenly rounds the boundary up to the next nanosecond.
        var n = machine(at: t0)
        n.requestBegan(now: t0)
        _ = n.headReceived(now: t0, hasBody: true, expectContinue: false)
        _ = n.accepted(now: t0)
        n.bodyReceived(now: t0 + Self.s, count: 2_401)  // 2401 / 240 s = 10.004166666... s
        expectBoundary(&n, t0 + 10 * Self.s + 4_166_667, .respondWithError(408))
    }

    @Test func oneBodyByteEvery25SecondsIsCutAfterTheGrace() {
        var rules = Self.rules
        rules.bodyIdle = 30 * Self.s
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(rules, at: t0)
        m.requestBegan(now: t0)
        _ = m.headReceived(now: t0, hasBody: true, expectContinue: false)
        _ = m.accepted(now: t0)
        m.bodyReceived(now: t0 + Self.ms, count: 1)
        // 1 byte at 240 B/s is 4.2 ms: the grace decides.
        expectBoundary(&m, t0 + 5 * Self.s, .respondWithError(408))
    }

    @Test func bodyIdleFiresWhenTheRateRuleIsOff() {
        var rules = Self.rules
        rules.minBodyRate = 0
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(rules, at: t0)
        m.requestBegan(now: t0)
        _ = m.headReceived(now: t0, hasBody: true, expectContinue: false)
        _ = m.accepted(now: t0)
        m.bodyReceived(now: t0 + 7 * Self.s, count: 100)
        expectBoundary(&m, t0 + 37 * Self.s, .respondWithError(408))
    }

    @Test func bodyIdleFiresBeforeTheRateWhenBytesCameFastThenStopped() {
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        m.requestBegan(now: t0)
        _ = m.headReceived(now: t0, hasBody: true, expectContinue: false)
        _ = m.accepted(now: t0)
        m.bodyReceived(now: t0 + Self.s, count: 10_000_000)  // rate allows ~11.5 hours
        expectBoundary(&m, t0 + 31 * Self.s, .respondWithError(408))
    }

    @Test func bodyCompleteCallsTheHandlerAndResponseKeepsAlive() {
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        m.requestBegan(now: t0)
        _ = m.headReceived(now: t0, hasBody: true, expectContinue: false)
        _ = m.accepted(now: t0)
        m.bodyReceived(now: t0, count: 10)
        #expect(m.bodyComplete(now: t0) == .callRespond)
        #expect(m.deadline == .max)
        m.responseStarted(now: t0 + Self.s, keepAlive: true)
        m.wrote(now: t0 + Self.s, count: 100)
        #expect(m.responseComplete(now: t0 + 2 * Self.s, draining: false) == .readNextRequest)
        #expect(m.phase == .idle)
        expectBoundary(&m, t0 + 62 * Self.s, .close)
    }

    @Test func drainingClosesAfterTheResponseAndIdleAtOnce() {
        var m = machine()
        #expect(m.drain(now: 1) == .close)
        var busy = machine()
        busy.requestBegan(now: 1_000 * Self.s)
        _ = busy.headReceived(now: 1_000 * Self.s, hasBody: false, expectContinue: false)
        #expect(busy.drain(now: 1_000 * Self.s) == .none)
        busy.responseStarted(now: 1_000 * Self.s, keepAlive: true)
        #expect(busy.responseComplete(now: 1_001 * Self.s, draining: true) == .startLinger)
    }

    /// A response taken to the `responding` phase at `t0`.
    func responding(_ rules: ConnectionStateMachine.Rules = rules, at t0: UInt64) -> ConnectionStateMachine {
        var m = machine(rules, at: t0)
        m.requestBegan(now: t0)
        _ = m.headReceived(now: t0, hasBody: false, expectContinue: false)
        m.responseStarted(now: t0, keepAlive: true)
        return m
    }

    @Test func writeStallClosesAtTheBoundary() {
        var rules = Self.rules
        rules.minResponseRate = 0
        let t0: UInt64 = 1_000 * Self.s
        var m = responding(rules, at: t0)
        #expect(m.deadline == .max)  // nothing blocked yet
        m.outputQueued(now: t0)
        m.wrote(now: t0 + Self.s, count: 1000)
        m.outputBlocked(now: t0 + Self.s)
        expectBoundary(&m, t0 + 21 * Self.s, .abort)
    }

    @Test func writeStallCountsFromTheQueueingOfANewBurstNotFromAnOldWrite() {
        var rules = Self.rules
        rules.minResponseRate = 0
        let t0: UInt64 = 1_000 * Self.s
        var m = responding(rules, at: t0)
        m.outputQueued(now: t0)
        m.wrote(now: t0, count: 10)
        m.outputFlushed()
        m.outputQueued(now: t0 + 50 * Self.s)
        m.outputBlocked(now: t0 + 50 * Self.s)
        expectBoundary(&m, t0 + 70 * Self.s, .abort)
    }

    @Test func responseRateBoundaryIsExact() {
        // 1,000 B/s after a 5 s grace: 8,000 bytes taken last until 8 s. The rule is also checked
        // at the end of the grace and every second after (with the kernel's unsent count).
        let t0: UInt64 = 1_000 * Self.s
        var m = responding(at: t0)
        #expect(m.deadline == t0 + 5 * Self.s)
        m.wrote(now: t0 + Self.ms, count: 8_000)
        for check in [5, 6, 7] as [UInt64] {
            #expect(m.deadline == t0 + check * Self.s)
            #expect(m.tick(now: t0 + check * Self.s) == .none)
        }
        expectBoundary(&m, t0 + 8 * Self.s, .abort)
    }

    @Test func unsentBytesInTheKernelDoNotCountAsTaken() {
        // 8,000 bytes handed to the kernel; at 5 s only 4,000 of them have left: 4,000 <= 5,000.
        let t0: UInt64 = 1_000 * Self.s
        var m = responding(at: t0)
        m.wrote(now: t0 + Self.ms, count: 8_000)
        var allTaken = m
        #expect(allTaken.tick(now: t0 + 5 * Self.s, unsentInKernel: 0) == .none)
        #expect(m.tick(now: t0 + 5 * Self.s, unsentInKernel: 4_000) == .abort)
    }

    @Test func waitingForTheProducerStopsTheResponseRateClock() {
        let t0: UInt64 = 1_000 * Self.s
        var m = responding(at: t0)
        m.wrote(now: t0, count: 6_000)  // good until 6 s of active time
        m.awaitingProducer(now: t0 + Self.s)
        #expect(m.deadline == .max)
        #expect(m.tick(now: t0 + 100 * Self.s) == .none)
        m.producerDelivered(now: t0 + 31 * Self.s)  // 30 s of waiting do not count
        #expect(m.tick(now: t0 + 31 * Self.s) == .none)  // the grace-end check, overdue, passes
        for check in [32, 33, 34, 35] as [UInt64] { #expect(m.tick(now: t0 + check * Self.s) == .none) }
        expectBoundary(&m, t0 + 36 * Self.s, .abort)
    }

    @Test func lingerClosesAtTheBoundary() {
        let t0: UInt64 = 1_000 * Self.s
        var m = machine(at: t0)
        m.requestBegan(now: t0)
        #expect(m.failed(now: t0, status: 400) == .respondWithError(400))
        m.finalResponseStarted(now: t0)
        #expect(m.responseComplete(now: t0 + Self.ms, draining: false) == .startLinger)
        expectBoundary(&m, t0 + Self.ms + 2 * Self.s, .close)
    }

    @Test func failureAfterTheResponseBeganCanOnlyClose() {
        var m = responding(at: 1_000 * Self.s)
        #expect(m.failed(now: 1_000 * Self.s, status: 500) == .close)
        #expect(m.phase == .closed)
        #expect(m.tick(now: .max) == .none)
    }

    @Test func rateSpanSaturatesInsteadOfOverflowing() {
        #expect(ConnectionStateMachine.rateSpan(rate: 1, bytes: Int.max, grace: 0) == .max)
        #expect(ConnectionStateMachine.rateSpan(rate: 240, bytes: 0, grace: 7) == 7)
        #expect(ConnectionStateMachine.rateSpan(rate: 3, bytes: 1, grace: 0) == 333_333_334)
    }
}
