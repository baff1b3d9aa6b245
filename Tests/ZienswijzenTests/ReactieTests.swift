import Foundation
import SQLite
import Testing
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations
import ZienswijzenStore

/// Answers to the zienswijzen and the reactienota (issue 15), through the operations: drafts that
/// only coordinators see, the rules on what a reaction may answer, freezing by vaststellen and
/// thawing by heropenen (each audited), answers to an older version, and the event.
@Suite struct ReactieTests {
    typealias World = RaadplegingBeheerTests.World
    static let id = RaadplegingBeheerTests.id

    /// A consultation inviting Den Haag and Delft, opened, with Den Haag's zienswijze (a remark on cybercrime).
    static func world() throws -> World {
        let w = try World()
        try w.create()
        try w.change(RaadplegingChange(status: .open))
        _ = try w.submit("GM0518")
        return w
    }

    static let input = ReactieInput(algemeen: "Dank voor uw zienswijze.",
                                    opmerkingen: [ReactieOpmerking(thema: "cybercrime", tekst: "Wij nemen dit over.", verwerking: .overgenomen)])

    static func refusal(_ body: () throws -> Void) -> Refusal? { RaadplegingBeheerTests.refusal(body) }

    @Test func aDraftAnswerIsSeenOnlyByCoordinators() throws {
        let w = try Self.world()
        let written = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        #expect(written.reactie?.beantwoordtVersie == 1 && written.reactie?.opmerkingen == Self.input.opmerkingen)
        #expect(try w.ops.beantwoording(raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator).reactie?.algemeen == "Dank voor uw zienswijze.")
        let own = try w.ops.beantwoording(raadpleging: Self.id, gemeente: "GM0518", by: w.griffie("GM0518"))
        #expect(own.reactie == nil && own.nota.status == .concept, "a draft is never shown to the griffie")
        #expect(Self.refusal { _ = try w.ops.beantwoording(raadpleging: Self.id, gemeente: "GM0518", by: try w.griffie("GM0503")) }
                == .forbidden(.otherGemeente))
        #expect(Self.refusal { _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: try w.griffie("GM0518")) }
                == .forbidden(.coordinatorOnly))
        #expect(Self.refusal { _ = try w.ops.reactieVoortgang(raadpleging: Self.id, by: try w.griffie("GM0518")) } == .forbidden(.coordinatorOnly))
        #expect(try w.auditActions().filter { $0.hasPrefix("reactie") } == ["reactie-gewijzigd"])
        // Writing again replaces the answer.
        let changed = ReactieInput(algemeen: "", opmerkingen: [ReactieOpmerking(thema: "cybercrime", tekst: "Ter kennisname.",
                                                                                 verwerking: .terKennisname)])
        _ = try w.ops.answer(changed, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        #expect(try w.ops.beantwoording(raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator).reactie?.opmerkingen == changed.opmerkingen)
        #expect(try w.auditActions().filter { $0.hasPrefix("reactie") } == ["reactie-gewijzigd", "reactie-gewijzigd"])
    }

    @Test func aReactionAnswersARemarkOfTheCurrentVersion() throws {
        let w = try Self.world()
        let bad = ReactieInput(algemeen: "ok\u{0}", opmerkingen: [
            ReactieOpmerking(thema: "ondermijning", tekst: "Geen opmerking hierover.", verwerking: .overgenomen),
            ReactieOpmerking(thema: "cybercrime", tekst: "  ", verwerking: .overgenomen),
            ReactieOpmerking(thema: "cybercrime", tekst: "Twee keer.", verwerking: .overgenomen),
        ])
        guard case .invalid(let problems, _)? = Self.refusal({ _ = try w.ops.answer(bad, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator) })
        else { Issue.record("expected 422"); return }
        #expect(problems.map(\.name) == ["algemeen", "opmerkingen[0].thema", "opmerkingen[1].tekst", "opmerkingen[2].thema"])
        // No zienswijze, a withdrawn one, an unknown consultation.
        #expect(Self.refusal { _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0503", by: w.coordinator) } == .conflict(.noZienswijze))
        _ = try w.ops.withdraw(raadpleging: Self.id, gemeente: "GM0518", by: w.griffie("GM0518"))
        #expect(Self.refusal { _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator) } == .conflict(.noZienswijze))
        #expect(Self.refusal { _ = try w.ops.answer(Self.input, raadpleging: "bestaat-niet", gemeente: "GM0518", by: w.coordinator) }
                == .notFound(.raadpleging))
        #expect(try !w.auditActions().contains("reactie-gewijzigd"))
        // A withdrawn zienswijze is not counted.
        #expect(try w.ops.reactieVoortgang(raadpleging: Self.id, by: w.coordinator).metZienswijze == 0)
    }

    @Test func vaststellenFreezesTheAnswersUntilReopened() throws {
        let w = try Self.world()
        let rbo = try #require(LocalDate(iso: "2027-01-20"))
        #expect(Self.refusal { _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: rbo, by: w.coordinator) }
                == .conflict(.unanswered(["Den Haag"])))
        _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        #expect(try w.ops.reactieVoortgang(raadpleging: Self.id, by: w.coordinator).summary == "1 van 1 beantwoord")
        #expect(Self.refusal { _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: rbo, by: try w.griffie("GM0518")) } == .forbidden(.coordinatorOnly))
        #expect(Self.refusal { _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: LocalDate(iso: "1999-01-01")!, by: w.coordinator) }
                == .invalid([InvalidParam(name: "rboDatum", reason: PlausibleDates.reason)]))

        let nota = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: rbo, by: w.coordinator)
        #expect(nota.status == .vastgesteld && nota.rboDatum == rbo && nota.vastgesteldOp == w.clock.now())
        #expect(try w.auditActions().first == "reactienota-vastgesteld")
        #expect(Self.refusal { _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator) }
                == .conflict(.reactienotaVastgesteld))
        #expect(Self.refusal { _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: rbo, by: w.coordinator) } == .conflict(.reactienotaVastgesteld))
        let own = try w.ops.beantwoording(raadpleging: Self.id, gemeente: "GM0518", by: w.griffie("GM0518"))
        #expect(own.reactie?.opmerkingen == Self.input.opmerkingen, "vastgesteld: the griffie reads its answer")

        let reopened = try w.ops.heropenen(raadpleging: Self.id, by: w.coordinator)
        #expect(reopened.status == .concept && reopened.rboDatum == nil)
        #expect(try w.auditActions().first == "reactienota-heropend")
        #expect(try w.ops.beantwoording(raadpleging: Self.id, gemeente: "GM0518", by: w.griffie("GM0518")).reactie == nil)
        #expect(Self.refusal { _ = try w.ops.heropenen(raadpleging: Self.id, by: w.coordinator) } == .conflict(.reactienotaConcept))
        _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
    }

    @Test func anAnswerToAnOlderVersionIsShownAsSuchAndDoesNotCount() throws {
        let w = try Self.world()
        _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        let newer = try w.submit("GM0518", remarks: ["cybercrime", "ondermijning"])
        #expect(newer.versie == 2)
        let seen = try w.ops.beantwoording(raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        #expect(seen.answersOlderVersion && seen.reactie?.beantwoordtVersie == 1 && seen.versie?.versie == 2)
        let voortgang = try w.ops.reactieVoortgang(raadpleging: Self.id, by: w.coordinator)
        #expect(voortgang.regels.map(\.stand) == [.verouderd] && voortgang.count(.beantwoord) == 0 && voortgang.uitgenodigd == 2)
        #expect(Self.refusal { _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: LocalDate(iso: "2027-01-20")!, by: w.coordinator) }
                == .conflict(.unanswered(["Den Haag"])))
        // Answering again answers version 2, and its new remark can be answered too.
        let both = ReactieInput(algemeen: "", opmerkingen: Self.input.opmerkingen
                                + [ReactieOpmerking(thema: "ondermijning", tekst: "Deels.", verwerking: .gedeeltelijkOvergenomen)])
        #expect(try w.ops.answer(both, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator).reactie?.beantwoordtVersie == 2)
        #expect(try w.ops.reactieVoortgang(raadpleging: Self.id, by: w.coordinator).count(.beantwoord) == 1)
    }

    @Test func vaststellenTellsTheEndpointsInItsTransaction() throws {
        let w = try Self.world()
        let hook = try w.ops.registerWebhook(url: "https://hooks.example.nl/reactienota", gebeurtenissen: [.reactienotaVastgesteld],
                                             persoonsgegevens: false, omschrijving: "", by: w.coordinator)
        _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: LocalDate(iso: "2027-01-20")!, by: w.coordinator)
        let entries = try w.ops.dueDeliveries(limit: 100).map(\.bezorging).filter { $0.webhookID == hook.id }
        #expect(entries.map(\.soort) == ["reactienota-vastgesteld"])
        #expect(entries.first?.onderwerp == Self.id)
    }

    @Test func publishingTellsTheEndpointsInItsTransaction() throws {
        let w = try Self.world()
        let hook = try w.ops.registerWebhook(url: "https://hooks.example.nl/publicatie", gebeurtenissen: [.resultaatGepubliceerd],
                                             persoonsgegevens: false, omschrijving: "", by: w.coordinator)
        _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: LocalDate(iso: "2027-01-20")!, by: w.coordinator)
        #expect(try w.ops.dueDeliveries(limit: 100).map(\.bezorging).filter { $0.webhookID == hook.id }.isEmpty)
        _ = try w.ops.publish(raadpleging: Self.id, by: w.coordinator)
        let entries = try w.ops.dueDeliveries(limit: 100).map(\.bezorging).filter { $0.webhookID == hook.id }
        #expect(entries.map(\.soort) == ["resultaat-gepubliceerd"])
        #expect(entries.first?.onderwerp == Self.id)
    }

    @Test func publishingIsAnAuditedSnapshotOfWhatIsPublicAndCanBeWithdrawn() throws {
        let w = try Self.world()
        _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        #expect(Self.refusal { _ = try w.ops.publish(raadpleging: Self.id, by: w.coordinator) } == .conflict(.reactienotaConcept))
        #expect(Self.refusal { _ = try w.ops.publicatie(raadpleging: Self.id) } == .notFound(.publicatie))
        _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: LocalDate(iso: "2027-01-20")!, by: w.coordinator)
        #expect(Self.refusal { _ = try w.ops.publish(raadpleging: Self.id, by: try w.griffie("GM0518")) } == .forbidden(.coordinatorOnly))

        let published = try w.ops.publish(raadpleging: Self.id, by: w.coordinator)
        #expect(try w.auditActions().first == "publicatie-gepubliceerd")
        let text = published.inhoud.serializedString()
        #expect(!text.contains("griffie@example.nl") && !text.contains("\"Griffie\"") && !text.contains("ZW-"), "no indiener, no kenmerk")
        let gemeente = try #require(published.inhoud["gemeenten"]?.arrayValue?.first)
        #expect(gemeente["code"]?.stringValue == "GM0518" && gemeente["standpunt"]?.stringValue == "instemmend-met-opmerkingen")
        #expect(gemeente["opmerkingen"]?.arrayValue?.first?["reactie"]?.stringValue == "Wij nemen dit over.")
        #expect(try w.ops.publicatie(raadpleging: Self.id) == published, "anyone reads the stored snapshot")

        // A snapshot: reopening and changing an answer does not change what is published.
        _ = try w.ops.heropenen(raadpleging: Self.id, by: w.coordinator)
        _ = try w.ops.answer(ReactieInput(algemeen: "Anders.", opmerkingen: []), raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        #expect(try w.ops.publicatie(raadpleging: Self.id) == published)

        try w.ops.withdrawPublication(raadpleging: Self.id, by: w.coordinator)
        #expect(try w.auditActions().first == "publicatie-ingetrokken")
        #expect(Self.refusal { _ = try w.ops.publicatie(raadpleging: Self.id) } == .notFound(.publicatie))
        #expect(Self.refusal { try w.ops.withdrawPublication(raadpleging: Self.id, by: w.coordinator) } == .notFound(.publicatie))
    }

    /// The printable page and the ODT lay out one `ReactienotaDocument`; the public one, made from
    /// the published snapshot alone, says what the live one said, less the kenmerken.
    @Test func thePublishedReactienotaIsTheLiveOneWithoutKenmerken() throws {
        let w = try Self.world()
        _ = try w.ops.answer(Self.input, raadpleging: Self.id, gemeente: "GM0518", by: w.coordinator)
        _ = try w.ops.vaststellen(raadpleging: Self.id, rboDatum: LocalDate(iso: "2027-01-20")!, by: w.coordinator)
        let live = try w.ops.reactienotaInhoud(raadpleging: Self.id, by: w.coordinator).document
        #expect(live.gemeenten.map(\.naam) == ["Den Haag"] && live.gemeenten.first?.kenmerk?.hasPrefix("ZW-") == true)
        #expect(live.themas.map { $0.opmerkingen.map(\.reactie) } == [["Wij nemen dit over."]])
        #expect(ReactienotaODT.body(live).contains("ZW-"))

        let published = ReactienotaDocument(publicatie: try w.ops.publish(raadpleging: Self.id, by: w.coordinator))
        var expected = live
        expected.rboVergadering = nil
        for i in expected.gemeenten.indices { expected.gemeenten[i].kenmerk = nil }
        #expect(published == expected)
        #expect(!ReactienotaODT.body(published).contains("ZW-"))
    }
}

/// The reactienota's XML text: escaped per Unicode scalar, characters XML 1.0 forbids left out.
@Suite struct ODTTextTests {
    @Test func everyTextIsEscapedAndForbiddenCharactersAreDropped() {
        #expect(ODTText.escape("a\u{1}b\u{B}\u{FFFE}\u{FFFF}<c>&\"'\r\nd\te") ==
                "ab&lt;c&gt;&amp;&quot;&apos;<text:line-break/>d<text:tab/>e")
        // A prepended mark cannot swallow the `<` it stands before: each scalar is judged on its own.
        #expect(ODTText.escape("\u{0600}<b>x</b>") == "\u{0600}&lt;b&gt;x&lt;/b&gt;")
        #expect(ODTText.escape("Cafe\u{301} 🚓") == "Cafe\u{301} 🚓")
        #expect(!ODTText.isAllowed("\u{0}") && ODTText.isAllowed("\u{10FFFF}") && ODTText.isAllowed("\u{E000}"))
    }
}
