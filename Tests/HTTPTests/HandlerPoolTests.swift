import Dispatch
import Foundation
import Synchronization
import Testing

@testable import HTTP

/// The handler pool runs at most one handler per core while they compute, but must not let
/// blocked handlers starve the queue (a SQLite transaction waits for the writer), and must never
/// exceed its thread count.
@Suite struct HandlerPoolTests {
    /// Counts jobs running at once and remembers the most seen.
    final class Gauge: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private var most = 0
        func enter() { lock.withLock { running += 1; most = max(most, running) } }
        func leave() { lock.withLock { running -= 1 } }
        var highest: Int { lock.withLock { most } }
    }

    /// Starts the pool and waits until every worker has gone to sleep, so the jobs that follow
    /// are started by `submit` and the watchdog, not by workers that happen to be awake.
    static func started(_ pool: HandlerPool, threads: Int) -> HandlerPool {
        pool.start()
        let deadline = DispatchTime.now() + 10
        while pool.sleepingWorkers < threads && DispatchTime.now() < deadline { sched_yield() }
        #expect(pool.sleepingWorkers == threads)
        return pool
    }

    /// With its one worker busy, ten ordinary jobs and then ten `first` jobs are queued: `first`
    /// ones go ahead three to one while both wait, each lane in its own order.
    @Test func firstJobsOvertakeQueuedOnes() {
        let pool = Self.started(HandlerPool(threads: 1, awakeTarget: 1, starvationInterval: .seconds(60)), threads: 1)
        defer { pool.stop() }
        let busy = DispatchSemaphore(value: 0)
        let running = DispatchSemaphore(value: 0)
        pool.submit { running.signal(); busy.wait() }
        running.wait()
        let order = Mutex<[String]>([])
        let done = DispatchGroup()
        for i in 0..<10 {
            done.enter()
            pool.submit { order.withLock { $0.append("n\(i)") }; done.leave() }
        }
        for i in 0..<10 {
            done.enter()
            pool.submit(first: true) { order.withLock { $0.append("f\(i)") }; done.leave() }
        }
        busy.signal()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(order.withLock { $0 } == ["f0", "f1", "f2", "n0", "f3", "f4", "f5", "n1", "f6", "f7", "f8", "n2", "f9"]
                + (3..<10).map { "n\($0)" })
    }

    /// Every job blocks until all of them have started: this completes only if the pool wakes
    /// more workers than its awake target once the awake ones are stuck.
    @Test func blockedHandlersMakeRoomForMoreWorkers() {
        let jobs = 8
        let pool = Self.started(HandlerPool(threads: jobs, awakeTarget: 1, starvationInterval: .milliseconds(1)), threads: jobs)
        defer { pool.stop() }
        let arrived = DispatchGroup()
        let allArrived = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        for _ in 0..<jobs {
            arrived.enter()
            finished.enter()
        }
        arrived.notify(queue: .global()) { allArrived.signal() }
        let release = DispatchSemaphore(value: 0)
        for _ in 0..<jobs {
            pool.submit {
                arrived.leave()
                release.wait()
                finished.leave()
            }
        }
        let gathered = allArrived.wait(timeout: .now() + 10)
        for _ in 0..<jobs { release.signal() }
        #expect(gathered == .success, "all \(jobs) blocking jobs should run at once")
        #expect(finished.wait(timeout: .now() + 10) == .success)
    }

    /// However many jobs wait, no more than `threads` run at once, and every one of them runs.
    @Test func concurrencyNeverExceedsTheThreadCount() {
        let pool = Self.started(HandlerPool(threads: 3, awakeTarget: 1, starvationInterval: .milliseconds(1)), threads: 3)
        defer { pool.stop() }
        let gauge = Gauge()
        let finished = DispatchGroup()
        for _ in 0..<40 {
            finished.enter()
            pool.submit {
                gauge.enter()
                usleep(2_000)  // a blocking call: the watchdog adds workers up to the cap
                gauge.leave()
                finished.leave()
            }
        }
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(gauge.highest <= 3)
        #expect(gauge.highest >= 2, "blocked jobs should have brought a second worker in")
    }

    /// Jobs queued before `stop` still run; workers exit afterwards.
    @Test func stopRunsWhatIsQueued() {
        let pool = HandlerPool(threads: 2, awakeTarget: 1)
        pool.start()
        let finished = DispatchGroup()
        let ran = Atomic<Int>(0)
        for _ in 0..<100 {
            finished.enter()
            pool.submit {
                ran.add(1, ordering: .relaxed)
                finished.leave()
            }
        }
        pool.stop()
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(ran.load(ordering: .relaxed) == 100)
    }
}
