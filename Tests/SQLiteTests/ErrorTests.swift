import Testing
@testable import SQLite

@Suite struct ErrorTests {
    static let schema = """
        CREATE TABLE gemeente (id INTEGER PRIMARY KEY, naam TEXT NOT NULL UNIQUE);
        CREATE TABLE zienswijze (
            id INTEGER PRIMARY KEY,
            gemeente_id INTEGER NOT NULL REFERENCES gemeente(id),
            tekst TEXT NOT NULL CHECK (length(tekst) > 0)
        );
        INSERT INTO gemeente (id, naam) VALUES (1, 'Utrecht');
        """

    /// The secret is bound, never written in the SQL: it must not show up in the error.
    static let secret = "geheime-burger-tekst-4711"

    func violation(_ sql: String, _ bindings: [any SQLBindable]) throws -> SQLiteError {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            try db.execute(Self.schema)
            do {
                try db.run(sql, bindings)
            } catch let error as SQLiteError {
                return error
            }
            Issue.record("no error for \(sql)")
            return SQLiteError(code: 0, message: "none")
        }
    }

    @Test func uniqueViolation() throws {
        let sql = "INSERT INTO gemeente (naam, id) VALUES (?, ?)"
        let error = try violation(sql, ["Utrecht", 2])
        #expect(error.kind == .uniqueViolation)
        #expect(error.sql == sql)
        let pk = try violation(sql, [Self.secret, 1])
        #expect(pk.kind == .uniqueViolation)
        #expect(!pk.description.contains(Self.secret) && !pk.message.contains(Self.secret))
    }

    @Test func foreignKeyViolation() throws {
        let sql = "INSERT INTO zienswijze (gemeente_id, tekst) VALUES (?, ?)"
        let error = try violation(sql, [99, Self.secret])
        #expect(error.kind == .foreignKeyViolation)
        #expect(error.sql == sql)
        #expect(!error.description.contains(Self.secret))
    }

    @Test func checkViolation() throws {
        let sql = "INSERT INTO zienswijze (gemeente_id, tekst) VALUES (?, ?)"
        let error = try violation(sql, [1, ""])
        #expect(error.kind == .checkViolation)
        #expect(error.sql == sql)
    }

    @Test func notNullViolation() throws {
        let sql = "INSERT INTO zienswijze (gemeente_id, tekst) VALUES (?, ?)"
        let error = try violation(sql, [1, String?.none])
        #expect(error.kind == .notNullViolation)
        #expect(error.sql == sql)
        #expect(error.description.contains(sql))
    }

    @Test func syntaxErrorIsOtherAndNamesTheStatement() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.db")
            do {
                try db.execute("CREATE TABLE a (x); SELEKT 1; CREATE TABLE b (y);")
                Issue.record("no error")
            } catch let error as SQLiteError {
                #expect(error.kind == .other)
                #expect(error.sql?.hasPrefix("SELEKT 1;") == true, "\(error)")
            }
            // Execution stopped at the failing statement.
            #expect(try db.query("SELECT name FROM sqlite_schema").compactMap { $0.string(0) } == ["a"])
        }
    }
}
