import Foundation
import Testing
import ZienswijzenDomain

private let deadline = AmsterdamTime.parseRFC3339("2026-12-01T17:00:00+01:00")!

private func version(_ n: Int, at stamp: String, status: VersieStatus = .ingediend) throws -> Versie {
    let received = try #require(AmsterdamTime.parseRFC3339(stamp))
    return Versie(raadpleging: "r", gemeente: "GM0518", versie: n, kenmerk: Kenmerk.make(year: 2026, gemeente: "GM0518", versie: n),
                  status: status, ontvangenOp: received, teLaat: received > deadline, standpunt: .instemmend,
                  datumRaadsbesluit: nil, indiener: Indiener(naam: "A", email: "a@example.nl"), toelichting: "",
                  opmerkingen: [], bijlagen: [])
}

@Suite("Lateness by the deadline in force (issue 14)")
struct LatenessTests {
    @Test func aLaterDeadlineMakesAStoredLateVersionOnTime() throws {
        let late = try version(1, at: "2026-12-01T17:00:01+01:00", status: .teLaat)
        #expect(Lateness.status(of: late, deadline: deadline) == .teLaat)
        #expect(Lateness.status(of: late, deadline: deadline.addingTimeInterval(3600)) == .ingediend)
        #expect(Lateness.status(of: late, deadline: nil) == .ingediend)
        let exactly = try version(1, at: "2026-12-01T17:00:00+01:00")
        #expect(Lateness.status(of: exactly, deadline: deadline) == .ingediend)
        let withdrawn = try version(2, at: "2026-12-01T18:00:00+01:00", status: .ingetrokken)
        #expect(Lateness.status(of: withdrawn, deadline: deadline) == .ingetrokken)
    }

    @Test func theOnTimeVersionOfALateChange() throws {
        let v1 = try version(1, at: "2026-11-30T10:00:00+01:00")
        let v2 = try version(2, at: "2026-12-01T16:59:00+01:00")
        let v3 = try version(3, at: "2026-12-02T09:00:00+01:00", status: .teLaat)
        #expect(Lateness.onTimeVersion(of: [v1, v2, v3], deadline: deadline)?.versie == 2)
        #expect(Lateness.onTimeVersion(of: [v1, v2], deadline: deadline) == nil)  // current is on time
        #expect(Lateness.onTimeVersion(of: [v3], deadline: deadline) == nil)      // nothing came in time
        let withdrawn = try version(2, at: "2026-12-01T16:59:00+01:00", status: .ingetrokken)
        #expect(Lateness.onTimeVersion(of: [v1, withdrawn, v3], deadline: deadline) == nil)  // withdrawn in time
        #expect(Lateness.onTimeVersion(of: [v1, v2, v3], deadline: deadline.addingTimeInterval(86400)) == nil)
    }

    @Test func theDeadlineAtReceiptIsInTheVersionOnlyWhenKnown() throws {
        var v = try version(1, at: "2026-11-30T10:00:00+01:00")
        let before = v.digest
        #expect(v.json(sha256: "x")["deadlineBijOntvangst"] == nil)
        #expect(v.receiptJSON(sha256: "x")["deadlineBijOntvangst"] == .null)
        v.deadlineBijOntvangst = deadline
        let json = v.json(sha256: "x")
        #expect(json["deadlineBijOntvangst"] == .string("2026-12-01T17:00:00+01:00"))
        if case .object(let members) = json {
            let names = members.map(\.0)
            #expect(names[names.firstIndex(of: "teLaat")! + 1] == "deadlineBijOntvangst")
            #expect(names[names.firstIndex(of: "teLaat")! + 2] == "sha256")
        }
        #expect(v.digest != before)
        #expect(v.deadlineAuditNote == "deadline bij ontvangst 2026-12-01T17:00:00+01:00")
    }

    @Test func dutchNumericDates() throws {
        #expect(DutchNumeric.dateTime(try #require(AmsterdamTime.parseRFC3339("2026-12-03T13:05:09Z"))) == "3-12-2026 14:05")
        #expect(DutchNumeric.dateTime(try #require(AmsterdamTime.parseRFC3339("2026-07-01T22:30:00Z"))) == "2-7-2026 00:30")
        #expect(DutchNumeric.date(try #require(LocalDate(iso: "2026-11-20"))) == "20-11-2026")
    }
}
