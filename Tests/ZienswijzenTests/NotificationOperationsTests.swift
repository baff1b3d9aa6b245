import Foundation
import SQLite
import Testing
import ZienswijzenDomain
import ZienswijzenOperations
import ZienswijzenStore

/// The outbox through the operations: entries written in the change's transaction, the per-recipient
/// order, failures and backoff, switching off a failing endpoint, retries, pruning, and reminders
/// on a clock the test moves.
@Suite struct NotificationOperationsTests {
    static let consultation = StoreTests.consultation

    final class World {
        let t: TestDatabase
        let clock = FixedClock(AmsterdamTime.parseRFC3339("2026-11-01T12:00:00+01:00")!)
        let ops: Operations
        let coordinator = Actor(.cli, channel: .cli)
        var griffies: [String: Actor] = [:]

        init(mail: Bool = true, disableAfter: Int = 3) throws {
            t = try TestDatabase()
            var settings = NotificationSettings()
            if mail {
                settings.mailFrom = MailAddress("zienswijzen@rsiv.example.nl", name: "Zienswijzen")
                settings.rsivCopy = "rsiv@rsiv.example.nl"
            }
            settings.retry = RetryPolicy(initialDelay: 10, maxDelay: 40, maxAttempts: 4)
            settings.disableWebhookAfter = disableAfter
            settings.allowPrivateTargets = true
            settings.retention = 86_400
            ops = Operations(db: t.db, clock: clock, notifications: settings)
        }

        func griffie(_ gemeente: String, email: String? = nil) throws -> Actor {
            if let actor = griffies[gemeente] { return actor }
            let issued = try ops.issueCode(role: .griffie, gemeente: gemeente, naam: "", email: email, by: .cli)
            let actor = Actor(.code(try #require(issued.record.principal)), address: "127.0.0.1", channel: .api)
            griffies[gemeente] = actor
            return actor
        }

        @discardableResult
        func submit(_ gemeente: String = "GM0518") throws -> Versie {
            guard case .done(let versie, _) = try ops.submit(StoreTests.sampleInput, raadpleging: NotificationOperationsTests.consultation,
                                                            gemeente: gemeente, by: griffie(gemeente)) else { throw StoreTests.World.Replayed() }
            return versie
        }

        func all() throws -> [Bezorging] { try ops.bezorgingen(status: nil, limit: 1000, by: coordinator).reversed() }
    }

    @Test func aSubmissionWritesItsConfirmationsAndEventsInItsOwnTransaction() throws {
        let w = try World()
        let hook = try w.ops.registerWebhook(url: "http://127.0.0.1:9/hook", gebeurtenissen: [], persoonsgegevens: false,
                                             omschrijving: "RSIV DMS", by: w.coordinator)
        let only = try w.ops.registerWebhook(url: "http://127.0.0.1:9/deadline", gebeurtenissen: [.deadlineGewijzigd],
                                             persoonsgegevens: false, omschrijving: "", by: w.coordinator)
        let versie = try w.submit()
        let entries = try w.all()
        #expect(entries.map(\.kanaal) == [.webhook, .email, .email])
        #expect(entries.map(\.ontvanger) == ["webhook:\(hook.id)", "email:griffie@example.nl", "email:rsiv@rsiv.example.nl"])
        #expect(entries.allSatisfy { $0.status == .wachtend && $0.onderwerp == versie.kenmerk && $0.soort == "zienswijze-ingediend" })
        // A refused write leaves nothing behind: the transaction rolled back with the outbox rows.
        _ = try w.ops.change(raadpleging: Self.consultation, RaadplegingChange(status: .gesloten), by: w.coordinator)
        #expect(throws: Refusal.conflict(.closed)) { try w.submit() }
        let after = try w.all()
        #expect(after.count == 4)  // plus "raadpleging-gesloten" for the endpoint that wants every type
        #expect(after.filter { $0.ontvanger == "webhook:\(only.id)" }.isEmpty)
        #expect(after.last?.soort == "raadpleging-gesloten")
    }

    @Test func withoutMailConfigurationNoEmailIsWritten() throws {
        let w = try World(mail: false)
        try w.submit()
        #expect(try w.all().isEmpty)
        #expect(try w.ops.scheduleReminders(at: w.clock.now()).isEmpty)
    }

    @Test func oneRecipientsEntriesGoInOrderAndFailuresBackOff() throws {
        let w = try World()
        let hook = try w.ops.registerWebhook(url: "http://127.0.0.1:9/hook", gebeurtenissen: [], persoonsgegevens: false,
                                             omschrijving: "", by: w.coordinator)
        try w.submit()
        try w.submit()
        var due = try w.ops.dueDeliveries(limit: 100).map(\.bezorging)
        // One of each recipient: the second version's entries wait behind the first's.
        #expect(due.map(\.ontvanger).sorted() == ["email:griffie@example.nl", "email:rsiv@rsiv.example.nl", "webhook:\(hook.id)"])
        let first = try #require(due.first { $0.kanaal == .webhook })
        try w.ops.recordFailedAttempt(first, error: "HTTP 500")
        due = try w.ops.dueDeliveries(limit: 100).map(\.bezorging)
        #expect(!due.contains { $0.kanaal == .webhook }, "the next one to the endpoint must wait for the failed one")
        w.clock.advance(by: 10)
        let retried = try #require(try w.ops.dueDeliveries(limit: 100).map(\.bezorging).first { $0.kanaal == .webhook })
        #expect(retried.id == first.id && retried.pogingen == 1 && retried.laatsteFout == "HTTP 500")
        try w.ops.recordDelivered(retried)
        let next = try #require(try w.ops.dueDeliveries(limit: 100).map(\.bezorging).first { $0.kanaal == .webhook })
        #expect(next.id > first.id)
        #expect(try w.ops.webhook(hook.id, by: w.coordinator).mislukkingen == 0)
    }

    @Test func theLastAttemptFailsTheEntryAndARetryStartsAgain() throws {
        let w = try World(disableAfter: 100)
        try w.submit()
        var entry = try #require(try w.ops.dueDeliveries(limit: 100).map(\.bezorging).first { $0.ontvanger == "email:griffie@example.nl" })
        for delay in [10, 20, 40] {
            try w.ops.recordFailedAttempt(entry, error: "sendmail exit 75")
            w.clock.advance(by: Double(delay) - 1)
            #expect(try w.ops.dueDeliveries(limit: 100).map(\.bezorging).contains { $0.id == entry.id } == false)
            w.clock.advance(by: 1)
            entry = try #require(try w.ops.dueDeliveries(limit: 100).map(\.bezorging).first { $0.id == entry.id })
        }
        try w.ops.recordFailedAttempt(entry, error: "sendmail exit 75")
        let failed = try w.ops.bezorging(entry.id, by: w.coordinator)
        #expect(failed.status == .mislukt && failed.pogingen == 4 && failed.laatsteFout == "sendmail exit 75")
        #expect(throws: Refusal.conflict(.notFailed)) { try w.ops.retryBezorging(try #require(try w.all().first { $0.status == .wachtend }).id, by: w.coordinator) }
        let again = try w.ops.retryBezorging(entry.id, by: w.coordinator)
        #expect(again.status == .wachtend && again.pogingen == 0)
        #expect(try w.ops.auditEntries(limit: 5, before: nil, by: w.coordinator).first?.actie == "bezorging-opnieuw")
    }

    @Test func anEndpointThatKeepsFailingIsSwitchedOffAndTheRSIVIsTold() throws {
        let w = try World(disableAfter: 3)
        let hook = try w.ops.registerWebhook(url: "http://127.0.0.1:9/hook", gebeurtenissen: [.zienswijzeIngediend, .zienswijzeGewijzigd],
                                             persoonsgegevens: false, omschrijving: "", by: w.coordinator)
        try w.submit()
        try w.submit()
        for _ in 0..<3 {
            let entry = try #require(try w.ops.dueDeliveries(limit: 100).map(\.bezorging).first { $0.kanaal == .webhook })
            try w.ops.recordFailedAttempt(entry, error: "verbinding geweigerd")
            w.clock.advance(by: 60)
        }
        let webhook = try w.ops.webhook(hook.id, by: w.coordinator)
        #expect(!webhook.actief && webhook.uitgeschakeldOp != nil)
        let toHook = try w.all().filter { $0.kanaal == .webhook }
        #expect(toHook.count == 2 && toHook.allSatisfy { $0.status == .mislukt })
        #expect(try w.all().last?.soort == Berichtsoort.webhookUitgeschakeld)
        #expect(try w.all().last?.ontvanger == "email:rsiv@rsiv.example.nl")
        #expect(try w.ops.auditEntries(limit: 1, before: nil, by: w.coordinator).first?.actor == "systeem")
        #expect(throws: Refusal.conflict(.webhookInactive)) { try w.ops.retryBezorging(toHook[0].id, by: w.coordinator) }
        // No new events for a switched-off endpoint; switching it on again starts its count anew.
        try w.submit()
        #expect(try w.all().filter { $0.kanaal == .webhook }.count == 2)
        #expect(try w.ops.setWebhookActive(hook.id, active: true, by: w.coordinator).mislukkingen == 0)
        #expect(try w.ops.retryBezorging(toHook[0].id, by: w.coordinator).status == .wachtend)
    }

    @Test func deliveredEntriesArePrunedAfterTheRetention() throws {
        let w = try World()
        try w.submit()
        for entry in try w.ops.dueDeliveries(limit: 100) { try w.ops.recordDelivered(entry.bezorging) }
        w.clock.advance(by: 86_400)
        #expect(try w.ops.pruneDeliveries() == 0)
        w.clock.advance(by: 1)
        #expect(try w.ops.pruneDeliveries() == 2)
        #expect(try w.all().isEmpty)
    }

    @Test func remindersGoToGriffiesThatHaveNotSubmittedOncePerStep() throws {
        let w = try World()
        let deadline = AmsterdamTime.parseRFC3339("2026-12-01T17:00:00+01:00")!
        _ = try w.ops.change(raadpleging: Self.consultation, RaadplegingChange(deadline: .some(deadline)), by: w.coordinator)
        _ = try w.griffie("GM0503", email: "griffie@delft.example.nl")     // has not submitted
        _ = try w.griffie("GM0518", email: "griffie@denhaag.example.nl")   // will submit
        _ = try w.griffie("GM0546")                                         // no address: nothing to send
        try w.submit("GM0518")
        let before = try w.all().count
        let at = { (text: String) in AmsterdamTime.parseRFC3339(text)! }
        #expect(try w.ops.scheduleReminders(at: at("2026-11-17T16:00:00+01:00")).isEmpty)
        let first = try w.ops.scheduleReminders(at: at("2026-11-17T17:00:00+01:00"))
        #expect(first == [ReminderRun(raadpleging: Self.consultation, stap: 14, gemeenten: ["GM0503"])])
        #expect(try w.ops.scheduleReminders(at: at("2026-11-17T18:00:00+01:00")).isEmpty, "never twice for one step")
        let reminders = try w.all().dropFirst(before)
        #expect(reminders.map(\.ontvanger) == ["email:griffie@delft.example.nl"])
        #expect(reminders.map(\.soort) == [Berichtsoort.herinnering])
        // After a pause, one reminder for the nearest step only.
        #expect(try w.ops.scheduleReminders(at: at("2026-11-30T09:00:00+01:00")).map(\.stap) == [2])
        // A restart changes nothing: the steps are in the database.
        let reopened = Operations(db: w.t.db, clock: w.clock, notifications: w.ops.notifications)
        #expect(try reopened.scheduleReminders(at: at("2026-11-30T10:00:00+01:00")).isEmpty)
        // Closed: nothing. After the deadline: nothing.
        _ = try w.ops.change(raadpleging: Self.consultation, RaadplegingChange(status: .gesloten), by: w.coordinator)
        #expect(try w.ops.scheduleReminders(at: at("2026-11-30T17:00:00+01:00")).isEmpty)
        _ = try w.ops.change(raadpleging: Self.consultation, RaadplegingChange(status: .open), by: w.coordinator)
        #expect(try w.ops.scheduleReminders(at: at("2026-12-01T17:00:01+01:00")).isEmpty)
        #expect(try w.ops.scheduleReminders(at: at("2026-11-30T17:00:00+01:00")).map(\.stap) == [1])
    }
}
