import Foundation
import ZienswijzenDomain

/// Why a delivery attempt failed, in one line a coordinator can read (Dutch where it is ours,
/// the other side's words where they are theirs). Never the message or a secret.
package struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    package var reason: String
    package init(_ reason: String) { self.reason = String(reason.prefix(500)) }
    package var description: String { reason }
}

/// Hands an e-mail to the mail system.
package protocol MailTransport: Sendable {
    /// Sends one message (canonical CRLF form); returns when the mail system has accepted it.
    func send(_ message: [UInt8]) throws(DeliveryFailure)
    /// For the delivery page and the log: how mail leaves (`sendmail: /usr/bin/msmtp -t -i`).
    var summary: String { get }
}

/// Posts a webhook request.
package protocol WebhookSender: Sendable {
    /// POSTs `body` with `headers`; returns on a 2xx answer.
    func post(url: String, body: [UInt8], headers: [(String, String)]) throws(DeliveryFailure)
}
