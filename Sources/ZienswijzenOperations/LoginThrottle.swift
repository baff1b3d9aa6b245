import Foundation
import Synchronization

/// Slows brute force: after `maxFailures` failed authentications from one address within
/// `window`, that address gets 429 until the oldest failure leaves the window. In memory: a restart
/// forgets, which is acceptable since every failure is also in the audit log.
package final class LoginThrottle: Sendable {
    package let maxFailures: Int
    package let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    package init(maxFailures: Int = 10, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Seconds to wait before trying again, or nil when the address may try now.
    package func retryAfter(address: String, now: Date) -> Int? {
        failures.withLock { table in
            let recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            table[address] = recent.isEmpty ? nil : recent
            guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    package func recordFailure(address: String, now: Date) {
        failures.withLock { table in
            var list = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            list.append(now)
            table[address] = list
            if table.count > 100_000 { table.removeAll() } // bound memory under a distributed attack
        }
    }
}

/// Remembers when each access code was last written as used, so `laatst_gebruikt_op` costs a
/// write at most once a minute per code rather than one durable write per request.
package final class LastUseTracker: Sendable {
    private let written = Mutex<[Int64: Date]>([:])

    /// True when the caller should write the new last-use time now.
    package func shouldWrite(codeID: Int64, now: Date) -> Bool {
        written.withLock { table in
            if let last = table[codeID], now.timeIntervalSince(last) < 60 { return false }
            table[codeID] = now
            return true
        }
    }
}
