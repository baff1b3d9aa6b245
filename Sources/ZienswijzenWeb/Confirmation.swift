import Foundation
import Synchronization

/// A page that asks before something that cannot be undone with one click (revoking an access
/// code, closing a consultation): a plain form that repeats the request with `bevestigd=ja`, so it
/// works without JavaScript; "no" is a link back.
struct ConfirmView {
    var heading: String
    var lead: String
    var warning: String
    var action: String
    var csrf: String
    var hidden: [HiddenField]
    var confirmLabel: String
    var cancelHref: String
    var cancelLabel: String
}

struct HiddenField {
    var name: String
    var value: String
}

/// The field a confirmation page adds to the repeated request.
let confirmedField = HiddenField(name: "bevestigd", value: "ja")

/// Something a page shows once after a POST/redirect/GET (a new access code): kept in memory under
/// the session's key until the GET that shows it takes it, or until it expires. A reload of that
/// GET finds nothing, and neither shows it again nor repeats the POST. In memory only: a restart,
/// or another process behind the same address, forgets (the code is then lost, as when the page is
/// closed: the coordinator revokes it and makes a new one).
final class OneTimeFlashes<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: TimeInterval
    let capacity: Int

    init(lifetime: TimeInterval = 10 * 60, capacity: Int = 1000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Keeps `value` for `key` (replacing what was there), dropping expired entries.
    func put(_ value: Value, for key: String, now: Date) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.expires > now }
            if entries.count >= capacity, let oldest = entries.min(by: { $0.value.expires < $1.value.expires }) {
                entries[oldest.key] = nil
            }
            entries[key] = Entry(value: value, expires: now.addingTimeInterval(lifetime))
        }
    }

    /// The value for `key`, removed: a second call gets nil.
    func take(_ key: String, now: Date) -> Value? {
        entries.withLock { entries in
            guard let entry = entries.removeValue(forKey: key), entry.expires > now else { return nil }
            return entry.value
        }
    }
}
