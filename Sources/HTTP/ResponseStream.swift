import Foundation

/// Why a streaming producer's `write` failed: the connection is gone (closed, timed out, shutdown).
package struct ResponseStreamCancelled: Error, Sendable {}

/// The bounded hand-over between a `.stream` producer (on a handler thread) and its connection
/// (on an I/O queue).
///
/// The producer's `write` blocks while more than `limit` bytes wait to be sent, so a slow client
/// slows the producer instead of growing memory. The connection `take`s everything queued when its
/// socket has room; if nothing is there it registers interest, and the next `write` or `finish`
/// wakes it through `notify` (one wake-up per registration, never a flood of queue hops).
///
/// `@unchecked Sendable`: all mutable state is guarded by `condition`.
final class ResponseStreamChannel: @unchecked Sendable {
    enum End: Sendable {
        case finished
        case failed
    }

    private let condition = NSCondition()
    private let limit: Int
    private let notify: @Sendable () -> Void
    private var pieces: [ArraySlice<UInt8>] = []
    private var buffered = 0
    private var end: End?
    private var cancelled = false
    private var consumerWaiting = false

    init(limit: Int, notify: @escaping @Sendable () -> Void) {
        self.limit = max(1, limit)
        self.notify = notify
    }

    /// Producer side: queue one piece, waiting while the buffer is full.
    func write(_ piece: ArraySlice<UInt8>) throws(ResponseStreamCancelled) {
        if piece.isEmpty { return }
        condition.lock()
        while buffered >= limit && !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            throw ResponseStreamCancelled()
        }
        pieces.append(piece)
        buffered += piece.count
        let wake = consumerWaiting
        consumerWaiting = false
        condition.unlock()
        if wake { notify() }
    }

    /// Producer side: no more pieces (`failed` if the producer threw: the response is cut short).
    func finish(_ how: End) {
        condition.lock()
        if end == nil { end = how }
        let wake = consumerWaiting
        consumerWaiting = false
        condition.unlock()
        if wake { notify() }
    }

    /// Connection side: everything queued so far, and the end if the producer is done. When both
    /// are empty the connection is woken by the next `write`/`finish`.
    func take() -> (pieces: [ArraySlice<UInt8>], end: End?) {
        condition.lock()
        let taken = pieces
        pieces.removeAll(keepingCapacity: true)
        buffered = 0
        let end = end
        if taken.isEmpty && end == nil { consumerWaiting = true }
        condition.broadcast()
        condition.unlock()
        return (taken, end)
    }

    /// Connection side: the connection closed; a blocked or later `write` throws.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
