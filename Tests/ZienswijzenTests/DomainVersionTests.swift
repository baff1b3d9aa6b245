import Crypto
import Foundation
import Testing
import ZienswijzenDomain
import ZienswijzenStore

private func example() throws -> Versie {
    Versie(
        raadpleging: "coalitie-voor-veiligheid-2023-2026", gemeente: "GM0518", versie: 2,
        kenmerk: Kenmerk.make(year: 2026, gemeente: "GM0518", versie: 2), status: .ingediend,
        ontvangenOp: try #require(AmsterdamTime.parseRFC3339("2026-11-25T09:15:03Z")), teLaat: false,
        standpunt: .instemmendMetOpmerkingen, datumRaadsbesluit: LocalDate(iso: "2026-11-20"),
        indiener: Indiener(naam: "A. de Griffier", email: "griffie@example.nl"),
        toelichting: "Vrije tekst van de raad.\n's-Gravenhage, € 5 \"citaat\" 😀\tslot",
        opmerkingen: [Opmerking(thema: "cybercrime", tekst: "Opmerking over dit thema."),
                      Opmerking(thema: "ondermijning", tekst: "Tweede.")],
        bijlagen: [Bijlage(id: "b1", bestandsnaam: "raadsbesluit.pdf", mediatype: "application/pdf", grootte: 48213,
                               sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")])
}

@Suite("Stored versions and their digest")
struct DomainVersionTests {
    @Test func jsonHasTheDocumentedShapeAndOrder() throws {
        let version = try example()
        let text = String(decoding: version.json(sha256: "SHA").serialized(), as: UTF8.self)
        #expect(text == #"""
            {"raadpleging":"coalitie-voor-veiligheid-2023-2026","gemeente":"GM0518","versie":2,"kenmerk":"ZW-2026-GM0518-0002","status":"ingediend","ontvangenOp":"2026-11-25T10:15:03+01:00","teLaat":false,"sha256":"SHA","standpunt":"instemmend-met-opmerkingen","datumRaadsbesluit":"2026-11-20","indiener":{"naam":"A. de Griffier","email":"griffie@example.nl"},"toelichting":"Vrije tekst van de raad.\n's-Gravenhage, € 5 \"citaat\" 😀\tslot","opmerkingen":[{"thema":"cybercrime","tekst":"Opmerking over dit thema."},{"thema":"ondermijning","tekst":"Tweede."}],"bijlagen":[{"id":"b1","bestandsnaam":"raadsbesluit.pdf","mediatype":"application/pdf","grootte":48213,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]}
            """#)
        var withoutDate = version
        withoutDate.datumRaadsbesluit = nil
        #expect(withoutDate.json(sha256: "x")["datumRaadsbesluit"] == .null)
    }

    /// The fixed vector was computed outside Swift from the JSON above, with both Python
    /// (`json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`) and a JavaScript
    /// canonicalizer, then SHA-256.
    @Test func digestMatchesIndependentVector() throws {
        #expect(try example().digest == "6955e8856d3a6399263fdbfa999df50067dadd81f9b477d47a6476882bee3555")
    }

    /// The recipe of the doc comment, done the way a council would: from the response bytes.
    @Test func recipeRecomputesFromGETResponse() throws {
        let version = try example()
        let responseBytes = version.json(sha256: version.digest).serialized(pretty: true)
        let received = try JSONValue.parse(responseBytes)
        guard case .object(let members) = received else { Issue.record("not an object"); return }
        let claimed = try #require(received["sha256"]?.stringValue)
        let rest = JSONValue.object(members.filter { $0.0 != "sha256" })
        let recomputed = SHA256.hash(data: rest.canonical()).map { String(format: "%02x", $0) }.joined()
        #expect(recomputed == claimed)
        #expect(claimed.count == 64)
    }

    @Test func digestChangesWhenAnyFieldChanges() throws {
        let base = try example()
        let original = base.digest
        #expect(base.digest == original)  // stable
        let changes: [(String, (inout Versie) -> Void)] = [
            ("raadpleging", { $0.raadpleging = "andere" }), ("gemeente", { $0.gemeente = "GM0503" }),
            ("versie", { $0.versie = 3 }), ("kenmerk", { $0.kenmerk = "ZW-2026-GM0518-0003" }),
            ("status", { $0.status = .ingetrokken }), ("ontvangenOp", { $0.ontvangenOp += 1 }),
            ("teLaat", { $0.teLaat = true }), ("standpunt", { $0.standpunt = .instemmend }),
            ("datumRaadsbesluit", { $0.datumRaadsbesluit = nil }), ("naam", { $0.indiener.naam += "." }),
            ("email", { $0.indiener.email = "x@example.nl" }), ("toelichting", { $0.toelichting += " " }),
            ("opmerking", { $0.opmerkingen[1].tekst = "Tweede!" }), ("thema order", { $0.opmerkingen.reverse() }),
            ("bijlage", { $0.bijlagen[0].grootte += 1 }), ("no bijlagen", { $0.bijlagen = [] }),
        ]
        var seen: Set<String> = [original]
        for (name, change) in changes {
            var changed = base
            change(&changed)
            #expect(seen.insert(changed.digest).inserted, "changing \(name) must change the digest")
        }
    }

    @Test func receiptCarriesTheVersion() throws {
        let version = try example()
        let receipt = version.receiptJSON(sha256: version.digest)
        #expect(receipt.objectValue?.map(\.0) == ["kenmerk", "versie", "ontvangenOp", "teLaat", "deadlineBijOntvangst",
                                                   "sha256", "zienswijze"])
        #expect(receipt["ontvangenOp"] == "2026-11-25T10:15:03+01:00")
        #expect(receipt["sha256"] == .string(version.digest))
        #expect(receipt["zienswijze"] == version.json(sha256: version.digest))
    }

    @Test func kenmerkFormat() {
        #expect(Kenmerk.make(year: 2026, gemeente: "GM0518", versie: 2) == "ZW-2026-GM0518-0002")
        #expect(Kenmerk.make(year: 2027, gemeente: "GM0503", versie: 123) == "ZW-2027-GM0503-0123")
        #expect(Kenmerk.make(year: 2026, gemeente: "GM0518", versie: 12345) == "ZW-2026-GM0518-12345")
    }

    @Test func standpuntLabelsAndStatuses() {
        #expect(Standpunt.allCases.map(\.label) == ["Instemmend", "Instemmend met opmerkingen", "Niet instemmend", "Geen zienswijze"])
        #expect(Standpunt.allCases.map(\.rawValue) == ["instemmend", "instemmend-met-opmerkingen", "niet-instemmend", "geen-zienswijze"])
        #expect(VersieStatus.teLaat.rawValue == "te-laat")
    }
}
