/// When a failed delivery is tried again: exponential backoff from `initialDelay`, doubling after
/// each failed attempt, never more than `maxDelay` apart, at most `maxAttempts` attempts in all.
/// The defaults (30 s, 1 h, 12 attempts) try for about six hours:
/// 30 s, 1, 2, 4, 8, 16, 32 min, then hourly.
package struct RetryPolicy: Sendable, Equatable {
    package var initialDelay: Int
    package var maxDelay: Int
    package var maxAttempts: Int

    package init(initialDelay: Int = 30, maxDelay: Int = 3600, maxAttempts: Int = 12) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
    }

    /// Seconds to wait after failed attempt number `attempt` (1 for the first), or nil when that
    /// was the last attempt (the entry is then failed).
    package func delay(afterAttempt attempt: Int) -> Int? {
        guard attempt >= 1, attempt < maxAttempts else { return nil }
        var delay = max(1, initialDelay)
        for _ in 1..<attempt {
            if delay >= maxDelay { break }
            delay *= 2
        }
        return min(delay, max(1, maxDelay))
    }
}
