import Foundation
import SQLite
import ZienswijzenDomain

/// The query behind the status overview: for each invited gemeente, its latest version, found
/// through the UNIQUE (raadpleging, gemeente, versie) index (one index search per gemeente, never a
/// scan of all versions; `EXPLAIN QUERY PLAN` of `statusSQL` shows it). The invitation is a
/// primary-key lookup per gemeente.
package enum StatusStore {
    package static let statusSQL = """
        SELECT g.code, g.naam, g.regio, g.samengevoegd_in, g.samengevoegd_op,
               v.versie, v.kenmerk, v.status, v.ontvangen_op, v.standpunt
        FROM gemeenten g
        LEFT JOIN versies v ON v.raadpleging = ?1 AND v.gemeente = g.code
         AND v.versie = (SELECT max(v2.versie) FROM versies v2 WHERE v2.raadpleging = ?1 AND v2.gemeente = g.code)
        WHERE EXISTS (SELECT 1 FROM uitnodigingen u WHERE u.raadpleging = ?1 AND u.gemeente = g.code)
        ORDER BY g.naam
        """

    package static func overview(_ db: Connection, raadpleging id: String) throws -> StatusOverview? {
        guard let raadpleging = try RaadplegingStore.find(db, id: id) else { return nil }
        let lines = try db.query(statusSQL, [id]).map { row -> GemeenteStatus in
            let gemeente = try GemeenteStore.gemeente(row)
            let c = Columns(row, table: "versies")
            guard let versie = try c.optionalInt("versie") else {
                return GemeenteStatus(gemeente: gemeente, state: .ontbreekt)
            }
            return GemeenteStatus(gemeente: gemeente, state: try c.value("status"), versie: Int(versie),
                                  kenmerk: try c.text("kenmerk"), ontvangenOp: try c.date("ontvangen_op"),
                                  standpunt: try c.value("standpunt"))
        }
        return StatusOverview(raadpleging: raadpleging, gemeenten: lines)
    }
}
