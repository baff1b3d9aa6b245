import Foundation
import SQLite
import ZienswijzenDomain

/// A stored row that cannot be read as the value it should be. It means a damaged or hand-edited
/// database, never a user's mistake: the request fails (a logged 500) instead of showing a wrong
/// answer, and the message names the table and column.
package struct BadRow: Error, Sendable, CustomStringConvertible {
    package var table: String
    package var column: String
    package var found: String
    package var description: String { "\(table).\(column) cannot be read (found \(found))" }
}

/// Typed reads of one row of `table`, each naming its column when it fails. Required columns
/// throw on NULL or a value of another type; `optional…` reads accept NULL and throw only on a
/// value of another type. There are no silent defaults.
package struct Columns {
    package let row: Row
    package let table: String

    package init(_ row: Row, table: String) {
        self.row = row
        self.table = table
    }

    private func bad(_ column: String) -> BadRow {
        let value = row[column]
        let found: String = switch value {
        case .null: row.index(of: column) == nil ? "no such column" : "NULL"
        case .integer(let v): "INTEGER \(v)"
        case .real(let v): "REAL \(v)"
        case .text(let v): "TEXT '\(v.prefix(40))'"
        case .blob(let v): "BLOB of \(v.count) bytes"
        }
        return BadRow(table: table, column: column, found: found)
    }

    private func isNull(_ column: String) -> Bool {
        if case .null = row[column] { return row.index(of: column) != nil }
        return false
    }

    package func text(_ column: String) throws(BadRow) -> String {
        guard let value = row.string(column) else { throw bad(column) }
        return value
    }

    package func optionalText(_ column: String) throws(BadRow) -> String? {
        if isNull(column) { return nil }
        return try text(column)
    }

    package func int(_ column: String) throws(BadRow) -> Int64 {
        guard let value = row.int(column) else { throw bad(column) }
        return value
    }

    package func optionalInt(_ column: String) throws(BadRow) -> Int64? {
        if isNull(column) { return nil }
        return try int(column)
    }

    package func bool(_ column: String) throws(BadRow) -> Bool {
        guard let value = row.int(column), value == 0 || value == 1 else { throw bad(column) }
        return value == 1
    }

    package func bytes(_ column: String) throws(BadRow) -> [UInt8] {
        guard let value = row.bytes(column) else { throw bad(column) }
        return value
    }

    /// An instant stored as Unix milliseconds.
    package func date(_ column: String) throws(BadRow) -> Date {
        guard let value = row.date(column) else { throw bad(column) }
        return value
    }

    package func optionalDate(_ column: String) throws(BadRow) -> Date? {
        if isNull(column) { return nil }
        return try date(column)
    }

    /// A calendar date stored as `YYYY-MM-DD`.
    package func optionalLocalDate(_ column: String) throws(BadRow) -> LocalDate? {
        guard let text = try optionalText(column) else { return nil }
        guard let date = LocalDate(iso: text) else { throw bad(column) }
        return date
    }

    /// A value of a string enumeration (a CHECK constraint lists the same values).
    package func value<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws(BadRow) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: try text(column)) else { throw bad(column) }
        return value
    }

    package func optionalValue<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws(BadRow) -> T?
    where T.RawValue == String {
        guard let text = try optionalText(column) else { return nil }
        guard let value = T(rawValue: text) else { throw bad(column) }
        return value
    }
}
