import Foundation
import Testing
@testable import SQLite

@Suite struct BindingTests {
    /// Values that must come back exactly as they went in.
    static let cases: [(String, any SQLBindable & Sendable, SQLValue)] = [
        ("Int64.max", Int64.max, .integer(Int64.max)),
        ("Int64.min", Int64.min, .integer(Int64.min)),
        ("Int", 42, .integer(42)),
        ("Double", 3.141592653589793, .real(3.141592653589793)),
        ("negative Double", -0.1, .real(-0.1)),
        ("emoji", "zienswijze 👮‍♀️🚓", .text("zienswijze 👮‍♀️🚓")),
        ("apostrophe", "'s-Gravenhage", .text("'s-Gravenhage")),
        ("NUL in text", "voor\u{0}na", .text("voor\u{0}na")),
        ("empty text", "", .text("")),
        ("bytes", [UInt8]([1, 2, 255]), .blob([1, 2, 255])),
        ("empty bytes", [UInt8](), .blob([])),
        ("NUL bytes", [UInt8]([0, 0, 7, 0]), .blob([0, 0, 7, 0])),
        ("Data", Data([0, 9, 0]), .blob([0, 9, 0])),
        ("empty Data", Data(), .blob([])),
        ("true", true, .integer(1)),
        ("false", false, .integer(0)),
        ("nil String", String?.none, .null),
        ("some String", String?.some("x"), .text("x")),
        ("SQLValue", SQLValue.real(2.5), .real(2.5)),
    ]

    @Test func everyTypeRoundTripsPositionalAndNamed() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            // No declared type: no affinity, so SQLite stores exactly what is bound.
            try db.execute("CREATE TABLE t (label TEXT, v)")
            for (label, value, expected) in Self.cases {
                try db.run("INSERT INTO t (label, v) VALUES (?, ?)", [label + "/positional", value])
                try db.run("INSERT INTO t (label, v) VALUES (:label, $v)", named: ["label": label + "/named", "$v": value])
                for suffix in ["/positional", "/named"] {
                    let row = try #require(try db.queryOne("SELECT v, typeof(v) AS type FROM t WHERE label = ?", [label + suffix]))
                    #expect(row["v"] == expected, "\(label)\(suffix)")
                }
            }
            // Lengths as SQLite sees them: the NUL did not cut the text or blob short.
            let lengths = try db.queryOne("SELECT length(CAST(v AS BLOB)) FROM t WHERE label = 'NUL in text/named'")
            #expect(lengths?.int(0) == 7)
            let blobLength = try db.queryOne("SELECT length(v), typeof(v) FROM t WHERE label = 'empty bytes/positional'")
            #expect(blobLength?.int(0) == 0)
            #expect(blobLength?.string(1) == "blob")
        }
    }

    @Test func typedReads() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, f INTEGER, d INTEGER, n TEXT)")
            let date = Date(timeIntervalSince1970: 1_767_225_600.123)  // ms precision
            try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [Int64(-5), 1.5, "tekst\u{0}meer", Data([0, 1]), true, date, String?.none])
            let row = try #require(try db.queryOne("SELECT * FROM t"))
            #expect(row.int("i") == -5)
            #expect(row.double("r") == 1.5)
            #expect(row.double("i") == -5)  // INTEGER widens to Double
            #expect(row.string("s") == "tekst\u{0}meer")
            #expect(row.bytes("b") == [0, 1])
            #expect(row.data("b") == Data([0, 1]))
            #expect(row.bool("f") == true)
            #expect(row.date("d") == date)
            #expect(row.int("d") == 1_767_225_600_123)
            #expect(row.string("n") == nil)
            #expect(row["n"] == .null)
            #expect(row["no_such_column"] == .null)
            #expect(row.string("I") == nil)  // wrong type: nil, no conversion
            #expect(row.int("I") == -5)      // names are case-insensitive
            #expect(row.int(0) == -5 && row.string(2) == "tekst\u{0}meer" && row[99] == .null)
        }
    }

    @Test func dateRoundsToMilliseconds() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123_4)
        #expect(date.sqlValue == .integer(1_700_000_000_123))
        #expect(Date(timeIntervalSince1970: -1.5).sqlValue == .integer(-1500))
    }

    @Test func bindingMistakesAreErrors() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute("CREATE TABLE t (a, b)")
            #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (?, ?)", [1]) }
            #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (?, ?)", [1, 2, 3]) }
            #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (:a, :b)", named: ["a": 1]) }
            #expect(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (:a, :b)", named: ["a": 1, "b": 2, "c": 3]) }
            #expect(try db.query("SELECT * FROM t").isEmpty)
        }
    }
}
