import Foundation

/// One result row, copied out of SQLite, so it stays valid after the statement moves on and can
/// cross threads.
///
/// Typed reads return `nil` for NULL, for a missing column and for a value of another storage
/// class (no silent text-to-number conversions): a type mismatch is a bug to see, not to paper over.
/// The one allowed widening is INTEGER read as `double`.
package struct Row: Sendable, Equatable {
    /// Column names as the statement reports them (shared between the rows of one query).
    package let columns: [String]
    package let values: [SQLValue]

    package init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    package var count: Int { values.count }

    /// The value of the column named `column`; `.null` when there is no such column.
    /// Names match exactly first, then case-insensitively (as SQL names do).
    package subscript(_ column: String) -> SQLValue {
        index(of: column).map { values[$0] } ?? .null
    }

    /// The value at `index` (0-based); `.null` when out of range.
    package subscript(_ index: Int) -> SQLValue {
        values.indices.contains(index) ? values[index] : .null
    }

    package func index(of column: String) -> Int? {
        if let exact = columns.firstIndex(of: column) { return exact }
        let lowered = column.lowercased()
        return columns.firstIndex { $0.lowercased() == lowered }
    }

    package func int(_ column: String) -> Int64? { Row.int(self[column]) }
    package func int(_ index: Int) -> Int64? { Row.int(self[index]) }
    package func double(_ column: String) -> Double? { Row.double(self[column]) }
    package func double(_ index: Int) -> Double? { Row.double(self[index]) }
    package func string(_ column: String) -> String? { Row.string(self[column]) }
    package func string(_ index: Int) -> String? { Row.string(self[index]) }
    package func bytes(_ column: String) -> [UInt8]? { Row.bytes(self[column]) }
    package func bytes(_ index: Int) -> [UInt8]? { Row.bytes(self[index]) }
    package func data(_ column: String) -> Data? { Row.bytes(self[column]).map { Data($0) } }
    package func data(_ index: Int) -> Data? { Row.bytes(self[index]).map { Data($0) } }
    /// INTEGER 0 is false, any other INTEGER true.
    package func bool(_ column: String) -> Bool? { Row.int(self[column]).map { $0 != 0 } }
    package func bool(_ index: Int) -> Bool? { Row.int(self[index]).map { $0 != 0 } }
    /// An INTEGER of Unix milliseconds, as `Date` binds.
    package func date(_ column: String) -> Date? { Row.int(self[column]).map(Date.init(unixMilliseconds:)) }
    package func date(_ index: Int) -> Date? { Row.int(self[index]).map(Date.init(unixMilliseconds:)) }

    private static func int(_ value: SQLValue) -> Int64? {
        if case .integer(let v) = value { v } else { nil }
    }

    private static func double(_ value: SQLValue) -> Double? {
        switch value {
        case .real(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }

    private static func string(_ value: SQLValue) -> String? {
        if case .text(let v) = value { v } else { nil }
    }

    private static func bytes(_ value: SQLValue) -> [UInt8]? {
        if case .blob(let v) = value { v } else { nil }
    }
}
