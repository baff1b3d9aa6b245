import Foundation
import Synchronization
@testable import SQLite

/// A fresh directory under the system temp dir, removed when `body` returns or throws.
@discardableResult
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = (NSTemporaryDirectory() as NSString)
        .appendingPathComponent("sqlite-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(1_000)
    }
    return try condition()
}

/// Runs `body` on a new thread; `join()` waits for it and returns what it threw, if anything.
final class TestThread: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<String?>(nil)

    init(_ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            do { try body() } catch { failure.withLock { $0 = "\(error)" } }
            done.signal()
        }
        thread.start()
    }

    /// Waits for the thread; the error it threw as text, nil when it succeeded.
    func join() -> String? {
        done.wait()
        return failure.withLock { $0 }
    }
}
