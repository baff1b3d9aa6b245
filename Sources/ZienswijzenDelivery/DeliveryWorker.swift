import Dispatch
import Foundation
import Logging
import Synchronization
import ZienswijzenDomain
import ZienswijzenOperations

/// The delivery worker: the one road from the outbox to the outside world.
///
/// One thread of its own (never an I/O queue or a request handler) runs this loop:
/// 1. every `housekeepingInterval` seconds: a reminder scheduling step at the clock's time, and
///    (hourly) pruning of delivered entries past the retention;
/// 2. read the due entries (a read transaction): the oldest waiting entry of each recipient whose
///    time has come, at most `batch`;
/// 3. none: wait for the doorbell (rung after a commit that wrote entries) or one second (for
///    entries written by another process, such as `zienswijzen reminders run`, and for retry
///    times), then start again;
/// 4. deliver them, up to `concurrency` at a time (they are for different recipients, so order per
///    recipient holds), each outside any transaction, and record each outcome in a short write
///    transaction of its own: sent, or a failed attempt with its reason and the next attempt's
///    time (`RetryPolicy`), or failed for good.
/// A crash between a delivery and its record means the entry is delivered again after the
/// restart: at least once. `stop()` lets the deliveries in progress finish (each is bounded by
/// its transport's timeout) and returns when the thread has ended.
package final class DeliveryWorker: Sendable {
    private let ops: Operations
    private let mail: (any MailTransport)?
    private let webhooks: any WebhookSender
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    package let batch: Int
    package let concurrency: Int
    package let housekeepingInterval: Double

    package init(ops: Operations, mail: (any MailTransport)?, webhooks: any WebhookSender, logger: Logger,
                 batch: Int = 32, concurrency: Int = 4, housekeepingInterval: Double = 30) {
        self.ops = ops
        self.mail = mail
        self.webhooks = webhooks
        self.logger = logger
        self.batch = batch
        self.concurrency = max(1, concurrency)
        self.housekeepingInterval = housekeepingInterval
    }

    package func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "delivery-worker"
        thread.start()
        logger.info("delivery worker started", metadata: ["mail": "\(mail?.summary ?? "not configured")"])
    }

    /// Stops the loop after the deliveries in progress; false when it did not end within `timeout`.
    @discardableResult
    package func stop(timeout: Double = 60) -> Bool {
        guard started.load(ordering: .acquiring) else { return true }
        stopping.store(true, ordering: .releasing)
        ops.outboxBell.ring()
        let ended = finished.wait(timeout: .now() + timeout) == .success
        logger.info(ended ? "delivery worker stopped" : "delivery worker did not stop in time")
        return ended
    }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    private func run() {
        var nextHousekeeping = ContinuousClock.now
        var nextPrune = ContinuousClock.now
        while !isStopping {
            if ContinuousClock.now >= nextHousekeeping {
                nextHousekeeping = .now + .seconds(housekeepingInterval)
                housekeeping(prune: ContinuousClock.now >= nextPrune)
                if ContinuousClock.now >= nextPrune { nextPrune = .now + .seconds(3600) }
            }
            let due: [DueBezorging]
            do {
                due = try ops.dueDeliveries(limit: batch)
            } catch {
                logger.error("outbox read failed", metadata: ["error": "\(error)"])
                ops.outboxBell.wait(timeout: 5)
                continue
            }
            if due.isEmpty {
                ops.outboxBell.wait(timeout: 1)
                continue
            }
            deliverAll(due)
        }
    }

    private func housekeeping(prune: Bool) {
        do {
            for run in try ops.scheduleReminders(at: ops.clock.now()) {
                logger.info("reminders written", metadata: ["raadpleging": "\(run.raadpleging)", "stap": "\(run.stap)",
                                                            "gemeenten": "\(run.gemeenten.count)"])
            }
            if prune {
                let removed = try ops.pruneDeliveries()
                if removed > 0 { logger.info("delivered entries pruned", metadata: ["count": "\(removed)"]) }
            }
        } catch {
            logger.error("reminder or prune step failed", metadata: ["error": "\(error)"])
        }
    }

    private func deliverAll(_ due: [DueBezorging]) {
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: concurrency)
        for entry in due {
            slots.wait()
            group.enter()
            DispatchQueue.global().async { [self] in
                deliver(entry)
                slots.signal()
                group.leave()
            }
        }
        group.wait()
    }

    /// One attempt and its record.
    func deliver(_ due: DueBezorging) {
        let entry = due.bezorging
        let started = ContinuousClock.now
        var meta: Logger.Metadata = ["bezorging": "\(entry.id)", "kanaal": "\(entry.kanaal.rawValue)", "soort": "\(entry.soort)",
                                     "poging": "\(entry.pogingen + 1)"]
        do {
            switch entry.kanaal {
            case .email:
                guard let mail else {
                    try ops.recordUndeliverable(entry, error: "e-mail is niet ingesteld (--sendmail)")
                    return
                }
                try mail.send(due.inhoud)
            case .webhook:
                guard let webhook = due.webhook, webhook.actief else {
                    try ops.recordUndeliverable(entry, error: "eindpunt uitgeschakeld of verwijderd")
                    return
                }
                meta["webhook"] = "\(webhook.id)"
                let timestamp = Int(ops.clock.now().timeIntervalSince1970)
                guard let signed = StandardWebhooks.headers(secret: webhook.geheim, id: entry.berichtID, timestamp: timestamp,
                                                            body: due.inhoud) else {
                    try ops.recordUndeliverable(entry, error: "het geheim van het eindpunt is onbruikbaar")
                    return
                }
                try webhooks.post(url: webhook.url, body: due.inhoud, headers: [("Content-Type", CloudEvent.mediaType)] + signed)
            }
            try ops.recordDelivered(entry)
            let elapsed = started.duration(to: .now)
            meta["ms"] = "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)"
            logger.info("delivered", metadata: meta)
        } catch let failure as DeliveryFailure {
            meta["error"] = "\(failure.reason)"
            logger.warning("delivery attempt failed", metadata: meta)
            do {
                try ops.recordFailedAttempt(entry, error: failure.reason)
            } catch {
                logger.error("could not record a failed delivery", metadata: ["bezorging": "\(entry.id)", "error": "\(error)"])
            }
        } catch {
            // The database: the outcome is not recorded, so the entry is delivered again (at least once).
            logger.error("could not record a delivery", metadata: ["bezorging": "\(entry.id)", "error": "\(error)"])
        }
    }
}
