import Foundation
import SQLite
import Testing
import ZienswijzenDomain
import ZienswijzenOperations
import ZienswijzenStore

/// Attachment bytes in pieces (migration 0003): stored while received, read back piece by piece,
/// refused on the way when they are not a PDF or too large, and migrated from the old layout.
@Suite struct AttachmentStorageTests {
    static func pdf(_ size: Int) -> [UInt8] {
        var bytes = Array("%PDF-1.7\n".utf8)
        var x: UInt32 = 2_463_534_242
        while bytes.count < size {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5
            bytes.append(UInt8(truncatingIfNeeded: x))
        }
        return Array(bytes.prefix(size))
    }

    func store(_ ops: Operations, _ bytes: [UInt8], feed: Int) throws -> BijlageUpload {
        let sink = ops.receiveUpload(filename: "besluit.pdf")
        var offset = 0
        while offset < bytes.count {
            try sink.write(bytes[offset..<min(bytes.count, offset + feed)])
            offset += feed
        }
        return try sink.finish()
    }

    func readBack(_ db: Database, _ upload: BijlageUpload) throws -> [UInt8] {
        var out: [UInt8] = []
        let pieces = try db.read { db in
            var pieces: [[UInt8]] = []
            var n = 0
            while let piece = try BijlageInhoudStore.piece(db, id: upload.inhoudID, number: n) { pieces.append(piece); n += 1 }
            return pieces
        }
        #expect(pieces.dropLast().allSatisfy { $0.count == BijlageInhoudStore.pieceSize })
        for piece in pieces { out += piece }
        return out
    }

    @Test(arguments: [(1_000, 7), (BijlageInhoudStore.pieceSize, 65_536), (3 * BijlageInhoudStore.pieceSize + 17, 100_003)])
    func bytesGoInAndComeOutIdentical(size: Int, feed: Int) throws {
        let t = try TestDatabase()
        let ops = Operations(db: t.db)
        let bytes = Self.pdf(size)
        let upload = try store(ops, bytes, feed: feed)
        #expect(upload.grootte == size && upload.sha256 == sha256Hex(bytes))
        #expect(try readBack(t.db, upload) == bytes)
    }

    @Test func notAPDFEmptyAndTooLargeAreRefusedOnTheWay() throws {
        let t = try TestDatabase()
        let ops = Operations(db: t.db)
        #expect(throws: Refusal.self) { try store(ops, Array("GIF89a, not a PDF".utf8), feed: 3) }
        #expect(throws: Refusal.self) { try store(ops, Array("%PD".utf8), feed: 1) }
        #expect(throws: Refusal.self) { try ops.receiveUpload(filename: "x.pdf").finish() }
        let sink = ops.receiveUpload(filename: "groot.pdf")
        let piece = Self.pdf(BijlageInhoudStore.pieceSize)
        var refusal: Refusal?
        do {
            for _ in 0...(Bijlage.maxBytes / piece.count) { try sink.write(piece) }
        } catch let error as Refusal {
            refusal = error
        }
        guard case .tooLarge = refusal else {
            Issue.record("expected tooLarge, got \(String(describing: refusal))")
            return
        }
    }

    @Test func unlistedUploadsArePrunedAndListedOnesAreKept() throws {
        let t = try TestDatabase()
        let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))
        let ops = Operations(db: t.db, clock: clock)
        let unused = try store(ops, Self.pdf(300_000), feed: 4096)
        let issued = try ops.issueCode(role: .griffie, gemeente: "GM0518", naam: "", by: .cli)
        let griffie = Actor(.code(try #require(issued.record.principal)), channel: .api)
        let used = try store(ops, Self.pdf(1000), feed: 1000)
        _ = try ops.submit(StoreTests.sampleInput, uploads: [used], raadpleging: Raadpleging.defaultID, gemeente: "GM0518",
                           by: griffie)
        clock.advance(by: 3601)
        #expect(try ops.pruneStagedUploads() == 1)
        let left = try t.db.read { try $0.query("SELECT id FROM bijlage_inhoud").compactMap { $0.string("id") } }
        #expect(left == [used.inhoudID])
        #expect(try t.db.read { try BijlageInhoudStore.piece($0, id: unused.inhoudID, number: 0) } == nil)
        // Listed content can neither change nor go.
        #expect(throws: SQLiteError.self) { try t.db.write { try $0.run("DELETE FROM bijlage_delen") } }
        #expect(throws: SQLiteError.self) { try t.db.write { try $0.run("UPDATE bijlage_inhoud SET grootte = 1") } }
    }

    @Test func aVersionCannotListIncompleteOrMismatchedContent() throws {
        let t = try TestDatabase()
        let ops = Operations(db: t.db)
        let upload = try store(ops, Self.pdf(5000), feed: 5000)
        var wrong = upload
        wrong.sha256 = String(repeating: "0", count: 64)
        #expect(throws: SQLiteError.self) {
            try t.db.write { _ = try VersieStore.insertAttachment($0, raadpleging: Raadpleging.defaultID, gemeente: "GM0518",
                                                                wrong, at: Date(), toegangscodeID: nil) }
        }
    }

    /// A database with attachments in the old layout (bytes in `bijlagen.inhoud`) upgrades: every
    /// file is cut into pieces that read back identically, and versions keep their attachments.
    @Test func migrationMovesExistingBytesIntoPieces() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zw-mig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try Database(path: directory.appendingPathComponent("old.sqlite").path)
        _ = try Migrator.apply(Array(Schema.migrations.prefix(2)), to: db)
        let sizes = [10, BijlageInhoudStore.pieceSize, BijlageInhoudStore.pieceSize * 2 + 5]
        let files = sizes.map(Self.pdf)
        try db.write { conn in
            try conn.run("""
                INSERT INTO versies (raadpleging, gemeente, versie, kenmerk, status, ontvangen_op, te_laat, standpunt,
                  indiener_naam, indiener_email, toelichting, sha256) VALUES (?, 'GM0518', 1, 'ZW-2026-GM0518-0001',
                  'ingediend', 0, 0, 'instemmend', 'A', 'a@b.nl', '', ?)
                """, [Raadpleging.defaultID, String(repeating: "a", count: 64)])
            let versie = conn.lastInsertRowID
            for (n, bytes) in files.enumerated() {
                let id = String(repeating: String(n), count: 32)
                try conn.run("""
                    INSERT INTO bijlagen (id, raadpleging, gemeente, bestandsnaam, mediatype, grootte, sha256, inhoud, ontvangen_op)
                    VALUES (?, ?, 'GM0518', 'b.pdf', 'application/pdf', ?, ?, ?, 0)
                    """, [id, Raadpleging.defaultID, bytes.count, sha256Hex(bytes), bytes])
                try conn.run("INSERT INTO versie_bijlagen (versie_id, bijlage_id, positie) VALUES (?, ?, ?)", [versie, id, n])
            }
        }
        let applied = try Migrator.apply(Schema.migrations, to: db)
        #expect(applied.first == "0003_bijlage_inhoud")  // and every later migration
        for (n, bytes) in files.enumerated() {
            let upload = BijlageUpload(bestandsnaam: "b.pdf", inhoudID: String(repeating: String(n), count: 32),
                                       grootte: bytes.count, sha256: sha256Hex(bytes))
            #expect(try readBack(db, upload) == bytes)
        }
        let listed = try db.read { try VersieStore.current($0, raadpleging: Raadpleging.defaultID, gemeente: "GM0518") }
        #expect(listed?.bijlagen.map(\.grootte) == sizes)
        #expect(try db.read { try $0.query("PRAGMA foreign_key_check") }.isEmpty)
        #expect(try db.integrityCheck() == ["ok"])
    }
}
