import Foundation
import Testing
import ZienswijzenDomain
import ZienswijzenStore

private func utc(_ s: String) throws -> Date { try #require(AmsterdamTime.parseRFC3339(s)) }

@Suite("Europe/Amsterdam time")
struct DomainTimeTests {
    @Test func zoneDataIsAvailable() throws {
        try AmsterdamTime.verifyAvailable()
    }

    @Test func winterAndSummerOffsets() throws {
        #expect(AmsterdamTime.rfc3339(try utc("2026-12-01T16:00:00Z")) == "2026-12-01T17:00:00+01:00")
        #expect(AmsterdamTime.rfc3339(try utc("2026-07-01T10:00:00Z")) == "2026-07-01T12:00:00+02:00")
    }

    /// 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    @Test func springForward() throws {
        #expect(AmsterdamTime.rfc3339(try utc("2026-03-29T00:59:59Z")) == "2026-03-29T01:59:59+01:00")
        #expect(AmsterdamTime.rfc3339(try utc("2026-03-29T01:00:00Z")) == "2026-03-29T03:00:00+02:00")
    }

    /// 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
    @Test func fallBack() throws {
        #expect(AmsterdamTime.rfc3339(try utc("2026-10-25T00:59:59Z")) == "2026-10-25T02:59:59+02:00")
        #expect(AmsterdamTime.rfc3339(try utc("2026-10-25T01:00:00Z")) == "2026-10-25T02:00:00+01:00")
    }

    /// Every 7 hours 13 minutes for three years, against Foundation's own formatter.
    @Test func agreesWithFoundationFormatter() throws {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = AmsterdamTime.zone
        formatter.formatOptions = [.withInternetDateTime]
        var date = try utc("2025-01-01T00:00:00Z")
        let end = try utc("2028-01-01T00:00:00Z")
        var checked = 0
        while date < end {
            #expect(AmsterdamTime.rfc3339(date) == formatter.string(from: date))
            #expect(AmsterdamTime.parseRFC3339(AmsterdamTime.rfc3339(date)) == date)
            date += 7 * 3600 + 13 * 60
            checked += 1
        }
        #expect(checked > 3000)
    }

    @Test func parsesAnyOffsetAndFractions() throws {
        let instant = try utc("2026-12-01T16:00:00Z")
        #expect(AmsterdamTime.parseRFC3339("2026-12-01T17:00:00+01:00") == instant)
        #expect(AmsterdamTime.parseRFC3339("2026-12-01T11:30:00-04:30") == instant)
        #expect(AmsterdamTime.parseRFC3339("2026-12-01t16:00:00z") == instant)
        #expect(AmsterdamTime.parseRFC3339("2026-12-01T16:00:00.750Z") == instant + 0.75)
        #expect(AmsterdamTime.rfc3339(instant + 0.75) == "2026-12-01T17:00:00+01:00")
    }

    @Test(arguments: ["", "2026-12-01", "2026-12-01T17:00:00", "2026-12-01T17:00Z", "2026-12-01 17:00:00Z",
                      "2026-02-30T17:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T17:60:00Z", "2026-12-31T23:59:60Z",
                      "2026-12-01T17:00:00+0100", "2026-12-01T17:00:00.Z", "2026-12-01T17:00:00+01:00x", "26-12-01T17:00:00Z"])
    func refusesInvalidRFC3339(_ s: String) {
        #expect(AmsterdamTime.parseRFC3339(s) == nil)
    }

    @Test func todayAndYearAreAmsterdams() throws {
        #expect(AmsterdamTime.today(try utc("2026-11-30T22:59:59Z")) == LocalDate(iso: "2026-11-30"))
        #expect(AmsterdamTime.today(try utc("2026-11-30T23:00:00Z")) == LocalDate(iso: "2026-12-01"))
        #expect(AmsterdamTime.today(try utc("2026-06-30T22:30:00Z")) == LocalDate(iso: "2026-07-01"))
        #expect(AmsterdamTime.year(try utc("2026-12-31T22:59:59Z")) == 2026)
        #expect(AmsterdamTime.year(try utc("2026-12-31T23:00:00Z")) == 2027)
    }

    @Test func inDutchWords() throws {
        #expect(AmsterdamTime.inWords(try utc("2026-12-01T16:00:00Z")) == "dinsdag 1 december 2026 om 17:00")
        #expect(AmsterdamTime.inWords(try utc("2026-03-29T01:05:00Z")) == "zondag 29 maart 2026 om 03:05")
        #expect(AmsterdamTime.inWords(try utc("2027-01-01T07:09:59Z")) == "vrijdag 1 januari 2027 om 08:09")
    }

    @Test func remainingInDutchWords() throws {
        let deadline = try utc("2026-12-01T16:00:00Z")
        func words(_ secondsBefore: TimeInterval) -> String {
            AmsterdamTime.remainingInWords(from: deadline - secondsBefore, to: deadline)
        }
        #expect(words(2 * 86400 + 3 * 3600 + 59) == "nog 2 dagen en 3 uur")
        #expect(words(86400 + 1800) == "nog 1 dag")
        #expect(words(86400 + 3600) == "nog 1 dag en 1 uur")
        #expect(words(3600 + 5 * 60) == "nog 1 uur en 5 minuten")
        #expect(words(45 * 60 + 59) == "nog 45 minuten")
        #expect(words(60) == "nog 1 minuut")
        #expect(words(59) == "nog minder dan een minuut")
        #expect(words(0) == "nog minder dan een minuut")
        #expect(words(-30) == "zojuist verstreken")
        #expect(words(-3 * 3600) == "3 uur geleden verstreken")
        #expect(words(-(2 * 86400 + 3600)) == "2 dagen en 1 uur geleden verstreken")
    }

    @Test func localWallClockToInstant() throws {
        #expect(AmsterdamTime.instant(fromLocal: "2026-12-01T17:00") == (try utc("2026-12-01T16:00:00Z")))
        #expect(AmsterdamTime.instant(fromLocal: "2026-07-01T12:00") == (try utc("2026-07-01T10:00:00Z")))
        #expect(AmsterdamTime.instant(fromLocal: "2026-12-01T17:00:30") == (try utc("2026-12-01T16:00:30Z")))
        #expect(AmsterdamTime.instant(fromLocal: "2026-12-01T17:00:30.5") == (try utc("2026-12-01T16:00:30.5Z")))
        // Spring gap: 02:30 does not exist; read with +01:00, i.e. 03:30 CEST.
        #expect(AmsterdamTime.instant(fromLocal: "2026-03-29T02:30") == (try utc("2026-03-29T01:30:00Z")))
        #expect(AmsterdamTime.instant(fromLocal: "2026-03-29T01:59") == (try utc("2026-03-29T00:59:00Z")))
        #expect(AmsterdamTime.instant(fromLocal: "2026-03-29T03:00") == (try utc("2026-03-29T01:00:00Z")))
        // Autumn overlap: 02:30 happens twice; the earlier (+02:00) is chosen.
        #expect(AmsterdamTime.instant(fromLocal: "2026-10-25T02:30") == (try utc("2026-10-25T00:30:00Z")))
        #expect(AmsterdamTime.instant(fromLocal: "2026-10-25T03:00") == (try utc("2026-10-25T02:00:00Z")))
    }

    @Test(arguments: ["", "2026-12-01", "2026-12-01 17:00", "2026-12-01T17", "2026-13-01T17:00", "2026-12-01T17:00Z",
                      "2026-12-01T25:00", "2026-12-01T17:00:", "2026-12-01T17:00:61", "2026-12-01T17:00:00.", "2026-12-01T17:00:00.x"])
    func refusesInvalidLocal(_ s: String) {
        #expect(AmsterdamTime.instant(fromLocal: s) == nil)
    }

    /// Every quarter hour across both 2026 switches: the input value reads back to the same
    /// instant, except the second pass through the autumn overlap, which reads back an hour early.
    @Test func localInputRoundTrip() throws {
        #expect(AmsterdamTime.localInputValue(try utc("2026-12-01T16:00:59Z")) == "2026-12-01T17:00")
        for (start, end) in [("2026-03-28T12:00:00Z", "2026-03-30T00:00:00Z"), ("2026-10-24T12:00:00Z", "2026-10-26T00:00:00Z")] {
            var date = try utc(start)
            let stop = try utc(end)
            let secondPass = try utc("2026-10-25T01:00:00Z")..<utc("2026-10-25T02:00:00Z")
            while date < stop {
                let back = try #require(AmsterdamTime.instant(fromLocal: AmsterdamTime.localInputValue(date)))
                #expect(back == (secondPass.contains(date) ? date - 3600 : date), "\(AmsterdamTime.rfc3339(date))")
                date += 15 * 60
            }
        }
    }
}

@Suite("Deadline and clock")
struct DomainDeadlineTests {
    @Test func lateIsStrictlyAfter() throws {
        let deadline = try utc("2026-12-01T16:00:00Z")
        #expect(!isLate(receivedAt: deadline, deadline: deadline))
        #expect(!isLate(receivedAt: deadline - 1, deadline: deadline))
        #expect(isLate(receivedAt: deadline + 0.001, deadline: deadline))
        #expect(!isLate(receivedAt: deadline + 1e9, deadline: nil))
    }

    @Test func remainingSecondsFloorAndGoNegative() throws {
        let deadline = try utc("2026-12-01T16:00:00Z")
        #expect(DeadlineState(deadline: deadline, now: deadline - 185_000.9).resterendeSeconden == 185_000)
        #expect(DeadlineState(deadline: deadline, now: deadline).resterendeSeconden == 0)
        #expect(DeadlineState(deadline: deadline, now: deadline).isPast == false)
        #expect(DeadlineState(deadline: deadline, now: deadline + 0.5).resterendeSeconden == -1)
        #expect(DeadlineState(deadline: deadline, now: deadline + 0.5).isPast)
        #expect(DeadlineState(deadline: deadline, now: deadline + 3600).resterendeSeconden == -3600)
        #expect(DeadlineState(deadline: nil, now: deadline).resterendeSeconden == nil)
        #expect(DeadlineState(deadline: nil, now: deadline).isPast == false)
        #expect(DeadlineState(deadline: deadline, now: deadline - 90).remainingInWords == "nog 1 minuut")
    }

    @Test func fixedClockMovesOnlyWhenTold() async throws {
        let start = try utc("2026-12-01T15:59:00Z")
        let clock = FixedClock(start)
        #expect(clock.now() == start)
        clock.advance(by: 60)
        #expect(clock.now() == start + 60)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<100 { clock.advance(by: 1) } } }
        }
        #expect(clock.now() == start + 860)
        clock.set(start)
        #expect(clock.now() == start)
        let system: any AppClock = SystemClock()
        #expect(abs(system.now().timeIntervalSinceNow) < 60)
    }
}

@Suite("Local dates")
struct DomainLocalDateTests {
    @Test func strictISO() throws {
        let date = try #require(LocalDate(iso: "2026-11-20"))
        #expect((date.year, date.month, date.day) == (2026, 11, 20))
        #expect(date.iso == "2026-11-20")
        #expect("\(date)" == "2026-11-20")
        #expect(date.inWords == "20 november 2026")
        for bad in ["2026-02-30", "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01",
                    "2026-1-01", "2026-01-1", "20261120", "2026-11-20 ", " 2026-11-20", "2026-11-20T00:00", "２026-11-20", "+026-11-20"] {
            #expect(LocalDate(iso: bad) == nil, "\(bad)")
        }
        #expect(LocalDate(iso: "2024-02-29") != nil)
        #expect(LocalDate(iso: "2000-02-29") != nil)
        #expect(LocalDate(iso: "0001-01-01")?.iso == "0001-01-01")
    }

    @Test func orderAndDayCounting() throws {
        let a = try #require(LocalDate(iso: "2026-11-20")), b = try #require(LocalDate(iso: "2026-12-01"))
        #expect(a < b)
        #expect(LocalDate(iso: "1970-01-01")?.daysSinceEpoch == 0)
        #expect(LocalDate(iso: "2000-03-01")?.daysSinceEpoch == 11017)
        for days in stride(from: -800_000, through: 2_900_000, by: 997) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test func codableAsString() throws {
        let date = try #require(LocalDate(iso: "2026-11-20"))
        let data = try JSONEncoder().encode([date])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-11-20"]"#)
        #expect(try JSONDecoder().decode([LocalDate].self, from: data) == [date])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }
}
