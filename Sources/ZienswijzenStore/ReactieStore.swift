import Foundation
import SQLite
import ZienswijzenDomain

/// The answers to the zienswijzen and the state of each consultation's reactienota (issue 15).
/// The rules (who may, whether the nota is frozen, which remarks can be answered) are the
/// operations' and the domain's; this is SQL.
package enum ReactieStore {
    /// Stores `reactie`, replacing the gemeente's previous one with its reactions per remark.
    package static func replace(_ db: Connection, _ reactie: Reactie) throws {
        try db.run("DELETE FROM reactie_opmerkingen WHERE raadpleging = ? AND gemeente = ?", [reactie.raadpleging, reactie.gemeente])
        try db.run("""
            INSERT INTO reacties (raadpleging, gemeente, beantwoordt_versie, algemeen, gewijzigd_op) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (raadpleging, gemeente) DO UPDATE SET beantwoordt_versie = excluded.beantwoordt_versie,
              algemeen = excluded.algemeen, gewijzigd_op = excluded.gewijzigd_op
            """, [reactie.raadpleging, reactie.gemeente, reactie.beantwoordtVersie, reactie.algemeen, reactie.gewijzigdOp])
        for (position, opmerking) in reactie.opmerkingen.enumerated() {
            try db.run("""
                INSERT INTO reactie_opmerkingen (raadpleging, gemeente, thema, positie, tekst, verwerking) VALUES (?, ?, ?, ?, ?, ?)
                """, [reactie.raadpleging, reactie.gemeente, opmerking.thema, position, opmerking.tekst, opmerking.verwerking.rawValue])
        }
    }

    package static func find(_ db: Connection, raadpleging: String, gemeente: String) throws -> Reactie? {
        guard let row = try db.queryOne("SELECT * FROM reacties WHERE raadpleging = ? AND gemeente = ?", [raadpleging, gemeente])
        else { return nil }
        return try reactie(row, opmerkingen: try opmerkingen(db, raadpleging: raadpleging, gemeente: gemeente))
    }

    /// Every answer of a consultation, by gemeente code.
    package static func all(_ db: Connection, raadpleging: String) throws -> [String: Reactie] {
        var byGemeente: [String: [ReactieOpmerking]] = [:]
        for row in try db.query("SELECT * FROM reactie_opmerkingen WHERE raadpleging = ? ORDER BY gemeente, positie", [raadpleging]) {
            let c = Columns(row, table: "reactie_opmerkingen")
            byGemeente[try c.text("gemeente"), default: []].append(try opmerking(c))
        }
        var result: [String: Reactie] = [:]
        for row in try db.query("SELECT * FROM reacties WHERE raadpleging = ?", [raadpleging]) {
            let gemeente = try Columns(row, table: "reacties").text("gemeente")
            result[gemeente] = try reactie(row, opmerkingen: byGemeente[gemeente] ?? [])
        }
        return result
    }

    // MARK: The reactienota

    /// The reactienota; a concept when none was stored.
    package static func nota(_ db: Connection, raadpleging: String) throws -> Reactienota {
        guard let row = try db.queryOne("SELECT * FROM reactienotas WHERE raadpleging = ?", [raadpleging]) else {
            return Reactienota(raadpleging: raadpleging)
        }
        let c = Columns(row, table: "reactienotas")
        return Reactienota(raadpleging: raadpleging, status: try c.value("status"), rboDatum: try c.optionalLocalDate("rbo_datum"),
                           vastgesteldOp: try c.optionalDate("vastgesteld_op"))
    }

    package static func setNota(_ db: Connection, _ nota: Reactienota) throws {
        try db.run("""
            INSERT INTO reactienotas (raadpleging, status, rbo_datum, vastgesteld_op) VALUES (?, ?, ?, ?)
            ON CONFLICT (raadpleging) DO UPDATE SET status = excluded.status, rbo_datum = excluded.rbo_datum,
              vastgesteld_op = excluded.vastgesteld_op
            """, [nota.raadpleging, nota.status.rawValue, nota.rboDatum?.iso, nota.vastgesteldOp])
    }

    // MARK: Rows

    private static func opmerkingen(_ db: Connection, raadpleging: String, gemeente: String) throws -> [ReactieOpmerking] {
        try db.query("SELECT * FROM reactie_opmerkingen WHERE raadpleging = ? AND gemeente = ? ORDER BY positie",
                     [raadpleging, gemeente]).map { try opmerking(Columns($0, table: "reactie_opmerkingen")) }
    }

    private static func opmerking(_ c: Columns) throws -> ReactieOpmerking {
        ReactieOpmerking(thema: try c.text("thema"), tekst: try c.text("tekst"), verwerking: try c.value("verwerking"))
    }

    private static func reactie(_ row: Row, opmerkingen: [ReactieOpmerking]) throws -> Reactie {
        let c = Columns(row, table: "reacties")
        return Reactie(raadpleging: try c.text("raadpleging"), gemeente: try c.text("gemeente"),
                       beantwoordtVersie: Int(try c.int("beantwoordt_versie")), algemeen: try c.text("algemeen"),
                       opmerkingen: opmerkingen, gewijzigdOp: try c.date("gewijzigd_op"))
    }
}
