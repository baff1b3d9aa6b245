import ZienswijzenDomain

/// A date of a known event (the council decision) typed as three fields, dag / maand / jaar: the
/// NL Design System and GOV.UK pattern, which works in every browser and with screen readers,
/// where a browser's date picker shows its own locale's order (mm/dd/yyyy). The fields are
/// `<name>.dag`, `<name>.maand` and `<name>.jaar`; the API keeps its one ISO field `<name>`.
enum DateParts {
    static let parts: [(key: String, label: String)] = [("dag", "Dag"), ("maand", "Maand"), ("jaar", "Jaar")]

    /// The form's fields with the three parts of `name` replaced by `name` as an ISO date (empty
    /// when all three are empty), and what is wrong with the parts, named `<name>.dag` and so on,
    /// in Dutch sentences. A form without any part field is returned as it is.
    static func combine(_ fields: [(String, String)], name: String) -> (fields: [(String, String)], problems: [InvalidParam]) {
        let names = Set(parts.map { name + "." + $0.key })
        guard fields.contains(where: { names.contains($0.0) }) else { return (fields, []) }
        let typed = { (part: String) in (fields.first { $0.0 == name + "." + part }?.1 ?? "").trimmingWhitespace }
        var rest = fields.filter { !names.contains($0.0) }
        let (dag, maand, jaar) = (typed("dag"), typed("maand"), typed("jaar"))
        if dag.isEmpty, maand.isEmpty, jaar.isEmpty {
            rest.append((name, ""))
            return (rest, [])
        }
        let day = number(dag, in: 1...31), month = number(maand, in: 1...12) ?? monthNamed(maand)
        let year = jaar.count == 4 ? number(jaar, in: 1000...9999) : nil
        var problems: [InvalidParam] = []
        if day == nil {
            problems.append(InvalidParam(name: name + ".dag",
                                         reason: dag.isEmpty ? "Vul de dag in." : "Vul een geldige dag in."))
        }
        if month == nil {
            problems.append(InvalidParam(name: name + ".maand",
                                         reason: maand.isEmpty ? "Vul de maand in." : "Vul een geldige maand in."))
        }
        if year == nil {
            problems.append(InvalidParam(name: name + ".jaar", reason: jaar.isEmpty
                ? "Vul het jaar in." : "Vul een geldig jaar in, met vier cijfers, zoals 2026."))
        }
        if let day, let month, let year {
            if let date = LocalDate(year: year, month: month, day: day) {
                rest.append((name, date.iso))
            } else {
                let days = LocalDate.daysInMonth(year: year, month: month)
                let reason = "Vul een geldige dag in: \(monthNames[month - 1]) \(year) heeft \(days) dagen."
                problems.append(InvalidParam(name: name + ".dag", reason: reason))
            }
        }
        return (rest, problems)
    }

    /// The part values to show for a stored date.
    static func values(_ date: LocalDate?, name: String) -> [String: String] {
        guard let date else { return [:] }
        return [name + ".dag": String(date.day), name + ".maand": String(date.month), name + ".jaar": String(date.year)]
    }

    private static let monthNames = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                     "september", "oktober", "november", "december"]

    private static func number(_ text: String, in range: ClosedRange<Int>) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 4, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let n = Int(text), range.contains(n) else { return nil }
        return n
    }

    /// "nov", "November", "mrt": a Dutch month name or its first three letters (and "mrt").
    private static func monthNamed(_ text: String) -> Int? {
        let t = text.lowercased().trimmingCharacters(in: ["."])
        guard t.count >= 3 else { return nil }
        if t == "mrt" { return 3 }
        return monthNames.firstIndex { $0.hasPrefix(t) }.map { $0 + 1 }
    }
}

/// One of the three fields of a date.
struct DatePartView {
    var id: String
    var name: String
    var label: String
    var value: String
    var part: String
    var invalid: Bool
    /// The first of the three gets the group's description (hint and error).
    var describedBy: String?
}

/// A date as three fields in a fieldset, with one hint and one error for the group.
struct DateFieldView {
    var id: String
    var legend: String
    var hint: String
    /// Not `error`: a template looks a missing (nil) name up in the enclosing views, and those
    /// have an `error` of their own (the deadline page's), which must not show here.
    var dateError: String?
    var describedBy: String
    var parts: [DatePartView]

    /// `invalid`: the parts the error is about (every part for an error about the whole date).
    init(id: String, name: String, legend: String, hint: String, values: [String: String], error: String?,
         invalid: Set<String>) {
        self.id = id
        self.legend = legend
        self.hint = hint
        self.dateError = error
        describedBy = error == nil ? id + "-hint" : id + "-hint " + id + "-error"
        parts = DateParts.parts.map { part in
            DatePartView(id: id + "-" + part.key, name: name + "." + part.key, label: part.label,
                         value: values[name + "." + part.key] ?? "", part: part.key, invalid: invalid.contains(part.key))
        }
    }
}
