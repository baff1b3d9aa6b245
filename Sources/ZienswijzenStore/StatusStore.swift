import Foundation
import SQLite
import ZienswijzenDomain

/// The query behind the status overview: for each invited gemeente, its latest version, found
/// through the UNIQUE (raadpleging, gemeente, versie) index (one index search per gemeente, never a
/// scan of all versions; `EXPLAIN QUERY PLAN` of `statusSQL` shows it). The invitation is a
/// primary-key lookup per gemeente.
///
/// Lateness is judged here against the deadline in force (`?2`), never read from the stored
/// `te_laat`: the version received in time (`o`, the latest received at or before the deadline)
/// comes along, for "op tijd ingediend, na de deadline gewijzigd".
package enum StatusStore {
    package static let statusSQL = """
        SELECT g.code, g.naam, g.regio, g.samengevoegd_in, g.samengevoegd_op,
               v.versie, v.kenmerk, v.status, v.ontvangen_op, v.standpunt, v.indiener_naam, v.indiener_email,
               (SELECT count(*) FROM versie_bijlagen vb WHERE vb.versie_id = v.id) AS bijlagen,
               o.versie AS op_tijd_versie, o.kenmerk AS op_tijd_kenmerk, o.ontvangen_op AS op_tijd_ontvangen_op,
               o.status AS op_tijd_status,
               (SELECT max(t.laatst_gebruikt_op) FROM toegangscodes t WHERE t.rol = 'griffie' AND t.gemeente = g.code)
                 AS laatst_gebruikt_op,
               c.naam AS code_naam, c.email AS code_email
        FROM gemeenten g
        LEFT JOIN versies v ON v.raadpleging = ?1 AND v.gemeente = g.code
         AND v.versie = (SELECT max(v2.versie) FROM versies v2 WHERE v2.raadpleging = ?1 AND v2.gemeente = g.code)
        LEFT JOIN versies o ON o.raadpleging = ?1 AND o.gemeente = g.code
         AND o.versie = (SELECT max(o2.versie) FROM versies o2 WHERE o2.raadpleging = ?1 AND o2.gemeente = g.code
                         AND o2.ontvangen_op <= ?2)
        LEFT JOIN toegangscodes c ON c.id = (SELECT max(c2.id) FROM toegangscodes c2
                                             WHERE c2.rol = 'griffie' AND c2.gemeente = g.code AND c2.ingetrokken_op IS NULL)
        WHERE EXISTS (SELECT 1 FROM uitnodigingen u WHERE u.raadpleging = ?1 AND u.gemeente = g.code)
        ORDER BY g.naam
        """

    package static func overview(_ db: Connection, raadpleging id: String) throws -> StatusOverview? {
        guard let raadpleging = try RaadplegingStore.find(db, id: id) else { return nil }
        let deadline = raadpleging.deadline
        let lines = try db.query(statusSQL, [id, deadline]).map { row -> GemeenteStatus in
            let gemeente = try GemeenteStore.gemeente(row)
            let c = Columns(row, table: "versies")
            let access = (laatstGebruiktOp: try c.optionalDate("laatst_gebruikt_op"), naam: try c.optionalText("code_naam"),
                          email: try c.optionalText("code_email"))
            guard let versie = try c.optionalInt("versie") else {
                return GemeenteStatus(gemeente: gemeente, state: .ontbreekt, laatstGebruiktOp: access.laatstGebruiktOp,
                                      codeNaam: access.naam, codeEmail: access.email)
            }
            let received = try c.date("ontvangen_op")
            let state = Lateness.status(stored: try c.value("status"), receivedAt: received, deadline: deadline)
            var opTijd: GemeenteStatus.OnTimeVersion?
            if state == .teLaat, let n = try c.optionalInt("op_tijd_versie"),
               try c.value("op_tijd_status", as: VersieStatus.self) != .ingetrokken {
                opTijd = .init(versie: Int(n), kenmerk: try c.text("op_tijd_kenmerk"), ontvangenOp: try c.date("op_tijd_ontvangen_op"))
            }
            return GemeenteStatus(
                gemeente: gemeente, state: GemeenteStatus.State(state), versie: Int(versie), kenmerk: try c.text("kenmerk"),
                ontvangenOp: received, standpunt: try c.value("standpunt"), opTijd: opTijd,
                indiener: Indiener(naam: try c.text("indiener_naam"), email: try c.text("indiener_email")),
                bijlagen: Int(try c.int("bijlagen")), laatstGebruiktOp: access.laatstGebruiktOp,
                codeNaam: access.naam, codeEmail: access.email)
        }
        return StatusOverview(raadpleging: raadpleging, gemeenten: lines)
    }
}

extension GemeenteStatus.State {
    init(_ status: VersieStatus) {
        switch status {
        case .ingediend: self = .ingediend
        case .teLaat: self = .teLaat
        case .ingetrokken: self = .ingetrokken
        }
    }
}
