import Foundation
import Synchronization
import ZienswijzenDomain
import ZienswijzenStore

/// Failed authentications, audited in aggregate: one audit row per address per minute with the
/// number of failures, so a flood of wrong codes cannot force one durable write per request.
///
/// A window opens at an address's first failure and closes a minute later; closed windows are
/// written together, in one transaction, by `flush` (the server calls it every few seconds, before
/// the audit log is read, and at shutdown). Memory is bounded by `capacity` open windows: past it
/// the oldest are written early.
package final class FailedAuthentications: Sendable {
    package static let windowLength: TimeInterval = 60

    struct Window {
        var opened: Date
        var count: Int
        /// The first failure's path and reason.
        var onderwerp: String
        var reason: String
    }

    private let open = Mutex<[String: Window]>([:])
    /// Windows that closed because a new one opened for their address.
    private let closed = Mutex<[(String, Window)]>([])
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Counts one failure; true when the address now holds more windows than `capacity` allows
    /// (the caller should flush).
    func record(address: String, onderwerp: String, reason: String, at now: Date) -> Bool {
        open.withLock { open in
            if var window = open[address], now.timeIntervalSince(window.opened) < Self.windowLength {
                window.count += 1
                open[address] = window
            } else {
                // A new window; the previous one, if any, is closed and written at the next flush.
                if let previous = open[address] { closed.withLock { $0.append((address, previous)) } }
                open[address] = Window(opened: now, count: 1, onderwerp: onderwerp, reason: reason)
            }
            return open.count > capacity
        }
    }

    /// The windows to write now: every closed one, and the open ones that are a minute old (all
    /// of them with `everything`, at shutdown or before the log is read).
    func take(now: Date, everything: Bool) -> [(address: String, window: Window)] {
        var out = closed.withLock { list -> [(String, Window)] in defer { list.removeAll() }; return list }
        open.withLock { open in
            let ripe = open.filter { everything || now.timeIntervalSince($0.value.opened) >= Self.windowLength
                || open.count > capacity }
            for (address, window) in ripe {
                out.append((address, window))
                open[address] = nil
            }
        }
        return out.map { (address: $0.0, window: $0.1) }
    }

    /// Windows not yet written (for metrics and tests).
    package var openCount: Int { open.withLock { $0.count } }
}

extension Operations {
    /// Writes the failed-authentication windows that are due (all of them with `everything`) as
    /// audit rows, in one transaction; returns how many rows.
    @discardableResult
    package func flushFailedAuthentications(everything: Bool = false) -> Int {
        let due = failedAuthentications.take(now: clock.now(), everything: everything)
        guard !due.isEmpty else { return 0 }
        do {
            try write { db in
                for (address, window) in due {
                    let details = window.count == 1 ? window.reason : "\(window.count) mislukte pogingen in een minuut; de eerste: \(window.reason)"
                    try audit(db, AuditRecord(.authenticatieMislukt, by: Actor(.anonymous, address: address, channel: .api),
                                              at: window.opened, onderwerp: window.onderwerp, details: details))
                }
            }
        } catch {
            logger.error("audit write of failed authentications failed", metadata: ["error": "\(error)", "rows": "\(due.count)"])
        }
        return due.count
    }
}
