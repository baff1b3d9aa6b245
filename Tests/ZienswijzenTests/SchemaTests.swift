import Foundation
import SQLite
import Testing
import ZienswijzenDomain
import ZienswijzenStore

/// The seed and the schema's own guarantees, on a database made from the embedded migrations.
@Suite struct SchemaTests {
    /// The 27 gemeenten of police unit Den Haag, as in shared/data/gemeenten.csv.
    static let expectedCodes: Set<String> = [
        "GM0518", "GM0503", "GM1916", "GM1842", "GM1926", "GM0603", "GM0629", "GM1783", "GM0637",
        "GM0484", "GM1901", "GM0513", "GM0534", "GM1884", "GM0537", "GM1931", "GM0546", "GM0547",
        "GM0553", "GM0569", "GM0575", "GM0579", "GM1525", "GM0626", "GM0627", "GM0638", "GM1892",
    ]

    @Test func seedHoldsExactlyThe27Gemeenten() throws {
        let t = try TestDatabase()
        let gemeenten = try t.db.read { try GemeenteStore.all($0) }
        #expect(gemeenten.count == 27)
        #expect(Set(gemeenten.map(\.code)) == Self.expectedCodes)
        #expect(gemeenten.first { $0.code == "GM0518" } == Gemeente(code: "GM0518", naam: "Den Haag", regio: "Haaglanden"))
        #expect(gemeenten.filter { $0.regio == "Haaglanden" }.count == 9)
        #expect(gemeenten.filter { $0.regio == "Hollands Midden" }.count == 18)
    }

    /// When the shared contract data is beside the checkout (as in CI), the seed matches it row by row.
    @Test func seedMatchesSharedCSVWhenPresent() throws {
        let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/gemeenten.csv").standardized
        guard let text = try? String(contentsOf: csv, encoding: .utf8) else { return }
        let lines: [Substring] = text.split(whereSeparator: { $0.isNewline })
        let rows: [Gemeente] = lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Gemeente(code: f[0], naam: f[1], regio: f[2])
        }
        let t = try TestDatabase()
        let seeded = try t.db.read { try GemeenteStore.all($0) }
        #expect(Set(seeded.map { $0.code }) == Set(rows.map { $0.code }))
        for row in rows { #expect(seeded.contains(row)) }
    }

    @Test func consultationHasItsSevenThemes() throws {
        let t = try TestDatabase()
        let c = try #require(try t.db.read { try RaadplegingStore.find($0, id: "coalitie-voor-veiligheid-2023-2026") })
        #expect(c.titel == "Coalitie voor veiligheid 2023-2026")
        #expect(c.themas.map(\.code) == ["maatschappelijk-ongenoegen", "cybercrime", "jeugd-en-veiligheid",
                                         "zorg-en-veiligheid", "ondermijning", "sterkteverdeling", "landelijke-veiligheidsagenda"])
        #expect(c.themas.allSatisfy { !$0.samenvatting.isEmpty })
        #expect(c.deadline == nil)
        #expect(c.status == .open)
    }

    @Test func secondOpenAppliesNothing() throws {
        let t = try TestDatabase()
        let (_, applied) = try Schema.open(path: t.path)
        #expect(applied.isEmpty)
        #expect(Schema.migrations.map(\.name) == ["0001_schema", "0002_seed", "0003_bijlage_inhoud", "0004_outbox", "0005_raadplegingen",
                                                   "0006_reacties", "0008_deadline_bij_ontvangst"])
    }

    @Test func aChangedEmbeddedMigrationIsRefused() throws {
        let t = try TestDatabase()
        var changed = Schema.migrations
        changed[1].sql += "\n-- edited after release\n"
        #expect(throws: MigrationError.self) { try Migrator.apply(changed, to: t.db) }
    }

    @Test func versionsCannotBeUpdatedOrDeleted() throws {
        let t = try TestDatabase()
        let raadpleging = try #require(try t.db.read { try RaadplegingStore.find($0, id: Raadpleging.defaultID) })
        let versie = Versie.next(in: raadpleging, gemeente: "GM0518", after: nil, kind: .submission,
                                 input: StoreTests.sampleInput, bijlagen: [], at: Date())
        try t.db.write { try VersieStore.insert($0, versie, toegangscodeID: nil) }
        try t.db.write { try AuditStore.record($0, AuditRecord(.raadplegingGewijzigd, by: .cli, at: Date())) }
        #expect(throws: SQLiteError.self) { try t.db.write { try $0.run("UPDATE versies SET standpunt = 'instemmend'") } }
        #expect(throws: SQLiteError.self) { try t.db.write { try $0.run("DELETE FROM versies") } }
        #expect(throws: SQLiteError.self) { try t.db.write { try $0.run("DELETE FROM audit") } }
        let count = try t.db.read { try $0.queryOne("SELECT count(*) AS n FROM versies")?.int("n") }
        #expect(count == 1)
    }

    @Test func enumerationsAreCheckedBySQL() throws {
        let t = try TestDatabase()
        let error = try #require(throws: SQLiteError.self) {
            try t.db.write { try $0.run("UPDATE raadplegingen SET status = 'misschien'") }
        }
        #expect(error.kind == .checkViolation)
    }
}
