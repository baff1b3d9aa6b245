import Foundation
import SQLite
import ZienswijzenDomain

/// Consultations (raadplegingen) and their themes.
package enum RaadplegingStore {
    package static func all(_ db: Connection) throws -> [Raadpleging] {
        try db.query("SELECT id FROM raadplegingen ORDER BY id").map { row in
            let id = try Columns(row, table: "raadplegingen").text("id")
            guard let raadpleging = try find(db, id: id) else { throw BadRow(table: "raadplegingen", column: "id", found: id) }
            return raadpleging
        }
    }

    package static func find(_ db: Connection, id: String) throws -> Raadpleging? {
        guard let row = try db.queryOne(
            "SELECT id, titel, deadline, rbo_vergadering, status, herinneringen FROM raadplegingen WHERE id = ?", [id])
        else { return nil }
        let themas = try db.query(
            "SELECT code, titel, samenvatting FROM themas WHERE raadpleging = ? ORDER BY positie", [id]
        ).map { row in
            let c = Columns(row, table: "themas")
            return Thema(code: try c.text("code"), titel: try c.text("titel"), samenvatting: try c.text("samenvatting"))
        }
        let c = Columns(row, table: "raadplegingen")
        let scheduleText = try c.text("herinneringen")
        guard let schedule = ReminderSchedule(text: scheduleText) else {
            throw BadRow(table: "raadplegingen", column: "herinneringen", found: "TEXT '\(scheduleText.prefix(40))'")
        }
        return Raadpleging(id: try c.text("id"), titel: try c.text("titel"), deadline: try c.optionalDate("deadline"),
                           rboVergadering: try c.optionalLocalDate("rbo_vergadering"),
                           status: try c.value("status"), themas: themas, herinneringen: schedule)
    }

    /// Changes the given fields of a consultation; nil leaves a field as it is.
    package static func update(_ db: Connection, id: String, change: RaadplegingChange) throws {
        if let deadline = change.deadline {
            try db.run("UPDATE raadplegingen SET deadline = ? WHERE id = ?", [deadline, id])
        }
        if let rboVergadering = change.rboVergadering {
            try db.run("UPDATE raadplegingen SET rbo_vergadering = ? WHERE id = ?", [rboVergadering?.iso, id])
        }
        if let herinneringen = change.herinneringen {
            try db.run("UPDATE raadplegingen SET herinneringen = ? WHERE id = ?", [herinneringen.text, id])
        }
        if let status = change.status {
            try db.run("UPDATE raadplegingen SET status = ? WHERE id = ?", [status.rawValue, id])
        }
    }
}
