import Foundation

/// Where a consultation stands against its deadline at one moment.
package struct DeadlineState: Sendable, Equatable {
    package var deadline: Date?
    package var now: Date

    package init(deadline: Date?, now: Date) {
        self.deadline = deadline
        self.now = now
    }

    /// Whole seconds left, rounded down (so 0.5 s past the deadline is -1); negative once past;
    /// nil without a deadline. The API's `resterendeSeconden`.
    package var resterendeSeconden: Int? {
        guard let deadline else { return nil }
        let interval = deadline.timeIntervalSince(now).rounded(.down)
        guard interval.isFinite else { return nil }
        return Int(min(max(interval, -1e15), 1e15))
    }

    /// True strictly after the deadline instant, the same rule as `isLate`.
    package var isPast: Bool { isLate(receivedAt: now, deadline: deadline) }

    /// Dutch words for pages ("nog 2 dagen en 3 uur"); nil without a deadline.
    package var remainingInWords: String? {
        deadline.map { AmsterdamTime.remainingInWords(from: now, to: $0) }
    }
}

/// A version is late when received strictly after the deadline: one that arrives at exactly the
/// announced instant ("uiterlijk 1 december 17:00") is on time. No deadline: never late.
package func isLate(receivedAt: Date, deadline: Date?) -> Bool {
    guard let deadline else { return false }
    return receivedAt > deadline
}

/// The years a coordinator may give a date or deadline in. Anything outside is a typing slip
/// (`9999-12-31T23:59:59+14:00` was once accepted and shown as the year 5138), refused with 422.
package enum PlausibleDates {
    package static let years: ClosedRange<Int> = 2000...2100
    /// Dutch, for `invalidParams` and the pages.
    package static let reason = "moet tussen het jaar 2000 en 2100 liggen"

    package static func contains(_ instant: Date) -> Bool {
        years.contains(AmsterdamTime.year(instant))
    }

    package static func contains(_ date: LocalDate) -> Bool {
        years.contains(date.year)
    }
}
