import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// What the delivery page shows.
package struct DeliveryOverview: Sendable {
    package var counts: [BezorgStatus: Int]
    package var webhooks: [Webhook]
    package var recent: [Bezorging]
    package var mailConfigured: Bool
    package var mailDescription: String?
    package var rsivCopy: String?
}

/// The coordinators' side of notifications: webhook endpoints and the state of deliveries. Every
/// change is an operation with its audit row, as everywhere.
extension Operations {
    package func webhooks(by actor: Actor) throws -> [Webhook] {
        try actor.requireCoordinator()
        return try read { try WebhookStore.all($0) }
    }

    package func webhook(_ id: Int64, by actor: Actor) throws -> Webhook {
        try actor.requireCoordinator()
        guard let webhook = try read({ try WebhookStore.find($0, id: id) }) else { throw Refusal.notFound(.webhook) }
        return webhook
    }

    /// Registers an endpoint; the result carries its new secret, which is shown this once.
    package func registerWebhook(url typed: String, gebeurtenissen: [GebeurtenisType], persoonsgegevens: Bool,
                                 omschrijving typedDescription: String, by actor: Actor) throws -> Webhook {
        try actor.requireCoordinator()
        let url = typed.trimmingCharacters(in: .whitespaces)
        let omschrijving = typedDescription.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [InvalidParam] = []
        if let problem = WebhookTarget.problem(url, allowPrivate: notifications.allowPrivateTargets) {
            problems.append(InvalidParam(name: "url", reason: problem))
        }
        if !omschrijving.isEmpty, let problem = TextRules.nameProblem(omschrijving, max: 200) {
            problems.append(InvalidParam(name: "omschrijving", reason: problem))
        }
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        var unique: [GebeurtenisType] = []
        for type in gebeurtenissen where !unique.contains(type) { unique.append(type) }
        let now = clock.now()
        return try write { db in
            let webhook = try WebhookStore.insert(db, url: url, geheim: StandardWebhooks.newSecret(), gebeurtenissen: unique,
                                                  persoonsgegevens: persoonsgegevens, omschrijving: omschrijving, at: now)
            try audit(db, AuditRecord(.webhookGeregistreerd, by: actor, at: now, onderwerp: "webhook:\(webhook.id)",
                                      details: "\(url) \(unique.isEmpty ? "alle" : unique.map(\.rawValue).joined(separator: ","))"
                                          + (persoonsgegevens ? " met persoonsgegevens" : "")))
            return webhook
        }
    }

    /// Switches an endpoint on (its failure count starts again) or off.
    package func setWebhookActive(_ id: Int64, active: Bool, by actor: Actor) throws -> Webhook {
        try actor.requireCoordinator()
        let now = clock.now()
        return try write { db in
            guard try WebhookStore.setActive(db, id: id, active: active, at: now),
                  let webhook = try WebhookStore.find(db, id: id) else { throw Refusal.notFound(.webhook) }
            try audit(db, AuditRecord(.webhookGewijzigd, by: actor, at: now, onderwerp: "webhook:\(id)",
                                      details: active ? "ingeschakeld" : "uitgeschakeld"))
            return webhook
        }
    }

    /// Removes an endpoint: it gets nothing more, and its waiting deliveries fail.
    package func removeWebhook(_ id: Int64, by actor: Actor) throws {
        try actor.requireCoordinator()
        let now = clock.now()
        try write { db in
            guard try WebhookStore.remove(db, id: id, at: now) else { throw Refusal.notFound(.webhook) }
            try OutboxStore.failAll(db, webhookID: id, error: "eindpunt verwijderd")
            try audit(db, AuditRecord(.webhookVerwijderd, by: actor, at: now, onderwerp: "webhook:\(id)"))
        }
    }

    /// Deliveries, newest first.
    package func bezorgingen(status: BezorgStatus?, limit: Int, before: Int64? = nil, by actor: Actor) throws -> [Bezorging] {
        try actor.requireCoordinator()
        return try read { try OutboxStore.list($0, status: status, limit: limit, before: before) }
    }

    package func bezorging(_ id: Int64, by actor: Actor) throws -> Bezorging {
        try actor.requireCoordinator()
        guard let found = try read({ try OutboxStore.find($0, id: id) }) else { throw Refusal.notFound(.bezorging) }
        return found
    }

    /// A failed delivery waits again and is tried at once, with a fresh count of attempts.
    package func retryBezorging(_ id: Int64, by actor: Actor) throws -> Bezorging {
        try actor.requireCoordinator()
        let now = clock.now()
        defer { outboxBell.ring() }
        return try write { db in
            guard let entry = try OutboxStore.find(db, id: id) else { throw Refusal.notFound(.bezorging) }
            guard entry.status == .mislukt else { throw Refusal.conflict(.notFailed) }
            if let webhookID = entry.webhookID {
                guard let webhook = try WebhookStore.find(db, id: webhookID), webhook.actief else {
                    throw Refusal.conflict(.webhookInactive)
                }
            }
            _ = try OutboxStore.retry(db, id: id, at: now)
            try audit(db, AuditRecord(.bezorgingOpnieuw, by: actor, at: now, onderwerp: "bezorging:\(id)",
                                      details: "\(entry.kanaal.rawValue) \(entry.soort) \(entry.onderwerp)"))
            guard let updated = try OutboxStore.find(db, id: id) else { throw Refusal.notFound(.bezorging) }
            return updated
        }
    }

    /// Everything the delivery page shows.
    package func deliveryOverview(limit: Int = 50, by actor: Actor) throws -> DeliveryOverview {
        try actor.requireCoordinator()
        return try read { db in
            DeliveryOverview(counts: try OutboxStore.counts(db), webhooks: try WebhookStore.all(db),
                             recent: try OutboxStore.list(db, status: nil, limit: limit),
                             mailConfigured: notifications.mailConfigured, mailDescription: notifications.mailDescription,
                             rsivCopy: notifications.rsivCopy)
        }
    }
}

/// The delivery worker's side: what is due, and each outcome, each in a short transaction of its
/// own (never while a message is on its way). Outcomes are background writes (they wait behind
/// every write a person waits for) with deferred durability: an outcome lost to a power cut before
/// the next synced commit means the message is delivered again, which at-least-once allows.
extension Operations {
    package func dueDeliveries(limit: Int) throws -> [DueBezorging] {
        let now = clock.now()
        return try read { try OutboxStore.due($0, now: now, limit: limit) }
    }

    /// When the next waiting entry is due (nil when none waits).
    package func nextDeliveryDue() throws -> Date? {
        try read { try OutboxStore.nextDue($0) }
    }

    package func recordDelivered(_ entry: Bezorging) throws {
        let now = clock.now()
        try write(durability: .deferred, priority: .background) { db in
            try OutboxStore.markSent(db, id: entry.id, at: now)
            if let webhookID = entry.webhookID { try WebhookStore.recordSuccess(db, id: webhookID) }
        }
    }

    /// A failed attempt: retried after the policy's delay, or failed for good after the last
    /// attempt. For an endpoint, the failure counts towards switching it off; when it reaches
    /// `disableWebhookAfter` the endpoint is switched off (audited as `systeem`), its waiting
    /// deliveries fail, and the RSIV's address (if any) gets an e-mail.
    package func recordFailedAttempt(_ entry: Bezorging, error typed: String) throws {
        let now = clock.now()
        let error = String(typed.prefix(500))
        let attempt = entry.pogingen + 1
        let retryAt = notifications.retry.delay(afterAttempt: attempt).map { now.addingTimeInterval(Double($0)) }
        try write(durability: .deferred, priority: .background) { db in
            try OutboxStore.markAttemptFailed(db, id: entry.id, error: error, retryAt: retryAt)
            guard let webhookID = entry.webhookID, let webhook = try WebhookStore.find(db, id: webhookID), webhook.actief else { return }
            let failures = try WebhookStore.recordFailure(db, id: webhookID)
            guard failures >= notifications.disableWebhookAfter else { return }
            _ = try WebhookStore.setActive(db, id: webhookID, active: false, at: now)
            try OutboxStore.failAll(db, webhookID: webhookID, error: "eindpunt uitgeschakeld na \(failures) mislukte pogingen")
            try audit(db, AuditRecord(.webhookUitgeschakeld, by: .system, at: now, onderwerp: "webhook:\(webhookID)",
                                      details: "\(failures) mislukte pogingen achter elkaar; laatste fout: \(error)"))
            logger.warning("webhook disabled", metadata: ["webhook": "\(webhookID)", "failures": "\(failures)"])
            if let copy = notifications.rsivCopy, let context = mailContext(now) {
                let message = MailTexts.webhookDisabled(url: webhook.url, failures: failures, lastError: error,
                                                        to: MailAddress(copy), context: context)
                try OutboxStore.insert(db, .email(message, soort: Berichtsoort.webhookUitgeschakeld,
                                                  onderwerp: "webhook:\(webhookID)"), at: now)
            }
        }
    }

    /// A delivery whose endpoint is off or removed fails at once, without an attempt.
    package func recordUndeliverable(_ entry: Bezorging, error: String) throws {
        try write(durability: .deferred, priority: .background) { db in
            try OutboxStore.markAttemptFailed(db, id: entry.id, error: error, retryAt: nil)
        }
    }

    /// Removes delivered entries older than the retention period; returns how many.
    @discardableResult
    package func pruneDeliveries() throws -> Int {
        let cutoff = clock.now().addingTimeInterval(-notifications.retention)
        return try write(durability: .deferred, priority: .background) { try OutboxStore.prune($0, sentBefore: cutoff) }
    }
}
