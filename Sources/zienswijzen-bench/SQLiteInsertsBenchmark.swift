import Foundation
import SQLite

/// Inserts rows shaped like a zienswijze version (a few text columns, about 1 KB per row), each in
/// its own write transaction with `synchronous=FULL`, through `Database.write`: the path a
/// submission takes before its receipt is sent. `sqlite-inserts-script` prints the same work as a
/// script for the `sqlite3` shell, so the shell's rate can be measured beside ours.
enum SQLiteInsertsBenchmark {
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS zienswijze_versie (
            id INTEGER PRIMARY KEY,
            zienswijze_id TEXT NOT NULL,
            versie INTEGER NOT NULL,
            gemeente TEXT NOT NULL,
            indiener TEXT NOT NULL,
            email TEXT NOT NULL,
            onderwerp TEXT NOT NULL,
            tekst TEXT NOT NULL,
            ontvangen_op INTEGER NOT NULL,
            ontvangstbewijs TEXT NOT NULL
        );
        """

    static let insert = """
        INSERT INTO zienswijze_versie
            (zienswijze_id, versie, gemeente, indiener, email, onderwerp, tekst, ontvangen_op, ontvangstbewijs)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The values of row `i`: about 1 KB of text, varying per row.
    static func values(_ i: Int) -> [any SQLBindable] {
        let tekst = "De raad van de gemeente 's-Hertogenbosch stemt in met het beleidsplan, met de "
            + "kanttekening dat de inzet van wijkagenten in de kernen op peil moet blijven (\(i)). "
        return [
            "zw-\(i / 3)", i % 3 + 1, "'s-Hertogenbosch", "Griffie gemeenteraad",
            "griffie\(i)@example.nl", "Zienswijze beleidsplan politie 2027-2030",
            String(repeating: tekst, count: 6), Int64(1_767_225_600_000 + i),
            String(repeating: "ab01", count: 16),
        ]
    }

    /// `sqlite-inserts N DBPATH`
    static func run(_ arguments: [String]) throws {
        let (count, path) = try parse(arguments)
        let db = try Database(path: path, readers: 1)
        try db.write { try $0.execute(schema) }
        let rows = (0..<count).map(values)
        let start = ContinuousClock.now
        for row in rows {
            try db.write { try $0.run(insert, row) }
        }
        let seconds = (ContinuousClock.now - start).seconds
        let total = try db.read { try $0.queryOne("SELECT count(*) FROM zienswijze_versie")?.int(0) } ?? 0
        print("swift-layer: \(count) inserts in \(format(seconds)) s = \(format(Double(count) / seconds)) inserts/s (table now holds \(total) rows)")
    }

    /// `sqlite-inserts-script N`: the same schema, pragmas and rows as `sqlite-inserts`, one
    /// `BEGIN IMMEDIATE ... COMMIT` per row, as SQL for the `sqlite3` shell (values as literals).
    static func printScript(_ arguments: [String]) throws {
        guard arguments.count == 1, let count = Int(arguments[0]), count > 0 else {
            throw UsageError(description: "usage: sqlite-inserts-script N")
        }
        print("PRAGMA journal_mode=WAL;\nPRAGMA foreign_keys=ON;\nPRAGMA synchronous=FULL;\n\(schema)")
        let statement = insert.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        for i in 0..<count {
            let literals = values(i).map { literal($0.sqlValue) }.joined(separator: ", ")
            print("BEGIN IMMEDIATE; "
                + statement.replacingOccurrences(of: "?, ?, ?, ?, ?, ?, ?, ?, ?", with: literals)
                + "; COMMIT;")
        }
    }

    static func literal(_ value: SQLValue) -> String {
        switch value {
        case .integer(let v): "\(v)"
        case .real(let v): "\(v)"
        case .text(let v): "'" + v.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let v): "X'" + v.map { String(format: "%02x", $0) }.joined() + "'"
        case .null: "NULL"
        }
    }

    static func parse(_ arguments: [String]) throws -> (Int, String) {
        guard arguments.count == 2, let count = Int(arguments[0]), count > 0 else {
            throw UsageError(description: "usage: sqlite-inserts N DBPATH")
        }
        return (count, arguments[1])
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
