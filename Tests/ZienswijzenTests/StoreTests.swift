import Foundation
import SQLite
import Testing
import ZienswijzenDomain
import ZienswijzenOperations
import ZienswijzenStore

/// The append-only version history, lateness and the status overview, on a real SQLite file,
/// through the operations that write them.
@Suite struct StoreTests {
    static let consultation = "coalitie-voor-veiligheid-2023-2026"
    static let sampleInput = ZienswijzeInput(
        standpunt: .instemmendMetOpmerkingen, datumRaadsbesluit: LocalDate(iso: "2026-11-20"),
        indiener: Indiener(naam: "A. de Griffier", email: "griffie@example.nl"),
        toelichting: "Vrije tekst van de raad, met 's-Gravenhage en 🚓.",
        opmerkingen: [Opmerking(thema: "cybercrime", tekst: "Opmerking over dit thema.")])

    /// The operations over a test database, on a clock the test sets, with a griffie of each
    /// gemeente the test writes for.
    final class World {
        let t: TestDatabase
        let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))
        let ops: Operations
        private var griffies: [String: Actor] = [:]

        init() throws {
            t = try TestDatabase()
            ops = Operations(db: t.db, clock: clock)
        }

        var db: Database { t.db }

        func griffie(_ gemeente: String) throws -> Actor {
            if let actor = griffies[gemeente] { return actor }
            let issued = try ops.issueCode(role: .griffie, gemeente: gemeente, naam: "", by: .cli)
            let actor = Actor(.code(try #require(issued.record.principal)), address: "127.0.0.1", channel: .api)
            griffies[gemeente] = actor
            return actor
        }

        func submit(_ gemeente: String = "GM0518", at now: Date, input: ZienswijzeInput = StoreTests.sampleInput,
                    uploads: [BijlageUpload] = []) throws -> Versie {
            clock.set(now)
            guard case .done(let versie, _) = try ops.submit(input, uploads: uploads, raadpleging: StoreTests.consultation,
                                                            gemeente: gemeente, by: griffie(gemeente)) else { throw Replayed() }
            return versie
        }

        func withdraw(_ gemeente: String = "GM0518", at now: Date) throws -> Withdrawal {
            clock.set(now)
            guard case .done(let withdrawal, _) = try ops.withdraw(raadpleging: StoreTests.consultation, gemeente: gemeente,
                                                                    by: griffie(gemeente)) else { throw Replayed() }
            return withdrawal
        }

        func change(_ change: RaadplegingChange) throws {
            _ = try ops.change(raadpleging: StoreTests.consultation, change, by: .cli)
        }

        struct Replayed: Error {}
    }

    @Test func versionsAreNumberedAndReadBackIdentically() throws {
        let t = try World()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let first = try t.submit(at: now)
        var revised = Self.sampleInput
        revised.standpunt = .instemmend
        let second = try t.submit(at: now + 60, input: revised)
        #expect(first.versie == 1 && second.versie == 2)
        #expect(first.kenmerk == "ZW-2026-GM0518-0001" && second.kenmerk == "ZW-2026-GM0518-0002")
        let all = try t.db.read { try VersieStore.all($0, raadpleging: Self.consultation, gemeente: "GM0518") }
        #expect(all == [first, second])
        #expect(all.map(\.digest) == [first.digest, second.digest])
        let stored = try t.db.read { try $0.query("SELECT sha256 FROM versies ORDER BY versie").compactMap { $0.string("sha256") } }
        #expect(stored == [first.digest, second.digest])
    }

    @Test func lateVersionsAreStoredAndFlagged() throws {
        let t = try World()
        let deadline = Date(timeIntervalSince1970: 1_795_000_000)
        try t.change(RaadplegingChange(deadline: .some(deadline)))
        let onTime = try t.submit(at: deadline)
        let late = try t.submit(at: deadline + 1)
        #expect(!onTime.teLaat && onTime.status == .ingediend)
        #expect(late.teLaat && late.status == .teLaat)
    }

    @Test func closedConsultationRefusesVersions() throws {
        let t = try World()
        try t.change(RaadplegingChange(status: .gesloten))
        #expect(throws: Refusal.conflict(.closed)) {
            try t.submit(at: Date())
        }
    }

    @Test func withdrawalIsANewVersionAndAttachmentsCarryOver() throws {
        let t = try World()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let bytes = Array("%PDF-1.4\n\0x".utf8)
        let sink = t.ops.receiveUpload(filename: "besluit.pdf")
        try sink.write(bytes)
        let pdf = try sink.finish()
        #expect(pdf.sha256 == sha256Hex(bytes) && pdf.grootte == bytes.count)
        _ = try t.submit(at: now, uploads: [pdf])
        let revised = try t.submit(at: now + 1)
        #expect(revised.bijlagen.map(\.bestandsnaam) == ["besluit.pdf"])
        let withdrawn = try t.withdraw(at: now + 2).versie
        #expect(withdrawn.status == .ingetrokken && withdrawn.versie == 3)
        guard case .alreadyWithdrawn = try t.withdraw(at: now + 3) else {
            Issue.record("a second withdrawal must change nothing")
            return
        }
        let reader = try t.ops.bijlageReader(revised.bijlagen[0].id, raadpleging: Self.consultation, gemeente: "GM0518", by: .cli)
        var read: [UInt8] = []
        while let piece = try reader.nextPiece() { read += piece }
        #expect(read == bytes)
        let other = try t.db.read { try VersieStore.attachment($0, raadpleging: Self.consultation, gemeente: "GM0503", id: revised.bijlagen[0].id) }
        #expect(other == nil)
    }

    @Test func statusCountsAlwaysAddUp() throws {
        let t = try World()
        let deadline = Date(timeIntervalSince1970: 1_795_000_000)
        try t.change(RaadplegingChange(deadline: .some(deadline)))
        _ = try t.submit("GM0518", at: deadline - 10)
        _ = try t.submit("GM0503", at: deadline + 10)
        _ = try t.submit("GM0546", at: deadline - 10)
        _ = try t.withdraw("GM0546", at: deadline - 5)
        let overview = try #require(try t.db.read { try StatusStore.overview($0, raadpleging: Self.consultation) })
        #expect(overview.count(.ingediend) == 1 && overview.count(.teLaat) == 1 && overview.count(.ingetrokken) == 1)
        #expect(overview.count(.ontbreekt) == 24)
        #expect(GemeenteStatus.State.allCases.map(overview.count).reduce(0, +) == 27)
    }

    /// The status query finds each gemeente's latest version through the unique index, never by
    /// scanning the versions table.
    @Test(arguments: [StatusStore.statusSQL, VersieStore.currentOfAllSQL])
    func latestVersionQueriesDoNotScanVersions(sql: String) throws {
        let t = try TestDatabase()
        let plan = try t.db.read { db in
            // The status query also takes the deadline in force (?2).
            let bindings: [any SQLBindable] = sql == StatusStore.statusSQL ? [Self.consultation, Date()] : [Self.consultation]
            return try db.query("EXPLAIN QUERY PLAN " + sql, bindings).compactMap { $0.string("detail") }
        }
        // Outer loop over the 27 gemeenten; versions only ever reached by (raadpleging, gemeente[, versie]).
        #expect(plan.first?.hasPrefix("SCAN g") == true, "plan: \(plan)")
        // v/v2: the current version; o/o2 (status only): the latest version received in time.
        let aliases = ["v", "v2", "o", "o2"]
        let versionSteps = plan.filter { step in aliases.contains { step.hasPrefix("SEARCH \($0) ") || step.hasPrefix("SCAN \($0) ") } }
        #expect(versionSteps.count == (sql == StatusStore.statusSQL ? 4 : 2), "plan: \(plan)")
        #expect(versionSteps.allSatisfy { $0.hasPrefix("SEARCH") && $0.contains("raadpleging=? AND gemeente=?") }, "plan: \(plan)")
    }
}
