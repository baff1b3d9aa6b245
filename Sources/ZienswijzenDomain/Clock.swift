import Foundation

/// Where the application gets "now". Injected so tests can stand on either side of a deadline.
/// (Named `AppClock` so it does not clash with the standard library's `Clock`.)
package protocol AppClock: Sendable {
    func now() -> Date
}

/// The real time.
package struct SystemClock: AppClock {
    package init() {}
    package func now() -> Date { Date() }
}

/// A clock that stands still until told to move, for tests.
///
/// `@unchecked Sendable`: the only mutable state, `current`, is read and written only while
/// holding `lock`, so sharing one instance between threads is safe. A class because tests share
/// one instance with the server and then move it.
package final class FixedClock: AppClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    package init(_ date: Date) { current = date }

    package func now() -> Date { lock.withLock { current } }

    package func set(_ date: Date) { lock.withLock { current = date } }

    package func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}
