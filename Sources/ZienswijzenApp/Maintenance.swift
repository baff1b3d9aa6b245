import Dispatch
import Foundation
import ZienswijzenOperations

/// The server's own chores, on one timer: writing due failed-authentication windows to the audit
/// log (one transaction for all that are due), checkpointing the write-ahead log beside the
/// writer (every second: the database is opened so that no COMMIT checkpoints), and pruning uploads that were stored but never listed by a version (hourly). `stop` runs them once more, with every open window.
///
/// `@unchecked Sendable`: the timer is set up in `start` and torn down in `stop`, each called once
/// from the thread that runs the server; the event handler touches only `Operations` (Sendable)
/// and `ticks`, which only the timer's serial queue reads and writes.
package final class Maintenance: @unchecked Sendable {
    private let ops: Operations
    private let queue = DispatchQueue(label: "zienswijzen-maintenance")
    private var timer: DispatchSourceTimer?
    private var ticks = 0
    /// Seconds between chores; pruning runs every `pruneEvery` ticks.
    private let interval: Int
    private let pruneEvery: Int

    package init(ops: Operations, interval: Int = 1, pruneEvery: Int = 3600) {
        self.ops = ops
        self.interval = interval
        self.pruneEvery = pruneEvery
    }

    package func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .seconds(interval), leeway: .seconds(1))
        timer.setEventHandler { [self] in tick() }
        timer.activate()
        self.timer = timer
    }

    package func stop() {
        timer?.cancel()
        timer = nil
        queue.sync { _ = ops.flushFailedAuthentications(everything: true) }
    }

    private func tick() {
        ops.flushFailedAuthentications()
        ops.checkpoint()
        if ticks % pruneEvery == 0 {
            do {
                let pruned = try ops.pruneStagedUploads()
                if pruned > 0 { ops.logger.info("pruned stored uploads that no version lists", metadata: ["count": "\(pruned)"]) }
            } catch {
                ops.logger.error("pruning stored uploads failed", metadata: ["error": "\(error)"])
            }
        }
        ticks += 1
    }
}
