import Foundation
import SQLite
import Testing
import Zienswijzen

/// The append-only version history, lateness and the status overview, on a real SQLite file.
@Suite struct StoreTests {
    static let consultation = "coalitie-voor-veiligheid-2023-2026"
    static let sampleInput = ZienswijzeInput(
        standpunt: .instemmendMetOpmerkingen, datumRaadsbesluit: LocalDate(iso: "2026-11-20"),
        indiener: Indiener(naam: "A. de Griffier", email: "griffie@example.nl"),
        toelichting: "Vrije tekst van de raad, met 's-Gravenhage en 🚓.",
        opmerkingen: [Opmerking(thema: "cybercrime", tekst: "Opmerking over dit thema.")])

    func ctx(_ gemeente: String = "GM0518", at now: Date) -> VersionStore.Context {
        VersionStore.Context(raadpleging: Self.consultation, gemeente: gemeente, now: now, toegangscodeID: nil)
    }

    func setDeadline(_ db: Database, _ deadline: Date) throws {
        try db.write { try CatalogStore.updateConsultation($0, id: Self.consultation, deadline: .some(deadline), rboVergadering: nil, status: nil) }
    }

    @Test func versionsAreNumberedAndReadBackIdentically() throws {
        let t = try TestDatabase()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let first = try t.db.write { try VersionStore.submit($0, ctx(at: now), input: Self.sampleInput) }
        var revised = Self.sampleInput
        revised.standpunt = .instemmend
        let second = try t.db.write { try VersionStore.submit($0, ctx(at: now + 60), input: revised) }
        #expect(first.versie == 1 && second.versie == 2)
        #expect(first.kenmerk == "ZW-2026-GM0518-0001" && second.kenmerk == "ZW-2026-GM0518-0002")
        let all = try t.db.read { try VersionStore.all($0, raadpleging: Self.consultation, gemeente: "GM0518") }
        #expect(all == [first, second])
        #expect(all.map(\.digest) == [first.digest, second.digest])
        let stored = try t.db.read { try $0.query("SELECT sha256 FROM versies ORDER BY versie").compactMap { $0.string("sha256") } }
        #expect(stored == [first.digest, second.digest])
    }

    @Test func lateVersionsAreStoredAndFlagged() throws {
        let t = try TestDatabase()
        let deadline = Date(timeIntervalSince1970: 1_795_000_000)
        try setDeadline(t.db, deadline)
        let onTime = try t.db.write { try VersionStore.submit($0, ctx(at: deadline), input: Self.sampleInput) }
        let late = try t.db.write { try VersionStore.submit($0, ctx(at: deadline + 1), input: Self.sampleInput) }
        #expect(!onTime.teLaat && onTime.status == .ingediend)
        #expect(late.teLaat && late.status == .teLaat)
    }

    @Test func closedConsultationRefusesVersions() throws {
        let t = try TestDatabase()
        try t.db.write { try CatalogStore.updateConsultation($0, id: Self.consultation, deadline: nil, rboVergadering: nil, status: .gesloten) }
        #expect(throws: SubmissionRefusal.consultationClosed) {
            try t.db.write { try VersionStore.submit($0, ctx(at: Date()), input: Self.sampleInput) }
        }
    }

    @Test func withdrawalIsANewVersionAndAttachmentsCarryOver() throws {
        let t = try TestDatabase()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let pdf = NewAttachment(bestandsnaam: "besluit.pdf", bytes: Array("%PDF-1.4\n\0x".utf8), sha256: sha256Hex(Array("%PDF-1.4\n\0x".utf8)))
        _ = try t.db.write { try VersionStore.submit($0, ctx(at: now), input: Self.sampleInput, newAttachments: [pdf]) }
        let revised = try t.db.write { try VersionStore.submit($0, ctx(at: now + 1), input: Self.sampleInput) }
        #expect(revised.bijlagen.map(\.bestandsnaam) == ["besluit.pdf"])
        let withdrawn = try t.db.write { try VersionStore.withdraw($0, ctx(at: now + 2)) }
        #expect(withdrawn.status == .ingetrokken && withdrawn.versie == 3)
        #expect(throws: SubmissionRefusal.alreadyWithdrawn) { try t.db.write { try VersionStore.withdraw($0, ctx(at: now + 3)) } }
        let bytes = try t.db.read { try VersionStore.attachment($0, raadpleging: Self.consultation, gemeente: "GM0518", id: revised.bijlagen[0].id) }
        #expect(bytes?.1 == pdf.bytes)
        let other = try t.db.read { try VersionStore.attachment($0, raadpleging: Self.consultation, gemeente: "GM0503", id: revised.bijlagen[0].id) }
        #expect(other == nil)
    }

    @Test func statusCountsAlwaysAddUp() throws {
        let t = try TestDatabase()
        let deadline = Date(timeIntervalSince1970: 1_795_000_000)
        try setDeadline(t.db, deadline)
        _ = try t.db.write { try VersionStore.submit($0, ctx("GM0518", at: deadline - 10), input: Self.sampleInput) }
        _ = try t.db.write { try VersionStore.submit($0, ctx("GM0503", at: deadline + 10), input: Self.sampleInput) }
        _ = try t.db.write { try VersionStore.submit($0, ctx("GM0546", at: deadline - 10), input: Self.sampleInput) }
        _ = try t.db.write { try VersionStore.withdraw($0, ctx("GM0546", at: deadline - 5)) }
        let overview = try #require(try t.db.read { try StatusStore.overview($0, raadpleging: Self.consultation) })
        #expect(overview.count(.ingediend) == 1 && overview.count(.teLaat) == 1 && overview.count(.ingetrokken) == 1)
        #expect(overview.count(.ontbreekt) == 24)
        #expect(GemeenteStatus.State.allCases.map(overview.count).reduce(0, +) == 27)
    }

    /// The status query finds each gemeente's latest version through the unique index, never by
    /// scanning the versions table.
    @Test(arguments: [StatusStore.statusSQL, VersionStore.currentOfAllSQL])
    func latestVersionQueriesDoNotScanVersions(sql: String) throws {
        let t = try TestDatabase()
        let plan = try t.db.read { db in
            try db.query("EXPLAIN QUERY PLAN " + sql, [Self.consultation]).compactMap { $0.string("detail") }
        }
        // Outer loop over the 27 gemeenten; versions only ever reached by (raadpleging, gemeente[, versie]).
        #expect(plan.first?.hasPrefix("SCAN g") == true, "plan: \(plan)")
        let versionSteps = plan.filter { $0.hasPrefix("SEARCH v") || $0.hasPrefix("SCAN v") }
        #expect(versionSteps.count == 2, "plan: \(plan)")
        #expect(versionSteps.allSatisfy { $0.hasPrefix("SEARCH") && $0.contains("raadpleging=? AND gemeente=?") }, "plan: \(plan)")
    }
}
