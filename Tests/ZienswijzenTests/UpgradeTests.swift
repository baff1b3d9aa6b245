import Foundation
import SQLite
import Testing
import ZienswijzenDomain
import ZienswijzenOperations
import ZienswijzenStore

/// Migration 0005 on a database that migrations 0001-0003 made and that holds data: everything
/// that was there reads back the same, the seeded consultation keeps its status, themes and
/// gemeenten, and the new rules hold from then on.
@Suite struct UpgradeTests {
    static let consultation = Raadpleging.defaultID

    /// A database at 0003 with a version (remark and attachment) of Den Haag and a withdrawal of
    /// Delft, and the consultation in `status`. Filled with the stores' SQL of that time (versions,
    /// attachments, pieces), not the operations, which read the new columns.
    static func oldDatabase(_ directory: URL, status: String) throws -> (Database, [String: Versie]) {
        let db = try Database(path: directory.appendingPathComponent("old.sqlite").path)
        _ = try Migrator.apply(Array(Schema.migrations.prefix(3)), to: db)
        let raadpleging = Raadpleging(id: consultation, titel: "Coalitie voor veiligheid 2023-2026", deadline: nil,
                                      rboVergadering: nil, status: .open, themas: [])
        var before: [String: Versie] = [:]
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        for gemeente in ["GM0518", "GM0503"] {
            let bytes = AttachmentStorageTests.pdf(BijlageInhoudStore.pieceSize + 99)
            let id = String(repeating: gemeente == "GM0518" ? "a" : "b", count: 32)
            try db.write { conn in
                try BijlageInhoudStore.create(conn, id: id, at: now)
                try BijlageInhoudStore.append(conn, id: id, number: 0, piece: Array(bytes.prefix(BijlageInhoudStore.pieceSize)))
                try BijlageInhoudStore.append(conn, id: id, number: 1, piece: Array(bytes.dropFirst(BijlageInhoudStore.pieceSize)))
                try BijlageInhoudStore.complete(conn, id: id, grootte: bytes.count, sha256: sha256Hex(bytes))
                let bijlage = try VersieStore.insertAttachment(
                    conn, raadpleging: consultation, gemeente: gemeente,
                    BijlageUpload(bestandsnaam: "besluit.pdf", inhoudID: id, grootte: bytes.count, sha256: sha256Hex(bytes)),
                    at: now, toegangscodeID: nil)
                var versie = Versie.next(in: raadpleging, gemeente: gemeente, after: nil, kind: .submission,
                                         input: StoreTests.sampleInput, bijlagen: [bijlage], at: now)
                try VersieStore.insert(conn, versie, toegangscodeID: nil)
                if gemeente == "GM0503" {
                    versie = Versie.next(in: raadpleging, gemeente: gemeente, after: versie, kind: .withdrawal,
                                         input: versie.input, bijlagen: versie.bijlagen, at: now + 60)
                    try VersieStore.insert(conn, versie, toegangscodeID: nil)
                }
                before[gemeente] = versie
            }
        }
        try db.write { try $0.run("UPDATE raadplegingen SET status = ?, deadline = ?", [status, Date(timeIntervalSince1970: 1_796_000_000)]) }
        return (db, before)
    }

    @Test(arguments: ["open", "gesloten"])
    func existingDataKeepsWorking(status: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zw-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (db, before) = try Self.oldDatabase(directory, status: status)
        let seededAt = try #require(try db.read { try $0.queryOne("SELECT applied_at FROM schema_migrations WHERE name = '0002_seed'") }?
            .int("applied_at"))

        let applied = try Migrator.apply(Schema.migrations, to: db)
        #expect(applied.contains("0005_raadplegingen") && applied.last == Schema.migrations.last?.name)
        #expect(try db.read { try $0.query("PRAGMA foreign_key_check") }.isEmpty)
        #expect(try db.integrityCheck() == ["ok"])

        let c = try #require(try db.read { try RaadplegingStore.find($0, id: Self.consultation) })
        #expect(c.status.rawValue == status && c.deadline == Date(timeIntervalSince1970: 1_796_000_000))
        #expect(c.themas.count == 7 && c.omschrijving.isEmpty && !c.raadsbesluitVerplicht)
        #expect(c.uitgenodigd.count == 27, "every gemeente of the register is invited")
        #expect(c.aangemaaktOp == Date(unixMilliseconds: seededAt), "created when the seed ran")
        for (gemeente, versie) in before {
            let after = try #require(try db.read { try VersieStore.current($0, raadpleging: Self.consultation, gemeente: gemeente) })
            #expect(after == versie && after.digest == versie.digest)
            let stored = try db.read { try $0.queryOne("SELECT sha256 FROM versies WHERE kenmerk = ?", [versie.kenmerk])?.string("sha256") }
            #expect(stored == versie.digest)
        }
        let overview = try #require(try db.read { try StatusStore.overview($0, raadpleging: Self.consultation) })
        #expect(overview.gemeenten.count == 27 && overview.count(.ingediend) == 1 && overview.count(.ingetrokken) == 1)
        #expect(try db.read { try GemeenteStore.all($0) }.allSatisfy { $0.samengevoegdIn == nil && $0.samengevoegdOp == nil })

        // From now on: attachments still download, the status CHECK knows the new values, a
        // concept can be made, and pruning leaves the old attachments alone.
        let ops = Operations(db: db, clock: FixedClock(Date(timeIntervalSince1970: 1_795_100_000)))
        let bijlage = try #require(before["GM0518"]?.bijlagen.first)
        let reader = try ops.bijlageReader(bijlage.id, raadpleging: Self.consultation, gemeente: "GM0518", by: .cli)
        var bytes: [UInt8] = []
        while let piece = try reader.nextPiece() { bytes += piece }
        #expect(bytes.count == bijlage.grootte && sha256Hex(bytes) == bijlage.sha256)
        _ = try ops.createRaadpleging(RaadplegingDraft(id: "volgende", titel: "Volgende"), by: .cli)
        #expect(try ops.pruneStagedUploads() == 0)
        #expect(throws: SQLiteError.self) { try db.write { try $0.run("UPDATE raadplegingen SET status = 'weg'") } }
        #expect(try db.read { try $0.queryOne("SELECT count(*) AS n FROM raadplegingen WHERE status = 'concept'")?.int("n") } == 1)
    }
}
