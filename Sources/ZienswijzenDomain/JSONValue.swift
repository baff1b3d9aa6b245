/// A JSON value tree that keeps what `JSONSerialization` blurs: booleans are not numbers, integers
/// are not doubles, and object members keep their order (so responses come out in the order the
/// API document shows, and validation can name fields in the order they were sent).
///
/// Parsing lives in `JSONParser.swift`, writing in `JSONWriter.swift`, RFC 8785 canonical form in
/// `JSONCanonical.swift`.
package indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// An integer literal (no fraction, no exponent) that fits in `Int`. Responses use this for
    /// counts, versions and sizes so they are written without a fraction.
    case int(Int)
    /// Any other number. Non-finite values cannot be written as JSON and are written as `null`.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in order. Duplicate names are refused by the parser; when you build an object
    /// yourself, keep names unique (RFC 8259 leaves duplicates' meaning open).
    case object([(String, JSONValue)])
}

extension JSONValue: Equatable {
    /// Structural equality; `.int(2) == .number(2.0)` because JSON itself does not tell them apart.
    /// Object members are compared in order.
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.int(a), .number(b)), let (.number(b), .int(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where x.0 != y.0 || x.1 != y.1 { return false }
            return true
        default: return false
        }
    }
}

// MARK: - Reading values

extension JSONValue {
    /// The member named `key` of an object; nil for a missing member or a non-object.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.0 == key })?.1
    }

    package var isNull: Bool { if case .null = self { true } else { false } }
    package var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    package var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    package var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    package var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { o } else { nil } }

    /// An integral number as `Int`: `.int`, or a `.number` with no fraction within `Int`'s range.
    package var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .number(let d):
            guard d.rounded(.towardZero) == d, d >= -9.2e18, d <= 9.2e18 else { return nil }
            return Int(d)
        default: return nil
        }
    }

    package var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// The JSON type's name, in Dutch, for messages to people ("moet een tekst zijn, geen getal").
    package var typeNameDutch: String {
        switch self {
        case .null: "null"
        case .bool: "waar/onwaar (boolean)"
        case .int, .number: "getal"
        case .string: "tekst"
        case .array: "lijst (array)"
        case .object: "object"
        }
    }
}

// MARK: - Building values

extension JSONValue {
    /// A string, or `null` when absent: for optional members such as `datumRaadsbesluit`.
    package static func string(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    package init(nilLiteral: ()) { self = .null }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int) { self = .int(value) }
    package init(floatLiteral value: Double) { self = .number(value) }
    package init(stringLiteral value: String) { self = .string(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Dictionary literals keep their written order: `["a": 1, "b": 2]` is written `{"a":1,"b":2}`.
    package init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
}
