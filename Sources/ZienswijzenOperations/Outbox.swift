import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// Writing outbox entries: always inside the transaction of the operation that made the change,
/// beside its audit row, so a change and the messages about it commit together or not at all.
/// A new event type needs only a call to `enqueue` in its operation (see `GebeurtenisType`).
extension Operations {
    /// The outbox entries of `gebeurtenis`: one CloudEvent per active endpoint that wants the
    /// type (with personal data only for an endpoint allowed it; one event id for all), and for
    /// a version event the confirmation e-mail to the indiener and the RSIV's copy, when mail is
    /// configured.
    func enqueue(_ db: Connection, _ gebeurtenis: Gebeurtenis) throws {
        let now = clock.now()
        let eventID = UUID().uuidString.lowercased()
        for webhook in try WebhookStore.active(db) where webhook.wants(gebeurtenis.type) {
            let event = CloudEvent(gebeurtenis, id: eventID, source: notifications.eventSource,
                                   personal: webhook.persoonsgegevens)
            try OutboxStore.insert(db, NieuweBezorging(
                kanaal: .webhook, ontvanger: webhook.ontvanger, soort: gebeurtenis.type.rawValue,
                onderwerp: gebeurtenis.subject, inhoud: event.body, webhookID: webhook.id, berichtID: eventID), at: now)
        }
        guard let versie = gebeurtenis.versie, gebeurtenis.type.confirmsToIndiener, notifications.mailConfigured else { return }
        let gemeente = try GemeenteStore.find(db, code: versie.gemeente)
            ?? Gemeente(code: versie.gemeente, naam: versie.gemeente, regio: "")
        var recipients = [(MailAddress(versie.indiener.email, name: versie.indiener.naam), false)]
        if let copy = notifications.rsivCopy { recipients.append((MailAddress(copy), true)) }
        for (to, copy) in recipients {
            guard let context = mailContext(now) else { return }
            let message = MailTexts.confirmation(versie, gemeente: gemeente, raadpleging: gebeurtenis.raadpleging,
                                                 to: to, copy: copy, context: context)
            try OutboxStore.insert(db, .email(message, soort: gebeurtenis.type.rawValue, onderwerp: versie.kenmerk), at: now)
        }
    }

    /// Sender, links, a fresh Message-ID (`<uuid>@<the sender's domain>`) and the date of a new
    /// e-mail; nil without mail configuration.
    func mailContext(_ now: Date) -> MailTexts.Context? {
        guard let from = notifications.mailFrom else { return nil }
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "zienswijzen.invalid"
        return MailTexts.Context(from: from, publicURL: notifications.publicURL,
                                 messageID: "\(UUID().uuidString.lowercased())@\(domain)", date: now)
    }
}
