import Foundation

/// Europe/Amsterdam at the edges. Instants (`Date`) are what the application stores and compares;
/// this turns them into what Dutch people read and type, and back, correctly across daylight
/// saving time (CET +01:00 in winter, CEST +02:00 in summer; the switches happen on the last
/// Sunday of March at 02:00 → 03:00 and of October at 03:00 → 02:00 local time).
///
/// Only the UTC offset at an instant comes from the time zone database; the calendar arithmetic is
/// done here, which keeps formatting cheap enough for every API response.
package enum AmsterdamTime {
    package static let identifier = "Europe/Amsterdam"

    /// The zone, or, if the system has no time zone data, a fixed +01:00 zone so that nothing
    /// crashes; `verifyAvailable()` (called at startup) refuses to run in that case.
    package static let zone: TimeZone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 3600) ?? .gmt

    package struct Unavailable: Error, CustomStringConvertible {
        package var description: String
    }

    /// Throws unless real Europe/Amsterdam rules are available (zone data present and switching
    /// between +01:00 and +02:00). Call once at startup: wrong offsets would silently shift every
    /// deadline by an hour.
    package static func verifyAvailable() throws {
        guard TimeZone(identifier: identifier) != nil else {
            throw Unavailable(description: "time zone \(identifier) not found; install the tzdata package")
        }
        let winter = offsetSeconds(at: Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00Z
        let summer = offsetSeconds(at: Date(timeIntervalSince1970: 1_782_864_000))  // 2026-07-01T00:00Z
        guard winter == 3600, summer == 7200 else {
            throw Unavailable(description: "time zone \(identifier) has offsets \(winter)s/\(summer)s, expected 3600s/7200s")
        }
    }

    /// Seconds east of UTC in Amsterdam at `date` (3600 or 7200).
    package static func offsetSeconds(at date: Date) -> Int { zone.secondsFromGMT(for: date) }

    /// "2026-12-01T17:00:00+01:00": seconds precision (fractions cut off), the offset in force then.
    package static func rfc3339(_ date: Date) -> String {
        let local = LocalDateTime(date)
        let offset = local.offset
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(local.date.iso)T\(pad2(local.hour)):\(pad2(local.minute)):\(pad2(local.second))"
            + "\(sign)\(pad2(minutes / 60)):\(pad2(minutes % 60))"
    }

    /// Reads RFC 3339 date-time (`2026-12-01T17:00:00+01:00`, `...Z`, `...16:00:00.250Z`); any
    /// offset is accepted (the instant is what counts); `t`/`z` in lower case too (RFC 3339 §5.6
    /// note). Nil for anything else, including leap seconds (`:60`) and out-of-range fields.
    package static func parseRFC3339(_ s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let date = LocalDate(iso: String(decoding: b[0..<10], as: UTF8.self)),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let h = LocalDate.digits(b[11..<13]), let m = LocalDate.digits(b[14..<16]),
              let sec = LocalDate.digits(b[17..<19]), h < 24, m < 60, sec < 60 else { return nil }
        var i = 19
        var fraction = 0.0
        if b[i] == UInt8(ascii: ".") {
            let start = i + 1
            i = start
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
            guard i > start, i - start <= 9, i < b.count,
                  let f = Double("0." + String(decoding: b[start..<i], as: UTF8.self)) else { return nil }
            fraction = f
        }
        let offset: Int
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            guard i + 1 == b.count else { return nil }
            offset = 0
        } else {
            guard i + 6 == b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"),
                  b[i + 3] == UInt8(ascii: ":"),
                  let oh = LocalDate.digits(b[(i + 1)..<(i + 3)]), let om = LocalDate.digits(b[(i + 4)..<(i + 6)]),
                  oh < 24, om < 60 else { return nil }
            offset = (b[i] == UInt8(ascii: "-") ? -1 : 1) * (oh * 3600 + om * 60)
        }
        let seconds = date.daysSinceEpoch * 86400 + h * 3600 + m * 60 + sec - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The calendar date in Amsterdam at `now` (what "today" means for "not in the future").
    package static func today(_ now: Date) -> LocalDate { LocalDateTime(now).date }

    /// The year in Amsterdam at `date` (for the kenmerk: a receipt at 00:30 on 1 January
    /// Amsterdam time belongs to the new year, though it is still the old year in UTC).
    package static func year(_ date: Date) -> Int { LocalDateTime(date).date.year }

    /// Dutch words for pages: "dinsdag 1 december 2026 om 17:00".
    package static func inWords(_ date: Date) -> String {
        let local = LocalDateTime(date)
        let weekday = DutchNames.weekdays[CivilCalendar.weekday(days: local.date.daysSinceEpoch)]
        return "\(weekday) \(local.date.inWords) om \(pad2(local.hour)):\(pad2(local.minute))"
    }

    /// Time left before `deadline`, in Dutch, rounded down to the largest two units that matter:
    /// "nog 2 dagen en 3 uur", "nog 1 uur en 5 minuten", "nog 45 minuten", "nog minder dan een
    /// minuut". Once past: "3 uur geleden verstreken", "2 dagen en 1 uur geleden verstreken",
    /// "zojuist verstreken" (within the first minute). Exactly at the deadline counts as not past,
    /// like `isLate`.
    package static func remainingInWords(from now: Date, to deadline: Date) -> String {
        let interval = deadline.timeIntervalSince(now)
        let past = interval < 0
        let total = Int(abs(interval).rounded(.down))
        let days = total / 86400, hours = (total % 86400) / 3600, minutes = (total % 3600) / 60
        func unit(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        var parts: [String] = []
        if days > 0 {
            parts.append(unit(days, "dag", "dagen"))
            if hours > 0 { parts.append(unit(hours, "uur", "uur")) }
        } else if hours > 0 {
            parts.append(unit(hours, "uur", "uur"))
            if minutes > 0 { parts.append(unit(minutes, "minuut", "minuten")) }
        } else if minutes > 0 {
            parts.append(unit(minutes, "minuut", "minuten"))
        }
        let amount = parts.joined(separator: " en ")
        if past { return amount.isEmpty ? "zojuist verstreken" : "\(amount) geleden verstreken" }
        return amount.isEmpty ? "nog minder dan een minuut" : "nog \(amount)"
    }

    /// The instant meant by a wall-clock time in Amsterdam, as an `<input type="datetime-local">`
    /// sends it: `2026-12-01T17:00`, optionally with `:SS` and a fraction. Nil when malformed.
    ///
    /// Daylight saving time makes some wall-clock times ambiguous or absent:
    /// - in the autumn overlap (25 Oct 2026, 02:00-02:59 happens twice) the EARLIER instant is
    ///   chosen (still +02:00): a deadline "02:30" then falls at the first 02:30;
    /// - in the spring gap (29 Mar 2026, 02:00-02:59 does not exist) the time is read with the
    ///   offset in force before the gap (+01:00), so "02:30" becomes 03:30 CEST, the later valid
    ///   instant, pushed forward by the length of the gap (as java.time and JavaScript do).
    package static func instant(fromLocal s: String) -> Date? {
        let b = Array(s.utf8)
        guard b.count >= 16, b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
              let date = LocalDate(iso: String(decoding: b[0..<10], as: UTF8.self)),
              let h = LocalDate.digits(b[11..<13]), let m = LocalDate.digits(b[14..<16]),
              h < 24, m < 60 else { return nil }
        var sec = 0
        var fraction = 0.0
        if b.count > 16 {
            guard b.count >= 19, b[16] == UInt8(ascii: ":"), let s2 = LocalDate.digits(b[17..<19]), s2 < 60 else { return nil }
            sec = s2
            if b.count > 19 {
                guard b[19] == UInt8(ascii: "."), b.count > 20, b.count <= 29,
                      let f = Double("0." + String(decoding: b[20...], as: UTF8.self)),
                      LocalDate.digits(b[20...]) != nil else { return nil }
                fraction = f
            }
        }
        let wall = date.daysSinceEpoch * 86400 + h * 3600 + m * 60 + sec  // as if it were UTC
        // The offsets that could apply near this wall time; a candidate is valid when the zone
        // really has that offset at the instant it gives.
        let nearby = [wall - 86400, wall, wall + 86400].map { offsetSeconds(at: Date(timeIntervalSince1970: Double($0))) }
        let valid = Set(nearby).map { wall - $0 }.filter { offsetSeconds(at: Date(timeIntervalSince1970: Double($0))) == wall - $0 }
        let seconds = valid.min() ?? (wall - nearby[0])  // overlap: earliest; gap: offset before it
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The value for an `<input type="datetime-local">`: "2026-12-01T17:00" (seconds dropped).
    package static func localInputValue(_ date: Date) -> String {
        let local = LocalDateTime(date)
        return "\(local.date.iso)T\(pad2(local.hour)):\(pad2(local.minute))"
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}

/// An instant broken into Amsterdam wall-clock fields (whole seconds, rounded down).
private struct LocalDateTime {
    var date: LocalDate
    var hour: Int, minute: Int, second: Int
    var offset: Int

    init(_ instant: Date) {
        offset = AmsterdamTime.offsetSeconds(at: instant)
        // Clamped to ±3000 years so a corrupt value cannot trap the Int conversion.
        let raw = min(max(instant.timeIntervalSince1970, -1e11), 1e11)
        let epoch = Int(raw.isFinite ? raw.rounded(.down) : 0) + offset
        let days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400
        let secondsOfDay = epoch - days * 86400
        date = LocalDate(daysSinceEpoch: days)
        hour = secondsOfDay / 3600
        minute = (secondsOfDay % 3600) / 60
        second = secondsOfDay % 60
    }
}
