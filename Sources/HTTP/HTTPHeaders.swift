/// Header fields in arrival order, duplicates kept. Names compare ASCII case-insensitively.
///
/// A value type: requests and responses own their headers outright. Lookups are linear, which is
/// faster than hashing for the dozen or so fields a real request carries (at most 100 are accepted).
package struct HTTPHeaders: Sendable, Equatable, Sequence {
    package struct Field: Sendable, Equatable {
        package var name: String
        package var value: String
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package private(set) var fields: [Field] = []

    package init() {}

    package init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    package var count: Int { fields.count }

    package func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The first value of `name`, or nil.
    package subscript(name: String) -> String? {
        fields.first { asciiCaseInsensitiveEquals($0.name, name) }?.value
    }

    /// Every value of `name`, in order.
    package func values(_ name: String) -> [String] {
        fields.filter { asciiCaseInsensitiveEquals($0.name, name) }.map(\.value)
    }

    package func contains(_ name: String) -> Bool {
        fields.contains { asciiCaseInsensitiveEquals($0.name, name) }
    }

    /// Makes room for `n` fields at once; the parser calls it per request so that adding a
    /// dozen fields does not regrow the storage four times.
    package mutating func reserveCapacity(_ n: Int) { fields.reserveCapacity(n) }

    /// Appends a field, keeping any existing ones of the same name.
    package mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of `name` with one field.
    package mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append(Field(name: name, value: value))
    }

    package mutating func remove(_ name: String) {
        fields.removeAll { asciiCaseInsensitiveEquals($0.name, name) }
    }

    /// The comma-separated tokens of every field `name`, lowercased and trimmed (e.g. `Connection`).
    package func tokens(_ name: String) -> [String] {
        values(name).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingHTTPWhitespace().lowercased() }
            .filter { !$0.isEmpty }
    }
}

/// ASCII-only case-insensitive comparison: header names are tokens, so no Unicode folding applies.
package func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    var a = a, b = b
    // Over contiguous bytes (a name is compared with every field on each request).
    return a.withUTF8 { x in
        b.withUTF8 { y in
            for i in 0..<x.count where x[i] != y[i] {
                let lower = x[i] | 0x20
                if lower != (y[i] | 0x20) || !(lower >= 0x61 && lower <= 0x7A) { return false }
            }
            return true
        }
    }
}

extension StringProtocol {
    /// Strips leading and trailing SP and HTAB (RFC 9110 OWS), nothing else.
    package func trimmingHTTPWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
