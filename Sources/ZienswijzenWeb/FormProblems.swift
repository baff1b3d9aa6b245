import ZienswijzenDomain

/// The problems of a settings form as a page shows them: a summary whose links go to the fields,
/// and each field's own message, keyed by the field's element id.
struct FormProblems {
    private(set) var errors: [ErrorItem] = []
    private(set) var byID: [String: String] = [:]

    var isEmpty: Bool { errors.isEmpty }

    /// Adds `message` for the element `id` (once per element).
    mutating func add(_ id: String, _ message: String) {
        guard byID[id] == nil else { return }
        byID[id] = message
        errors.append(ErrorItem(href: "#" + id, message: message))
    }

    /// Adds an operation's problems: `field(name)` gives each name's element id and label.
    mutating func add(_ problems: [InvalidParam], field: (String) -> (id: String, label: String)) {
        for problem in problems {
            let (id, label) = field(problem.name)
            add(id, "\(label) \(problem.reason).")
        }
    }

    subscript(id: String) -> String? { byID[id] }
}

/// One checkbox of a list (gemeenten to invite).
struct CheckboxView {
    var id: String
    var value: String
    var label: String
    var checked: Bool
    var fixed: Bool
}
