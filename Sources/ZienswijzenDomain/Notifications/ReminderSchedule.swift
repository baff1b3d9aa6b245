import Foundation

/// When griffies that have not submitted get a reminder: a number of days before the deadline
/// (`14,7,2,1` by default), set per consultation. A step is reached at the deadline's wall-clock
/// time that many calendar days earlier in Europe/Amsterdam (so daylight saving time does not
/// shift it by an hour), and stays reached until the deadline; after the deadline, and when the
/// consultation is closed, no reminder is sent.
package struct ReminderSchedule: Sendable, Equatable {
    /// Days before the deadline, largest first, each 1...90, no duplicates.
    package private(set) var days: [Int]

    package static let standard = ReminderSchedule(uncheckedDays: [14, 7, 2, 1])
    package static let allowedDays = 1...90
    /// Dutch, for `invalidParams`.
    package static let rule = "moet een lijst van verschillende aantallen dagen (1 tot en met 90) zijn, zoals 14,7,2,1"

    private init(uncheckedDays: [Int]) { days = uncheckedDays }

    /// A schedule from a list of days (any order); nil when a value is out of range or repeated.
    /// An empty list means no reminders.
    package init?(days: [Int]) {
        guard days.allSatisfy(Self.allowedDays.contains), Set(days).count == days.count, days.count <= 10 else { return nil }
        self.days = days.sorted(by: >)
    }

    /// From the stored text `14,7,2,1` (empty: no reminders).
    package init?(text: String) {
        if text.isEmpty { self.init(uncheckedDays: []); return }
        var values: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(n)
        }
        self.init(days: values)
    }

    /// The stored form.
    package var text: String { days.map(String.init).joined(separator: ",") }

    /// The instant step `days` is reached for `deadline`.
    package static func instant(_ days: Int, before deadline: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = AmsterdamTime.zone
        return calendar.date(byAdding: .day, value: -days, to: deadline) ?? deadline.addingTimeInterval(Double(-days) * 86_400)
    }

    /// What to do at `now`: the steps reached and not yet `done` (to record, so none is ever sent
    /// twice), and the one to send: the nearest to the deadline (after a pause, one reminder, not
    /// one for every missed step). Nothing past the deadline.
    package func due(deadline: Date, now: Date, done: Set<Int>) -> (send: Int?, reached: [Int]) {
        guard now <= deadline else { return (nil, []) }
        let reached = days.filter { !done.contains($0) && now >= Self.instant($0, before: deadline) }
        return (reached.min(), reached)
    }
}
