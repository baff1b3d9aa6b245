import Foundation

/// A fixed number of worker threads running request handlers, fed from one FIFO queue.
///
/// Handlers may block (a SQLite transaction), so they must not run on the I/O queues, and not on
/// Dispatch's global pool either: on Linux it grows threads slowly and blocked workers starve it.
/// Dedicated threads give a hard bound on concurrency; excess work waits in the queue.
///
/// `@unchecked Sendable`: `jobs` and `stopping` are only touched with `condition` locked.
final class HandlerPool: @unchecked Sendable {
    typealias Job = @Sendable () -> Void

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var stopping = false
    private var idleWorkers = 0

    private let threadCount: Int
    private let name: String

    /// Threads are only spawned by `start`, so a server that never starts leaves none behind.
    init(threads: Int, name: String = "http-handler") {
        threadCount = max(1, threads)
        self.name = name
    }

    func start() {
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.workerLoop() }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Queues a job; it runs on one of the workers as soon as one is free.
    func submit(_ job: @escaping Job) {
        condition.lock()
        jobs.append(job)
        if idleWorkers > 0 { condition.signal() }
        condition.unlock()
    }

    /// Lets the workers exit once the queue is empty. Jobs already queued still run.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func workerLoop() {
        while true {
            condition.lock()
            while head == jobs.count && !stopping {
                idleWorkers += 1
                condition.wait()
                idleWorkers -= 1
            }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 64 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
