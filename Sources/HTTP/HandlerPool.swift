import Dispatch
import Foundation

/// A fixed number of worker threads running request handlers, fed from one FIFO queue.
///
/// Handlers may block (a SQLite transaction), so they must not run on the I/O queues, and not on
/// Dispatch's global pool either: on Linux it grows threads slowly and blocked workers starve it.
/// Dedicated threads give a hard bound on concurrency; excess work waits in the queue.
///
/// Idle workers wait on their own semaphore and are woken last-in, first-out: under light load the
/// same one or two threads (still hot in cache and on a core) take every job, and the rest sleep
/// until handlers block. Waking a different sleeping thread for each job (as one shared condition
/// variable does) cost about a third of the throughput on 2 cores.
///
/// `@unchecked Sendable`: `jobs`, `head`, `idle` and `stopping` are only touched with `lock` held;
/// the semaphores are thread-safe.
final class HandlerPool: @unchecked Sendable {
    typealias Job = @Sendable () -> Void

    private let lock = NSLock()
    private var jobs: [Job] = []
    private var head = 0
    private var stopping = false
    /// Indices of idle workers, the most recently idle last.
    private var idle: [Int] = []
    private let wakeups: [DispatchSemaphore]

    private let threadCount: Int
    private let name: String

    /// Threads are only spawned by `start`, so a server that never starts leaves none behind.
    init(threads: Int, name: String = "http-handler") {
        threadCount = max(1, threads)
        self.name = name
        wakeups = (0..<max(1, threads)).map { _ in DispatchSemaphore(value: 0) }
    }

    func start() {
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.workerLoop(index) }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Queues a job; it runs on one of the workers as soon as one is free.
    func submit(_ job: @escaping Job) {
        lock.lock()
        jobs.append(job)
        let worker = idle.popLast()
        lock.unlock()
        if let worker { wakeups[worker].signal() }
    }

    /// Lets the workers exit once the queue is empty. Jobs already queued still run.
    func stop() {
        lock.lock()
        stopping = true
        let sleeping = idle
        idle.removeAll()
        lock.unlock()
        for worker in sleeping { wakeups[worker].signal() }
    }

    private func workerLoop(_ index: Int) {
        while true {
            lock.lock()
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head > 64 && head * 2 > jobs.count {
                    jobs.removeFirst(head)
                    head = 0
                }
                lock.unlock()
                job()
                continue
            }
            if stopping {
                lock.unlock()
                return
            }
            idle.append(index)
            lock.unlock()
            wakeups[index].wait()
        }
    }
}
