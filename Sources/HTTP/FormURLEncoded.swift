/// Limits for `application/x-www-form-urlencoded` data (query strings and form bodies).
///
/// Caps are checked while parsing, so a hostile body fails fast instead of building a large list.
package struct FormLimits: Sendable, Equatable {
    /// Most name=value pairs; more is an error (hash-flooding and memory guard).
    package var maxFields: Int = 1_000
    /// Longest decoded name, in UTF-8 bytes.
    package var maxNameLength: Int = 256
    /// Longest decoded value, in UTF-8 bytes (a zienswijze text is long: default 256 KiB).
    package var maxValueLength: Int = 256 * 1024

    package init(maxFields: Int = 1_000, maxNameLength: Int = 256, maxValueLength: Int = 256 * 1024) {
        self.maxFields = maxFields
        self.maxNameLength = maxNameLength
        self.maxValueLength = maxValueLength
    }
}

/// Why urlencoded data was refused. All are client errors (400).
package enum FormError: Error, Sendable, Equatable {
    case tooManyFields
    case nameTooLong
    case valueTooLong
    /// `%` not followed by two hex digits.
    case malformedEscape
    /// A decoded name or value is not valid UTF-8.
    case invalidUTF8
    /// A decoded NUL (`%00`): no form legitimately sends one, and it truncates text in C APIs.
    case nulByte
    /// The body's Content-Type is not `application/x-www-form-urlencoded`.
    case wrongContentType

    package var status: Int { self == .wrongContentType ? 415 : 400 }
}

/// Name/value pairs from a query string or an urlencoded body, in order, duplicates kept
/// (`?thema=a&thema=b` is two fields; the handler decides whether that is a list or an error).
///
/// Parsing follows the WHATWG urlencoded parser (split on `&`, then at the first `=`, `+` is a
/// space, then percent-decode) except that it refuses what that parser would silently repair:
/// malformed escapes, invalid UTF-8 and NUL are errors, not U+FFFD or literal `%`.
package struct FormFields: Sendable, Equatable, Sequence {
    package struct Field: Sendable, Equatable {
        package var name: String
        package var value: String
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package private(set) var fields: [Field] = []

    package init(_ pairs: [(String, String)] = []) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Parses a raw query string (`request.query`); nil or empty gives no fields.
    package init(query: String?, limits: FormLimits = FormLimits()) throws(FormError) {
        try self.init(urlencoded: Array((query ?? "").utf8), limits: limits)
    }

    /// Parses an `application/x-www-form-urlencoded` body.
    package init(urlencoded bytes: [UInt8], limits: FormLimits = FormLimits()) throws(FormError) {
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
            if end > start {
                guard fields.count < limits.maxFields else { throw .tooManyFields }
                let pair = bytes[start..<end]
                let equals = pair.firstIndex(of: UInt8(ascii: "="))
                let rawName = equals.map { pair[..<$0] } ?? pair
                let rawValue = equals.map { pair[($0 + 1)...] } ?? []
                // Decoding never grows the data, so a raw length within the cap needs no early check;
                // a raw length three times over the cap is certainly too long after decoding.
                if rawName.count / 3 > limits.maxNameLength { throw .nameTooLong }
                if rawValue.count / 3 > limits.maxValueLength { throw .valueTooLong }
                let name = try Self.decode(rawName)
                let value = try Self.decode(rawValue)
                if name.utf8.count > limits.maxNameLength { throw .nameTooLong }
                if value.utf8.count > limits.maxValueLength { throw .valueTooLong }
                fields.append(Field(name: name, value: value))
            }
            start = end + 1
        }
    }

    private static func decode(_ raw: ArraySlice<UInt8>) throws(FormError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try PercentDecoding.decode(raw, plusIsSpace: true)
        } catch {
            throw .malformedEscape
        }
        if bytes.contains(0) { throw .nulByte }
        guard let string = PercentDecoding.utf8String(bytes) else { throw .invalidUTF8 }
        return string
    }

    package var count: Int { fields.count }
    package var isEmpty: Bool { fields.isEmpty }

    package func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The first value of `name` (names compare exactly, case-sensitively), or nil.
    package func first(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    package func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    package mutating func append(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }
}

extension HTTPRequest {
    /// The query string's fields (`?formaat=csv`).
    package func queryFields(limits: FormLimits = FormLimits()) throws(FormError) -> FormFields {
        try FormFields(query: query, limits: limits)
    }

    /// The body's fields, if it is `application/x-www-form-urlencoded` (parameters such as
    /// `charset` are ignored: browsers always send UTF-8 for a UTF-8 page); otherwise 415.
    package func formFields(limits: FormLimits = FormLimits()) throws(FormError) -> FormFields {
        let mediaType = headers["Content-Type"]?.split(separator: ";", maxSplits: 1).first
            .map { $0.trimmingHTTPWhitespace().lowercased() }
        guard mediaType == "application/x-www-form-urlencoded" else { throw .wrongContentType }
        return try FormFields(urlencoded: body, limits: limits)
    }
}
