import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed number of worker threads running request handlers, fed from one FIFO queue.
///
/// Handlers may block (a SQLite transaction), so they must not run on the I/O queues, and not on
/// Dispatch's global pool either: on Linux it grows threads slowly and blocked workers starve it.
/// Dedicated threads give a hard bound on concurrency (`threads`); excess work waits in the queue.
///
/// How many of them run at once adapts. Normally at most `awakeTarget` (by default half the
/// cores; the I/O queues use the rest) are awake: a worker that finishes a job takes the next one
/// without sleeping, and a new job only wakes a sleeper while fewer than the target are awake. Waking a thread per job and letting many
/// threads compete for two cores cost about a fifth of the throughput. When handlers block
/// instead of computing, a watchdog notices that queued jobs made no progress for
/// `starvationInterval` and wakes one more worker, and so on up to `threads`; sleepers are woken
/// last-in, first-out so the same few threads (hot in cache) do the work.
///
/// `@unchecked Sendable`: every stored `var` is only touched with `lock` held; the semaphores are
/// thread-safe.
final class HandlerPool: @unchecked Sendable {
    typealias Job = @Sendable () -> Void

    private let lock = NSLock()
    /// Work for connections that were served before and whose last answer was not an error;
    /// taken before `jobs` (see `submit`).
    private var first = JobQueue()
    private var jobs = JobQueue()
    /// Jobs taken from `first` since the last one from `jobs`.
    private var firstInARow = 0
    private static let firstTurns = 3
    private var stopping = false
    /// Indices of sleeping workers, the most recently idle last.
    private var idle: [Int] = []
    private let wakeups: [DispatchSemaphore]
    /// Workers awake (running a job or about to take one).
    private var awake: Int
    /// Jobs taken off the queue so far: the watchdog's measure of progress.
    private var taken: UInt64 = 0
    private var watchdogArmed = false
    private let watchdogWakeup = DispatchSemaphore(value: 0)

    private let threadCount: Int
    private let awakeTarget: Int
    private let starvationInterval: Duration
    private let name: String

    /// Threads are only spawned by `start`, so a server that never starts leaves none behind.
    /// - Parameters:
    ///   - threads: the most handlers that ever run at once.
    ///   - awakeTarget: how many run at once while none of them is stuck.
    ///   - starvationInterval: how long queued jobs may see no progress before one more worker wakes.
    init(threads: Int, awakeTarget: Int, starvationInterval: Duration = .milliseconds(1),
         name: String = "http-handler") {
        threadCount = max(1, threads)
        self.awakeTarget = min(max(1, awakeTarget), threadCount)
        self.starvationInterval = starvationInterval
        self.name = name
        awake = threadCount
        wakeups = (0..<threadCount).map { _ in DispatchSemaphore(value: 0) }
    }

    func start() {
        for index in 0..<threadCount {
            spawn("\(name)-\(index)") { [self] in self.workerLoop(index) }
        }
        spawn("\(name)-watchdog") { [self] in self.watchdogLoop() }
    }

    private func spawn(_ threadName: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = threadName
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Jobs waiting for a worker (for tests).
    var queuedJobs: Int { lock.withLock { first.count + jobs.count } }

    /// Workers asleep right now (for tests: a started pool settles at all of them).
    var sleepingWorkers: Int { lock.withLock { idle.count } }

    /// Queues a job; it runs on one of the workers as soon as one is free. Jobs submitted with
    /// `first` go ahead of the others, three to one: under overload (a flood of new connections
    /// with wrong codes, say) a client the server already answered well is not queued behind the
    /// flood, while newcomers still get a quarter of the workers' turns, so busy established
    /// clients cannot starve them.
    func submit(first isFirst: Bool = false, _ job: @escaping Job) {
        lock.lock()
        if isFirst { first.push(job) } else { jobs.push(job) }
        var worker: Int?
        var armWatchdog = false
        if awake < awakeTarget, let sleeper = idle.popLast() {
            worker = sleeper
            awake += 1
        } else if !watchdogArmed && !idle.isEmpty {
            watchdogArmed = true
            armWatchdog = true
        }
        lock.unlock()
        if let worker { wakeups[worker].signal() }
        if armWatchdog { watchdogWakeup.signal() }
    }

    /// Lets the workers exit once the queue is empty. Jobs already queued still run.
    func stop() {
        lock.lock()
        stopping = true
        let sleeping = idle
        idle.removeAll()
        awake += sleeping.count
        lock.unlock()
        for worker in sleeping { wakeups[worker].signal() }
        watchdogWakeup.signal()
    }

    /// The next job (with `lock` held): from `first` unless it already had `firstTurns` turns in
    /// a row while others waited.
    private func nextJob() -> Job? {
        if !jobs.isEmpty && (first.isEmpty || firstInARow >= Self.firstTurns) {
            firstInARow = 0
            return jobs.pop()
        }
        if let job = first.pop() {
            firstInARow += 1
            return job
        }
        return nil
    }

    private func workerLoop(_ index: Int) {
        lock.lock()
        while true {
            if let job = nextJob() {
                taken &+= 1
                lock.unlock()
                job()
                lock.lock()
                continue
            }
            awake -= 1
            if stopping {
                lock.unlock()
                return
            }
            idle.append(index)
            lock.unlock()
            wakeups[index].wait()
            lock.lock()
        }
    }

    /// Sleeps until armed by `submit` (jobs queued while the awake workers are busy), then checks
    /// every `starvationInterval`: while jobs wait and none was taken since the last look, the
    /// awake workers are all stuck, so one more is woken. Disarms once the queue is empty.
    private func watchdogLoop() {
        let interval = UInt32(clamping: max(100, starvationInterval.nanoseconds / 1000))
        while true {
            watchdogWakeup.wait()
            lock.lock()
            var seen = taken
            lock.unlock()
            while true {
                usleep(interval)
                lock.lock()
                if stopping {
                    lock.unlock()
                    return
                }
                if (first.isEmpty && jobs.isEmpty) || idle.isEmpty {
                    watchdogArmed = false
                    lock.unlock()
                    break
                }
                var worker: Int?
                if taken == seen, let sleeper = idle.popLast() {
                    worker = sleeper
                    awake += 1
                }
                seen = taken
                lock.unlock()
                if let worker { wakeups[worker].signal() }
            }
        }
    }
}

/// A FIFO of jobs: an array read from `head`, compacted once half of it is spent.
private struct JobQueue {
    private var items: [HandlerPool.Job] = []
    private var head = 0

    var isEmpty: Bool { head >= items.count }
    var count: Int { items.count - head }

    mutating func push(_ job: @escaping HandlerPool.Job) { items.append(job) }

    mutating func pop() -> HandlerPool.Job? {
        guard head < items.count else { return nil }
        let job = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return job
    }
}
