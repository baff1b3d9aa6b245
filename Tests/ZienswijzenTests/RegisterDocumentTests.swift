import Foundation
import SQLite
import Testing
import ZienswijzenDomain
import ZienswijzenOperations
import ZienswijzenStore

/// The register of gemeenten changing (mergers) without losing history, and consultation
/// documents in the attachments' piece store.
@Suite struct RegisterDocumentTests {
    typealias World = RaadplegingBeheerTests.World
    static let refusal = RaadplegingBeheerTests.refusal

    /// Sets when the seeded consultation counts as created.
    static func seededCreated(_ w: World, _ date: String) throws {
        let at = try #require(AmsterdamTime.instant(fromLocal: date + "T12:00"))
        try w.t.db.write { try $0.run("UPDATE raadplegingen SET aangemaakt_op = ? WHERE id = ?", [at, Raadpleging.defaultID]) }
    }

    @Test func aMergedGemeenteKeepsItsHistoryButCannotJoinLaterConsultations() throws {
        let w = try World()
        try Self.seededCreated(w, "2023-06-01")
        _ = try w.submit("GM0534", Raadpleging.defaultID, remarks: [])            // Hillegom, in the running consultation
        try w.create("concept-na-fusie", invite: ["GM0534", "GM0553"])           // created 2026-11-17
        let merged = try w.ops.mergeGemeente("GM0534", into: "GM0553", from: LocalDate(iso: "2026-01-01"), by: w.coordinator)
        #expect(merged.samengevoegdIn == "GM0553" && merged.samengevoegdOp == LocalDate(iso: "2026-01-01"))

        // History: the seeded consultation keeps it, in the overview, the export and for its griffie.
        let overview = try w.ops.status(raadpleging: Raadpleging.defaultID, by: w.coordinator)
        #expect(overview.gemeenten.count == 27 && overview.count(.ingediend) == 1)
        _ = try w.submit("GM0534", Raadpleging.defaultID, remarks: [])
        // The concept created after the merger no longer invites it, and it cannot be invited again.
        #expect(try w.ops.raadpleging("concept-na-fusie", by: w.coordinator).uitgenodigd == ["GM0553"])
        guard case .invalid(let problems, _)? = Self.refusal({
            try w.change(RaadplegingChange(uitgenodigd: ["GM0553", "GM0534"]), "concept-na-fusie")
        }) else { Issue.record("expected 422"); return }
        #expect(problems.map(\.name) == ["uitgenodigdeGemeenten[1]"] && problems[0].reason.contains("samengevoegd"))
        // A new consultation does not invite it by default; a copy invites its successor.
        #expect(try w.create("nieuw-na-fusie", invite: nil).uitgenodigd.count == 26)
        let copy = try w.ops.copyRaadpleging(Raadpleging.defaultID, as: RaadplegingKopie(id: "kopie-na-fusie", titel: "Kopie"),
                                             by: w.coordinator)
        #expect(!copy.uitgenodigd.contains("GM0534") && copy.uitgenodigd.contains("GM0553") && copy.uitgenodigd.count == 26)
        // Even an invitation that slipped through (an open consultation created after the date) does not let it in.
        try w.t.db.write { try $0.run("INSERT INTO uitnodigingen (raadpleging, gemeente) VALUES ('nieuw-na-fusie', 'GM0534')") }
        try w.change(RaadplegingChange(status: .open), "nieuw-na-fusie")
        #expect(Self.refusal { _ = try w.submit("GM0534", "nieuw-na-fusie", remarks: []) } == .forbidden(.notInvited))
        #expect(try w.auditActions().contains("gemeente-samengevoegd"))
    }

    @Test func theRegisterTakesNewGemeentenAndRefusesNonsense() throws {
        let w = try World()
        let added = try w.ops.addGemeente(Gemeente(code: "GM1966", naam: "Nieuwe Gemeente", regio: "Hollands Midden"), by: w.coordinator)
        let count = try w.ops.gemeenten().count
        #expect(added.code == "GM1966" && count == 28)
        #expect(Self.refusal { _ = try w.ops.addGemeente(added, by: w.coordinator) } == .conflict(.gemeenteExists))
        guard case .invalid(let problems, _)? = Self.refusal({
            _ = try w.ops.addGemeente(Gemeente(code: "gm1", naam: "Delft", regio: "Utrecht"), by: w.coordinator)
        }) else { Issue.record("expected 422"); return }
        #expect(Set(problems.map(\.name)) == ["code", "naam", "regio"], "every problem at once")
        guard case .invalid(let more, _)? = Self.refusal({
            _ = try w.ops.addGemeente(Gemeente(code: "GM1967", naam: "Delft", regio: "Utrecht"), by: w.coordinator)
        }) else { Issue.record("expected 422"); return }
        #expect(Set(more.map(\.name)) == ["naam", "regio"])
        // Merging into itself, into an unknown or a merged gemeente, or without a date: refused.
        #expect(Self.refusal { _ = try w.ops.mergeGemeente("GM0534", into: "GM0534", from: LocalDate(iso: "2027-01-01"), by: w.coordinator) } != nil)
        #expect(Self.refusal { _ = try w.ops.mergeGemeente("GM0534", into: "GM9999", from: LocalDate(iso: "2027-01-01"), by: w.coordinator) } != nil)
        #expect(Self.refusal { _ = try w.ops.mergeGemeente("GM0534", into: "GM0553", from: nil, by: w.coordinator) } != nil)
        _ = try w.ops.mergeGemeente("GM0534", into: "GM0553", from: LocalDate(iso: "2027-01-01"), by: w.coordinator)
        #expect(Self.refusal { _ = try w.ops.mergeGemeente("GM1525", into: "GM0534", from: LocalDate(iso: "2027-01-01"), by: w.coordinator) } != nil)
        // A mistake can be undone.
        #expect(try w.ops.mergeGemeente("GM0534", into: nil, from: nil, by: w.coordinator).samengevoegdIn == nil)
        #expect(Self.refusal { _ = try w.ops.addGemeente(added, by: try w.griffie("GM0518")) } == .forbidden(.coordinatorOnly))
    }

    @Test func documentsAreSeenByWhoMayAndTheirBytesStay() throws {
        let w = try World()
        try w.create()
        let bytes = AttachmentStorageTests.pdf(3 * BijlageInhoudStore.pieceSize + 11)
        let sink = w.ops.receiveUpload(filename: "ontwerpbeleidsplan.pdf")
        try sink.write(bytes)
        let document = try w.ops.addDocument(try sink.finish(), soort: .ontwerpbeleidsplan, titel: "", raadpleging: RaadplegingBeheerTests.id,
                                             by: w.coordinator)
        #expect(document.titel == "ontwerpbeleidsplan" && !document.openbaar)
        let griffie = try w.griffie("GM0546")  // not even invited: every griffie may read the documents
        // A concept: only coordinators.
        #expect(Self.refusal { _ = try w.ops.documenten(raadpleging: RaadplegingBeheerTests.id, by: griffie) } == .notFound(.raadpleging))
        #expect(try w.ops.documenten(raadpleging: RaadplegingBeheerTests.id, by: w.coordinator).count == 1)
        try w.change(RaadplegingChange(status: .open))
        #expect(try w.ops.documenten(raadpleging: RaadplegingBeheerTests.id, by: griffie).count == 1)
        #expect(try w.ops.documenten(raadpleging: RaadplegingBeheerTests.id, by: nil).isEmpty)
        #expect(Self.refusal { _ = try w.ops.documentReader(document.id, raadpleging: RaadplegingBeheerTests.id, by: nil) } == .notFound(.document))
        _ = try w.ops.changeDocument(document.id, raadpleging: RaadplegingBeheerTests.id, DocumentChange(openbaar: true), by: w.coordinator)
        let (_, reader) = try w.ops.documentReader(document.id, raadpleging: RaadplegingBeheerTests.id, by: nil)
        var read: [UInt8] = []
        while let piece = try reader.nextPiece() { read += piece }
        #expect(read == bytes)
        // Pruning staged uploads passes a document's content by; an opened consultation keeps its documents.
        w.clock.advance(by: 7200)
        #expect(try w.ops.pruneStagedUploads() == 0)
        #expect(Self.refusal { try w.ops.removeDocument(document.id, raadpleging: RaadplegingBeheerTests.id, by: w.coordinator) }
                == .conflict(.documentFixed))
        #expect(throws: SQLiteError.self) {
            try w.t.db.write { try $0.run("UPDATE documenten SET sha256 = ?", [String(repeating: "0", count: 64)]) }
        }
        let actions = try w.auditActions()
        #expect(actions.contains("document-toegevoegd") && actions.contains("document-gewijzigd"))
    }

    @Test func aConceptsDocumentCanBeRemovedAndItsBytesArePruned() throws {
        let w = try World()
        try w.create()
        let sink = w.ops.receiveUpload(filename: "fout.pdf")
        try sink.write(AttachmentStorageTests.pdf(1000))
        let document = try w.ops.addDocument(try sink.finish(), soort: .overig, titel: "Verkeerd", raadpleging: RaadplegingBeheerTests.id,
                                             by: w.coordinator)
        try w.ops.removeDocument(document.id, raadpleging: RaadplegingBeheerTests.id, by: w.coordinator)
        w.clock.advance(by: 7200)
        #expect(try w.ops.pruneStagedUploads() == 1)
        #expect(try w.ops.documenten(raadpleging: RaadplegingBeheerTests.id, by: w.coordinator).isEmpty)
    }
}
