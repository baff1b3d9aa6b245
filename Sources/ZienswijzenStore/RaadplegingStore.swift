import Foundation
import SQLite
import ZienswijzenDomain

/// Consultations (raadplegingen), their themes and the gemeenten they invite.
package enum RaadplegingStore {
    package static func all(_ db: Connection) throws -> [Raadpleging] {
        try db.query("SELECT id FROM raadplegingen ORDER BY id").map { row in
            let id = try Columns(row, table: "raadplegingen").text("id")
            guard let raadpleging = try find(db, id: id) else { throw BadRow(table: "raadplegingen", column: "id", found: id) }
            return raadpleging
        }
    }

    package static func exists(_ db: Connection, id: String) throws -> Bool {
        try db.queryOne("SELECT 1 AS x FROM raadplegingen WHERE id = ?", [id]) != nil
    }

    package static func find(_ db: Connection, id: String) throws -> Raadpleging? {
        guard let row = try db.queryOne("""
            SELECT id, titel, deadline, rbo_vergadering, status, omschrijving, raadsbesluit_verplicht, aangemaakt_op, herinneringen
            FROM raadplegingen WHERE id = ?
            """, [id])
        else { return nil }
        let themas = try db.query(
            "SELECT code, titel, samenvatting FROM themas WHERE raadpleging = ? ORDER BY positie", [id]
        ).map { row in
            let c = Columns(row, table: "themas")
            return Thema(code: try c.text("code"), titel: try c.text("titel"), samenvatting: try c.text("samenvatting"))
        }
        let uitgenodigd = try db.query("SELECT gemeente FROM uitnodigingen WHERE raadpleging = ? ORDER BY gemeente", [id])
            .map { try Columns($0, table: "uitnodigingen").text("gemeente") }
        let c = Columns(row, table: "raadplegingen")
        let scheduleText = try c.text("herinneringen")
        guard let schedule = ReminderSchedule(text: scheduleText) else {
            throw BadRow(table: "raadplegingen", column: "herinneringen", found: "TEXT '\(scheduleText.prefix(40))'")
        }
        return Raadpleging(id: try c.text("id"), titel: try c.text("titel"), deadline: try c.optionalDate("deadline"),
                           rboVergadering: try c.optionalLocalDate("rbo_vergadering"),
                           status: try c.value("status"), themas: themas, omschrijving: try c.text("omschrijving"),
                           raadsbesluitVerplicht: try c.bool("raadsbesluit_verplicht"), aangemaaktOp: try c.date("aangemaakt_op"),
                           uitgenodigd: uitgenodigd, herinneringen: schedule)
    }

    /// Stores a new consultation with its themes and invitations.
    package static func insert(_ db: Connection, _ r: Raadpleging) throws {
        try db.run("""
            INSERT INTO raadplegingen (id, titel, deadline, rbo_vergadering, status, omschrijving, raadsbesluit_verplicht, aangemaakt_op,
                                       herinneringen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [r.id, r.titel, r.deadline, r.rboVergadering?.iso, r.status.rawValue, r.omschrijving, r.raadsbesluitVerplicht,
                  r.aangemaaktOp, r.herinneringen.text])
        try replaceThemas(db, id: r.id, themas: r.themas)
        try setInvitations(db, id: r.id, gemeenten: r.uitgenodigd)
    }

    /// Changes the given fields of a consultation; nil leaves a field as it is. Themes and
    /// invitations are changed by `replaceThemas` and `setInvitations`.
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
        if let titel = change.titel {
            try db.run("UPDATE raadplegingen SET titel = ? WHERE id = ?", [titel, id])
        }
        if let omschrijving = change.omschrijving {
            try db.run("UPDATE raadplegingen SET omschrijving = ? WHERE id = ?", [omschrijving, id])
        }
        if let verplicht = change.raadsbesluitVerplicht {
            try db.run("UPDATE raadplegingen SET raadsbesluit_verplicht = ? WHERE id = ?", [verplicht, id])
        }
    }

    /// Makes `themas` the consultation's themes, in this order: themes whose code is not in the
    /// list are deleted (the caller checked that no remark names them; the foreign key of
    /// `opmerkingen` would refuse it anyway), the others updated or inserted. Positions are first
    /// moved out of the way, so the UNIQUE (raadpleging, positie) holds at every step.
    package static func replaceThemas(_ db: Connection, id: String, themas: [Thema]) throws {
        let keep = themas.map(\.code)
        for row in try db.query("SELECT code FROM themas WHERE raadpleging = ?", [id]) {
            let code = try Columns(row, table: "themas").text("code")
            if !keep.contains(code) { try db.run("DELETE FROM themas WHERE raadpleging = ? AND code = ?", [id, code]) }
        }
        try db.run("UPDATE themas SET positie = -1 - positie WHERE raadpleging = ?", [id])
        for (n, thema) in themas.enumerated() {
            try db.run("""
                INSERT INTO themas (raadpleging, code, titel, samenvatting, positie) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (raadpleging, code) DO UPDATE SET titel = excluded.titel, samenvatting = excluded.samenvatting,
                  positie = excluded.positie
                """, [id, thema.code, thema.titel, thema.samenvatting, n + 1])
        }
    }

    /// Makes `gemeenten` the invited gemeenten.
    package static func setInvitations(_ db: Connection, id: String, gemeenten: [String]) throws {
        try db.run("DELETE FROM uitnodigingen WHERE raadpleging = ?", [id])
        for code in Set(gemeenten).sorted() {
            try db.run("INSERT INTO uitnodigingen (raadpleging, gemeente) VALUES (?, ?)", [id, code])
        }
    }

    /// The theme codes that some stored remark of the consultation names.
    package static func themasWithRemarks(_ db: Connection, id: String) throws -> Set<String> {
        Set(try db.query("SELECT DISTINCT thema FROM opmerkingen WHERE raadpleging = ?", [id])
            .map { try Columns($0, table: "opmerkingen").text("thema") })
    }

    /// The gemeenten that have at least one version in the consultation.
    package static func gemeentenWithVersions(_ db: Connection, id: String) throws -> Set<String> {
        Set(try db.query("SELECT DISTINCT gemeente FROM versies WHERE raadpleging = ?", [id])
            .map { try Columns($0, table: "versies").text("gemeente") })
    }

    /// Removes the invitation of `gemeente` from every concept created on or after `from` (Unix
    /// ms): a gemeente merged by then cannot take part in them. Returns the consultations changed.
    package static func uninviteFromConcepts(_ db: Connection, gemeente: String, createdFrom from: Date) throws -> [String] {
        let ids = try db.query("""
            SELECT u.raadpleging FROM uitnodigingen u JOIN raadplegingen r ON r.id = u.raadpleging
            WHERE u.gemeente = ? AND r.status = 'concept' AND r.aangemaakt_op >= ? ORDER BY u.raadpleging
            """, [gemeente, from]).map { try Columns($0, table: "uitnodigingen").text("raadpleging") }
        for id in ids {
            try db.run("DELETE FROM uitnodigingen WHERE raadpleging = ? AND gemeente = ?", [id, gemeente])
        }
        return ids
    }
}
