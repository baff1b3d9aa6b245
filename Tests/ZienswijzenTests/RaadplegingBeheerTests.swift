import Foundation
import SQLite
import Testing
import ZienswijzenDomain
import ZienswijzenOperations
import ZienswijzenStore

/// Consultations that coordinators manage (issue 17), through the operations: creating one as a
/// concept, its status transitions, what may change once it was opened, and who may submit.
@Suite struct RaadplegingBeheerTests {
    static let id = "coalitie-voor-veiligheid-2027-2030"
    static let themas = [Thema(code: "cybercrime", titel: "Cybercrime", samenvatting: "Weerbaar online."),
                         Thema(code: "ondermijning", titel: "Ondermijning", samenvatting: "Samen optreden.")]

    /// The operations on a test database, a coordinator, and griffies on demand.
    final class World {
        let t: TestDatabase
        let clock = FixedClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-17
        let ops: Operations
        let coordinator: Actor
        private var griffies: [String: Actor] = [:]

        init() throws {
            t = try TestDatabase()
            ops = Operations(db: t.db, clock: clock)
            let issued = try ops.issueCode(role: .coordinator, gemeente: nil, naam: "RSIV", by: .cli)
            coordinator = Actor(.code(try #require(issued.record.principal)), address: "127.0.0.1", channel: .api)
        }

        func griffie(_ gemeente: String) throws -> Actor {
            if let actor = griffies[gemeente] { return actor }
            let issued = try ops.issueCode(role: .griffie, gemeente: gemeente, naam: "", by: .cli)
            let actor = Actor(.code(try #require(issued.record.principal)), address: "127.0.0.1", channel: .api)
            griffies[gemeente] = actor
            return actor
        }

        @discardableResult
        func create(_ id: String = RaadplegingBeheerTests.id, themas: [Thema] = RaadplegingBeheerTests.themas,
                    invite: [String]? = ["GM0518", "GM0503"], verplicht: Bool = false) throws -> Raadpleging {
            try ops.createRaadpleging(RaadplegingDraft(id: id, titel: "Coalitie voor veiligheid 2027-2030",
                                                       raadsbesluitVerplicht: verplicht, themas: themas, uitgenodigd: invite), by: coordinator)
        }

        @discardableResult
        func change(_ change: RaadplegingChange, _ id: String = RaadplegingBeheerTests.id) throws -> Raadpleging {
            try ops.change(raadpleging: id, change, by: coordinator)
        }

        func submit(_ gemeente: String, _ id: String = RaadplegingBeheerTests.id, remarks: [String] = ["cybercrime"],
                    standpunt: Standpunt = .instemmendMetOpmerkingen, uploads: [BijlageUpload] = []) throws -> Versie {
            let input = ZienswijzeInput(standpunt: standpunt, datumRaadsbesluit: LocalDate(iso: "2026-11-10"),
                                        indiener: Indiener(naam: "Griffie", email: "griffie@example.nl"), toelichting: "",
                                        opmerkingen: remarks.map { Opmerking(thema: $0, tekst: "Opmerking.") })
            guard case .done(let versie, _) = try ops.submit(input, uploads: uploads, raadpleging: id, gemeente: gemeente,
                                                            by: griffie(gemeente)) else { throw Replayed() }
            return versie
        }

        func auditActions() throws -> [String] {
            try ops.auditEntries(limit: 1000, before: nil, by: .cli).map(\.actie)
        }

        struct Replayed: Error {}
    }

    static func refusal(_ body: () throws -> Void) -> Refusal? {
        do { try body() } catch let refusal as Refusal { return refusal } catch { return nil }
        return nil
    }

    @Test func aNewConsultationIsAConceptThatOnlyCoordinatorsSee() throws {
        let w = try World()
        let created = try w.create(invite: nil)
        #expect(created.status == .concept && created.themas == Self.themas)
        #expect(created.uitgenodigd.count == 27, "no list: every active gemeente")
        #expect(created.aangemaaktOp == w.clock.now())
        #expect(try w.ops.raadplegingen().map(\.id) == [Raadpleging.defaultID])
        #expect(try w.ops.raadplegingen(by: w.coordinator).map(\.id).sorted() == [Raadpleging.defaultID, Self.id].sorted())
        #expect(Self.refusal { _ = try w.ops.raadpleging(Self.id, by: try w.griffie("GM0518")) } == .notFound(.raadpleging))
        #expect(Self.refusal { _ = try w.submit("GM0518") } == .notFound(.raadpleging))
        #expect(try w.auditActions().contains("raadpleging-aangemaakt"))
        #expect(Self.refusal { try w.create() } == .conflict(.raadplegingExists))
    }

    @Test func whatACoordinatorTypesIsCheckedAllAtOnce() throws {
        let w = try World()
        let draft = RaadplegingDraft(id: "Coalitie 2027", titel: " ", themas: [
            Thema(code: "cyber", titel: "A", samenvatting: ""), Thema(code: "cyber", titel: "", samenvatting: ""),
            Thema(code: "9x", titel: "B", samenvatting: "")], uitgenodigd: ["GM9999"])
        guard case .invalid(let problems, _)? = Self.refusal({ _ = try w.ops.createRaadpleging(draft, by: w.coordinator) }) else {
            Issue.record("expected 422")
            return
        }
        #expect(Set(problems.map(\.name)) == ["id", "titel", "themas[1].code", "themas[1].titel", "themas[2].code",
                                               "uitgenodigdeGemeenten[0]"])
        #expect(Self.refusal { _ = try w.ops.createRaadpleging(RaadplegingDraft(id: "abc", titel: "T"), by: try w.griffie("GM0518")) }
                == .forbidden(.coordinatorOnly))
    }

    @Test func statusTransitions() throws {
        let w = try World()
        try w.create(invite: [])
        guard case .invalid(let problems, _)? = Self.refusal({ try w.change(RaadplegingChange(status: .open)) }) else {
            Issue.record("opening without invited gemeenten should be refused")
            return
        }
        #expect(problems.map(\.name) == ["uitgenodigdeGemeenten"])
        #expect(try w.ops.raadpleging(Self.id, by: w.coordinator).status == .concept, "the refused change rolled back")
        try w.change(RaadplegingChange(uitgenodigd: ["GM0518"]))
        #expect(try w.change(RaadplegingChange(status: .open)).status == .open)
        #expect(Self.refusal { try w.change(RaadplegingChange(status: .concept)) } == .conflict(.transition(.open, .concept)))
        #expect(Self.refusal { try w.change(RaadplegingChange(status: .gearchiveerd)) } == .conflict(.transition(.open, .gearchiveerd)))
        try w.change(RaadplegingChange(status: .gesloten))
        try w.change(RaadplegingChange(status: .gearchiveerd))
        #expect(Self.refusal { try w.change(RaadplegingChange(titel: "Nieuw")) } == .conflict(.archived))
        #expect(Self.refusal { _ = try w.submit("GM0518") } == .conflict(.closed))
        #expect(try w.change(RaadplegingChange(status: .gesloten, titel: "Terug")).titel == "Terug")
        #expect(try w.ops.raadplegingen().contains { $0.id == Self.id }, "archived: still visible, read-only")
    }

    @Test func anOpenedConsultationOnlyTakesChangesThatKeepSubmissionsValid() throws {
        let w = try World()
        try w.create()
        try w.change(RaadplegingChange(status: .open))
        _ = try w.submit("GM0518", remarks: ["ondermijning"])

        // Adding a theme, retitling and reordering: fine.
        let extra = Thema(code: "mensenhandel", titel: "Mensenhandel", samenvatting: "Uit de landelijke agenda.")
        var themas = [Thema(code: "ondermijning", titel: "Ondermijning (herzien)", samenvatting: "Samen."), Self.themas[0], extra]
        #expect(try w.change(RaadplegingChange(themas: themas)).themas == themas)
        // Removing a theme without remarks: fine; with remarks: refused, naming it.
        themas.removeAll { $0.code == "cybercrime" }
        #expect(try w.change(RaadplegingChange(themas: themas)).themas.map(\.code) == ["ondermijning", "mensenhandel"])
        #expect(Self.refusal { try w.change(RaadplegingChange(themas: [extra])) } == .conflict(.themaInUse(["Ondermijning (herzien)"])))
        #expect(Refusal.conflict(.themaInUse(["Ondermijning"])).detail.contains("‘Ondermijning’ heeft opmerkingen"))

        // Invitations: more is fine, fewer is not; the decision requirement is fixed.
        #expect(try w.change(RaadplegingChange(uitgenodigd: ["GM0518", "GM0503", "GM0546"])).uitgenodigd == ["GM0503", "GM0518", "GM0546"])
        #expect(Self.refusal { try w.change(RaadplegingChange(uitgenodigd: ["GM0518"])) } == .conflict(.invitationFixed(["Delft", "Leiden"])))
        #expect(Self.refusal { try w.change(RaadplegingChange(raadsbesluitVerplicht: true)) }
                == .conflict(.fixedAfterOpening("raadsbesluitVerplicht")))
        #expect(try w.change(RaadplegingChange(raadsbesluitVerplicht: false)).raadsbesluitVerplicht == false, "unchanged is no change")

        // Every aspect audited on its own.
        let actions = try w.auditActions()
        #expect(actions.filter { $0 == "themas-gewijzigd" }.count == 2)
        #expect(actions.contains("uitnodigingen-gewijzigd") && actions.contains("raadpleging-gewijzigd"))
        // The stored version still reads back with its remark.
        let current = try w.ops.currentVersie(raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        #expect(current?.opmerkingen.map(\.thema) == ["ondermijning"])
    }

    @Test func onlyInvitedGemeentenTakePartAndTheOverviewListsThem() throws {
        let w = try World()
        try w.create()
        try w.change(RaadplegingChange(status: .open))
        _ = try w.submit("GM0518")
        #expect(Self.refusal { _ = try w.submit("GM0546") } == .forbidden(.notInvited))
        #expect(Self.refusal { _ = try w.ops.currentVersie(raadpleging: Self.id, gemeente: "GM0546", by: try w.griffie("GM0546")) }
                == .forbidden(.notInvited))
        // The seeded consultation still takes every gemeente.
        _ = try w.submit("GM0546", Raadpleging.defaultID)
        let overview = try w.ops.status(raadpleging: Self.id, by: w.coordinator)
        #expect(overview.gemeenten.map(\.gemeente.code).sorted() == ["GM0503", "GM0518"])
        #expect(overview.count(.ingediend) == 1)
        let export = try w.ops.export(raadpleging: Self.id, by: w.coordinator)
        #expect(export.gemeenten.count == 2 && export.versies.map(\.gemeente) == ["GM0518"])
        #expect(export.versies.allSatisfy { $0.raadpleging == Self.id })
        #expect(try w.ops.export(raadpleging: Raadpleging.defaultID, by: w.coordinator).versies.map(\.gemeente) == ["GM0546"])
    }

    @Test func aRequiredDecisionRefusesASubmissionWithoutOne() throws {
        let w = try World()
        try w.create(verplicht: true)
        try w.change(RaadplegingChange(status: .open))
        guard case .invalid(let problems, _)? = Self.refusal({ _ = try w.submit("GM0518") }) else {
            Issue.record("expected 422")
            return
        }
        #expect(problems.map(\.name) == ["bestand"])
        _ = try w.submit("GM0518", remarks: [], standpunt: .geenZienswijze)
        let sink = w.ops.receiveUpload(filename: "besluit.pdf")
        try sink.write(AttachmentStorageTests.pdf(2000))
        #expect(try w.submit("GM0503", uploads: [try sink.finish()]).bijlagen.count == 1)
    }

    @Test func aCopyTakesThemesSettingsAndInvitationsButNotTheRound() throws {
        let w = try World()
        try w.create(verplicht: true)
        try w.change(RaadplegingChange(deadline: .some(Date(timeIntervalSince1970: 1_800_000_000)), status: .open,
                                       omschrijving: "Het plan."))
        let copy = try w.ops.copyRaadpleging(Self.id, as: RaadplegingKopie(id: "oefenronde-2027", titel: "Oefenronde"), by: w.coordinator)
        #expect(copy.status == .concept && copy.themas == Self.themas && copy.raadsbesluitVerplicht)
        #expect(copy.uitgenodigd == ["GM0503", "GM0518"] && copy.omschrijving == "Het plan." && copy.deadline == nil)
        #expect(try w.auditActions().contains("raadpleging-gekopieerd"))
        #expect(Self.refusal { _ = try w.ops.copyRaadpleging("bestaat-niet", as: RaadplegingKopie(id: "x-y-z", titel: "X"),
                                                             by: w.coordinator) } == .notFound(.raadpleging))
    }
}
