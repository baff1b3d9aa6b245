import Foundation
import SQLite

/// One gemeente's line in the status overview.
package struct GemeenteStatus: Sendable, Equatable {
    package enum State: String, Sendable, CaseIterable {
        case ontbreekt, ingediend, teLaat = "te-laat", ingetrokken
    }
    package var gemeente: Gemeente
    package var state: State
    package var versie: Int?
    package var kenmerk: String?
    package var ontvangenOp: Date?
    package var standpunt: Standpunt?
}

package struct StatusOverview: Sendable, Equatable {
    package var consultation: Consultation
    package var gemeenten: [GemeenteStatus]

    package func count(_ state: GemeenteStatus.State) -> Int { gemeenten.filter { $0.state == state }.count }
}

/// The query behind the status overview: for each of the gemeenten, its latest version, found
/// through the UNIQUE (raadpleging, gemeente, versie) index (one index search per gemeente, never a
/// scan of all versions; `EXPLAIN QUERY PLAN` of `statusSQL` shows it).
package enum StatusStore {
    package static let statusSQL = """
        SELECT g.code, g.naam, g.regio, v.versie, v.kenmerk, v.status, v.ontvangen_op, v.standpunt
        FROM gemeenten g
        LEFT JOIN versies v ON v.raadpleging = ?1 AND v.gemeente = g.code
         AND v.versie = (SELECT max(v2.versie) FROM versies v2 WHERE v2.raadpleging = ?1 AND v2.gemeente = g.code)
        ORDER BY g.naam
        """

    package static func overview(_ db: Connection, raadpleging: String) throws -> StatusOverview? {
        guard let consultation = try CatalogStore.consultation(db, id: raadpleging) else { return nil }
        let lines = try db.query(statusSQL, [raadpleging]).map { row -> GemeenteStatus in
            let gemeente = Gemeente(code: row.string("code") ?? "", naam: row.string("naam") ?? "",
                                    regio: row.string("regio") ?? "")
            guard let versie = row.int("versie") else {
                return GemeenteStatus(gemeente: gemeente, state: .ontbreekt)
            }
            return GemeenteStatus(
                gemeente: gemeente,
                state: GemeenteStatus.State(rawValue: row.string("status") ?? "") ?? .ingediend,
                versie: Int(versie), kenmerk: row.string("kenmerk"), ontvangenOp: row.date("ontvangen_op"),
                standpunt: row.string("standpunt").flatMap(Standpunt.init(rawValue:)))
        }
        return StatusOverview(consultation: consultation, gemeenten: lines)
    }
}
