import Foundation

/// One SQLite value, in the five storage classes SQLite itself has.
///
/// Everything that goes into or comes out of a statement passes through this type, so the
/// conversion rules (dates as Unix milliseconds, booleans as 0/1) live in exactly one place.
package enum SQLValue: Sendable, Equatable, Hashable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null
}

/// A Swift value that can be bound to a statement parameter.
///
/// Conformances: `Int64`, `Int`, `Double`, `String`, `[UInt8]`, `Data`, `Bool` (0/1), `Date`
/// (INTEGER Unix milliseconds, rounded to the nearest millisecond), `SQLValue` itself, and
/// `Optional` of any of these (`nil` binds NULL).
package protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable {
    package var sqlValue: SQLValue { self }
}

extension Int64: SQLBindable {
    package var sqlValue: SQLValue { .integer(self) }
}

extension Int: SQLBindable {
    package var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Double: SQLBindable {
    package var sqlValue: SQLValue { .real(self) }
}

extension String: SQLBindable {
    package var sqlValue: SQLValue { .text(self) }
}

extension Array: SQLBindable where Element == UInt8 {
    package var sqlValue: SQLValue { .blob(self) }
}

extension Data: SQLBindable {
    package var sqlValue: SQLValue { .blob([UInt8](self)) }
}

extension Bool: SQLBindable {
    package var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}

extension Date: SQLBindable {
    /// Unix milliseconds. Sub-millisecond precision is rounded away on purpose: it keeps the
    /// stored value an exact integer that sorts and compares correctly in SQL.
    package var sqlValue: SQLValue { .integer(unixMilliseconds) }

    /// The value stored for this date: milliseconds since 1970, rounded to the nearest.
    package var unixMilliseconds: Int64 {
        let ms = (timeIntervalSince1970 * 1000).rounded()
        // Dates beyond ±292 million years (or NaN) do not fit; clamp instead of trapping.
        if ms.isNaN { return 0 }
        if ms >= 9.2e18 { return Int64.max }
        if ms <= -9.2e18 { return Int64.min }
        return Int64(ms)
    }

    package init(unixMilliseconds ms: Int64) {
        self.init(timeIntervalSince1970: Double(ms) / 1000)
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    package var sqlValue: SQLValue {
        switch self {
        case .some(let value): value.sqlValue
        case .none: .null
        }
    }
}
