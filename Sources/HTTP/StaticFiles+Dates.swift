extension StaticFiles {
    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7) for `Last-Modified` and
    /// `If-Modified-Since`, in plain integer arithmetic: no Foundation formatter, no locale, no
    /// time zone database.
    ///
    /// Only IMF-fixdate is parsed. The obsolete RFC 850 and asctime forms are treated as invalid,
    /// which RFC 9110 §13.1.3 says means ignoring the condition: the client gets a full 200.
    enum IMFFixdate {
        private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

        static func format(secondsSince1970 seconds: Int) -> String {
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let secondOfDay = seconds - days * 86_400
            let (year, month, day) = civil(fromDays: days)
            let weekday = ((days % 7) + 7 + 4) % 7 // 1970-01-01 was a Thursday
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            return "\(weekdays[weekday]), \(two(day)) \(months[month - 1]) \(year) "
                + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) GMT"
        }

        /// Seconds since 1970 for a well-formed IMF-fixdate, else nil.
        static func parse(_ text: String) -> Int? {
            let bytes = Array(text.trimmingHTTPWhitespace().utf8)
            guard bytes.count == 29,
                  bytes[3] == UInt8(ascii: ","), bytes[4] == 0x20, bytes[7] == 0x20, bytes[11] == 0x20,
                  bytes[16] == 0x20, bytes[19] == UInt8(ascii: ":"), bytes[22] == UInt8(ascii: ":"),
                  bytes[25] == 0x20, bytes[26...].elementsEqual("GMT".utf8),
                  weekdays.contains(where: { $0.utf8.elementsEqual(bytes[0..<3]) }),
                  let monthIndex = months.firstIndex(where: { $0.utf8.elementsEqual(bytes[8..<11]) }),
                  let day = number(bytes[5..<7]), let year = number(bytes[12..<16]),
                  let hour = number(bytes[17..<19]), let minute = number(bytes[20..<22]),
                  let second = number(bytes[23..<25]),
                  day >= 1, day <= 31, hour <= 23, minute <= 59, second <= 60
            else { return nil }
            return days(fromCivil: year, monthIndex + 1, day) * 86_400 + hour * 3600 + minute * 60 + second
        }

        private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
            var value = 0
            for digit in digits {
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(digit - UInt8(ascii: "0"))
            }
            return value
        }

        // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
        private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            return era * 146_097 + dayOfEra - 719_468
        }

        private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let dayOfEra = z - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let mp = (5 * dayOfYear + 2) / 153
            let day = dayOfYear - (153 * mp + 2) / 5 + 1
            let month = mp < 10 ? mp + 3 : mp - 9
            return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
        }
    }
}
