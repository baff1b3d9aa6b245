import Foundation
import Synchronization

/// Slows the guessing of access codes, never the people who have one.
///
/// After `maxFailures` failed authentications from one address within `window`, further
/// *failures* from that address get 429 with `Retry-After` until the oldest leaves the window. A
/// valid code is checked first and served whatever others behind the same address (an office
/// NAT, a proxy not yet trusted) got wrong. Codes carry 100 random bits, so guessing is hopeless
/// either way; the throttle keeps the noise down and tells a script to stop.
///
/// Memory is bounded: beyond `capacity` addresses the ones that are not throttled are forgotten,
/// least recently failing first; a throttled address is never forgotten while it is throttled.
/// In memory only: a restart forgets (the audit log keeps the counts).
package final class LoginThrottle: Sendable {
    package let maxFailures: Int
    package let window: TimeInterval
    package let capacity: Int

    private struct Entry {
        /// Failure times within the window, oldest first; at most `maxFailures` kept.
        var failures: [Date]
        var last: Date
    }

    private let table = Mutex<[String: Entry]>([:])

    package init(maxFailures: Int = 10, window: TimeInterval = 15 * 60, capacity: Int = 100_000) {
        self.maxFailures = maxFailures
        self.window = window
        self.capacity = max(1, capacity)
    }

    /// Seconds until `address` may fail again without a 429, or nil when it is not throttled.
    package func retryAfter(address: String, now: Date) -> Int? {
        table.withLock { table in
            guard let entry = table[address] else { return nil }
            return wait(entry, now)
        }
    }

    /// Counts a failure of `address`.
    package func recordFailure(address: String, now: Date) {
        table.withLock { table in
            var entry = table[address] ?? Entry(failures: [], last: now)
            entry.failures.removeAll { now.timeIntervalSince($0) >= window }
            entry.failures.append(now)
            if entry.failures.count > maxFailures { entry.failures.removeFirst(entry.failures.count - maxFailures) }
            entry.last = now
            table[address] = entry
            if table.count > capacity { evict(&table, now) }
        }
    }

    /// How many addresses are remembered (for tests and metrics).
    package var count: Int { table.withLock { $0.count } }

    private func wait(_ entry: Entry, _ now: Date) -> Int? {
        let recent = entry.failures.filter { now.timeIntervalSince($0) < window }
        guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    /// Forgets the least recently failing addresses that are not throttled, down to 90 % of the
    /// capacity (so this runs once per many failures, not on each).
    private func evict(_ table: inout [String: Entry], _ now: Date) {
        let target = capacity * 9 / 10
        let candidates = table.filter { wait($0.value, now) == nil }.sorted { $0.value.last < $1.value.last }
        for (address, _) in candidates.prefix(max(0, table.count - target)) { table[address] = nil }
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
