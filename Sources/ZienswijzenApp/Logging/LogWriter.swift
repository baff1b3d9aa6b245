import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Log lines to a file descriptor (stderr) in few `write(2)` calls, like nginx's buffered
/// `access_log`: a line is appended to a buffer in memory, and a thread of the writer's own
/// writes the buffer out every `interval` or as soon as it holds `flushSize` bytes. A request
/// never waits for a `write(2)`.
///
/// A line at warning level or above is written at once, with everything before it. `flush()`
/// writes what is pending and returns when it is out (the server calls it at shutdown, so nothing
/// is lost then; a `kill -9` may lose the last `interval` of lines). When the descriptor does not
/// take the lines (a full pipe nobody reads), at most `maxPending` bytes wait; further lines are
/// counted and dropped, and the count is logged when writing works again.
package final class LogWriter: Sendable {
    package static let standardError = LogWriter(fd: 2)

    private struct State {
        var pending: [UInt8] = []
        var dropped = 0
    }

    private let fd: Int32
    private let interval: Duration
    private let flushSize: Int
    private let maxPending: Int
    private let state = Mutex(State())
    /// The bytes being written (the previous pending buffer, kept for reuse); holding it
    /// serializes the writes, so lines leave in order.
    private let writing = Mutex<[UInt8]>([])
    private let wakeup = DispatchSemaphore(value: 0)

    package init(fd: Int32, interval: Duration = .milliseconds(50), flushSize: Int = 64 * 1024, maxPending: Int = 8 << 20) {
        self.fd = fd
        self.interval = interval
        self.flushSize = flushSize
        self.maxPending = maxPending
        let thread = Thread { [self] in run() }
        thread.name = "log-writer"
        thread.start()
    }

    /// Formats one line straight into the pending buffer (no copy of the line is made) and queues
    /// it; `urgent` writes it out before returning.
    func append(_ format: LogLine.Format, urgent: Bool = false, _ build: (inout LogLine) -> Void) {
        let full = state.withLock { state -> Bool in
            guard state.pending.count < maxPending else {
                state.dropped += 1
                return false
            }
            var line = LogLine(format, appendingTo: state.pending)
            state.pending = []
            build(&line)
            state.pending = line.finish()
            return state.pending.count >= flushSize
        }
        if urgent { flush() } else if full { wakeup.signal() }
    }

    /// Writes everything queued so far; returns when it is written.
    package func flush() {
        writing.withLock { out in
            out.removeAll(keepingCapacity: true)
            let dropped = state.withLock { state in
                swap(&state.pending, &out)
                defer { state.dropped = 0 }
                return state.dropped
            }
            if dropped > 0 {
                out += Array("log lines dropped: \(dropped) (the log output did not keep up)\n".utf8)
            }
            write(out)
        }
    }

    private func run() {
        while true {
            _ = wakeup.wait(timeout: .now() + .nanoseconds(Int(interval.components.attoseconds / 1_000_000_000)
                                                              + Int(interval.components.seconds) * 1_000_000_000))
            flush()
        }
    }

    private func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in systemWrite(fd, raw.baseAddress! + offset, raw.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return  // the descriptor is gone or broken: nothing sensible to do with the lines
            }
        }
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
