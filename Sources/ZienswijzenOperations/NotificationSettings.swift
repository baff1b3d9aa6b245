import Dispatch
import Foundation
import Synchronization
import ZienswijzenDomain

/// What the operations need to know to write outbox entries and to judge delivery outcomes; set
/// from the `serve` options (README, "Configuration").
package struct NotificationSettings: Sendable {
    /// The sender of every e-mail. Nil: no mail is configured, and no e-mail is written to the
    /// outbox at all (confirmations and reminders are simply not sent; the delivery page says so).
    package var mailFrom: MailAddress?
    /// Gets a copy of every confirmation, and the notice that an endpoint was disabled.
    package var rsivCopy: String?
    /// The site's public address, for links in e-mails.
    package var publicURL: String?
    /// How the mail leaves, for the delivery page (`sendmail: /usr/bin/msmtp -t -i`).
    package var mailDescription: String?
    /// The CloudEvent `source` (a URN).
    package var eventSource: String = CloudEvent.defaultSource
    package var retry = RetryPolicy()
    /// Failed attempts in a row after which an endpoint is switched off.
    package var disableWebhookAfter = 30
    /// How long delivered entries are kept.
    package var retention: TimeInterval = 30 * 86_400
    /// Whether endpoints may point at private, loopback and link-local addresses (and use http).
    package var allowPrivateTargets = false

    package init() {}

    package var mailConfigured: Bool { mailFrom != nil }
}

/// Wakes the delivery worker: rung after a commit that wrote outbox entries. Rings coalesce, so a
/// burst of writes wakes the worker once.
package final class Doorbell: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let pending = Atomic<Bool>(false)

    package init() {}

    package func ring() {
        if !pending.exchange(true, ordering: .acquiringAndReleasing) { semaphore.signal() }
    }

    /// Waits until rung or until `timeout` seconds passed; true when rung.
    @discardableResult
    package func wait(timeout: Double) -> Bool {
        let rung = semaphore.wait(timeout: .now() + max(0, timeout)) == .success
        pending.store(false, ordering: .releasing)
        return rung
    }
}
