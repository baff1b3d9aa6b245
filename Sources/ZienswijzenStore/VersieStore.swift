import Foundation
import SQLite
import ZienswijzenDomain

/// The append-only history of zienswijze versions. Every write takes the connection of a
/// transaction the caller opened (an operation), so a version, its audit row and its idempotency
/// record commit together, and the receipt is sent only after that COMMIT. The rules (is the
/// consultation open, what the next version is) are the operations' and the domain's; this is SQL.
package enum VersieStore {
    /// Stores `versie` (made by `Versie.next`) with its remarks and the attachments it lists.
    package static func insert(_ db: Connection, _ versie: Versie, toegangscodeID: Int64?) throws {
        // `deadline_bij_ontvangst` (migration 0008) only when there is one, so a version without
        // stays the INSERT of before (the upgrade tests fill an old schema through this store).
        let deadline = versie.deadlineBijOntvangst.map { _ in ", deadline_bij_ontvangst" } ?? ""
        var values: [any SQLBindable] = [
            versie.raadpleging, versie.gemeente, versie.versie, versie.kenmerk, versie.status.rawValue,
            versie.ontvangenOp, versie.teLaat, versie.standpunt.rawValue, versie.datumRaadsbesluit?.iso,
            versie.indiener.naam, versie.indiener.email, versie.toelichting, versie.digest, toegangscodeID]
        if let at = versie.deadlineBijOntvangst { values.append(at) }
        try db.run("""
            INSERT INTO versies (raadpleging, gemeente, versie, kenmerk, status, ontvangen_op, te_laat, standpunt,
              datum_raadsbesluit, indiener_naam, indiener_email, toelichting, sha256, toegangscode_id\(deadline))
            VALUES (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))
            """, values)
        let versionID = db.lastInsertRowID
        for (position, opmerking) in versie.opmerkingen.enumerated() {
            try db.run("INSERT INTO opmerkingen (versie_id, raadpleging, thema, positie, tekst) VALUES (?, ?, ?, ?, ?)",
                       [versionID, versie.raadpleging, opmerking.thema, position, opmerking.tekst])
        }
        for (position, bijlage) in versie.bijlagen.enumerated() {
            try db.run("INSERT INTO versie_bijlagen (versie_id, bijlage_id, positie) VALUES (?, ?, ?)",
                       [versionID, bijlage.id, position])
        }
    }

    /// Lists complete staged content (`BijlageInhoudStore`) as a new attachment of `gemeente`
    /// and returns it as a version lists it. Its id is the content's id.
    package static func insertAttachment(
        _ db: Connection, raadpleging: String, gemeente: String, _ upload: BijlageUpload, at: Date, toegangscodeID: Int64?
    ) throws -> Bijlage {
        try db.run("""
            INSERT INTO bijlagen (id, raadpleging, gemeente, bestandsnaam, mediatype, grootte, sha256, ontvangen_op,
              toegangscode_id) VALUES (?, ?, ?, ?, 'application/pdf', ?, ?, ?, ?)
            """, [upload.inhoudID, raadpleging, gemeente, upload.bestandsnaam, upload.grootte, upload.sha256,
                  at, toegangscodeID])
        return Bijlage(id: upload.inhoudID, bestandsnaam: upload.bestandsnaam, mediatype: "application/pdf",
                       grootte: upload.grootte, sha256: upload.sha256)
    }

    // MARK: Reads

    package static func current(_ db: Connection, raadpleging: String, gemeente: String) throws -> Versie? {
        try db.queryOne("""
            SELECT * FROM versies WHERE raadpleging = ? AND gemeente = ? ORDER BY versie DESC LIMIT 1
            """, [raadpleging, gemeente]).map { try version(db, $0) }
    }

    package static func all(_ db: Connection, raadpleging: String, gemeente: String) throws -> [Versie] {
        try db.query("SELECT * FROM versies WHERE raadpleging = ? AND gemeente = ? ORDER BY versie",
                     [raadpleging, gemeente]).map { try version(db, $0) }
    }

    package static func one(_ db: Connection, raadpleging: String, gemeente: String, versie: Int) throws -> Versie? {
        try db.queryOne("SELECT * FROM versies WHERE raadpleging = ? AND gemeente = ? AND versie = ?",
                        [raadpleging, gemeente, versie]).map { try version(db, $0) }
    }

    /// The current version of every gemeente that has one, in gemeente-name order. `CROSS JOIN`
    /// keeps gemeenten as the outer loop (SQLite never reorders it), so each gemeente costs one
    /// index search instead of a scan over every version of the consultation.
    package static let currentOfAllSQL = """
        SELECT v.* FROM gemeenten g
        CROSS JOIN versies v ON v.raadpleging = ?1 AND v.gemeente = g.code
         AND v.versie = (SELECT max(v2.versie) FROM versies v2 WHERE v2.raadpleging = ?1 AND v2.gemeente = g.code)
        ORDER BY g.naam
        """

    package static func currentOfAll(_ db: Connection, raadpleging: String) throws -> [Versie] {
        try db.query(currentOfAllSQL, [raadpleging]).map { try version(db, $0) }
    }

    /// An attachment, if it belongs to this consultation and gemeente (its bytes are read in
    /// pieces through `BijlageInhoudStore`).
    package static func attachment(_ db: Connection, raadpleging: String, gemeente: String, id: String) throws -> Bijlage? {
        try db.queryOne("""
            SELECT id, bestandsnaam, mediatype, grootte, sha256 FROM bijlagen
            WHERE id = ? AND raadpleging = ? AND gemeente = ?
            """, [id, raadpleging, gemeente]).map(bijlage)
    }

    // MARK: Rows

    private static func version(_ db: Connection, _ row: Row) throws -> Versie {
        let c = Columns(row, table: "versies")
        let id = try c.int("id")
        let opmerkingen = try db.query("SELECT thema, tekst FROM opmerkingen WHERE versie_id = ? ORDER BY positie", [id])
            .map { row in
                let c = Columns(row, table: "opmerkingen")
                return Opmerking(thema: try c.text("thema"), tekst: try c.text("tekst"))
            }
        let bijlagen = try db.query("""
            SELECT b.id, b.bestandsnaam, b.mediatype, b.grootte, b.sha256 FROM versie_bijlagen vb
            JOIN bijlagen b ON b.id = vb.bijlage_id WHERE vb.versie_id = ? ORDER BY vb.positie
            """, [id]).map(bijlage)
        return Versie(
            raadpleging: try c.text("raadpleging"), gemeente: try c.text("gemeente"), versie: Int(try c.int("versie")),
            kenmerk: try c.text("kenmerk"), status: try c.value("status"), ontvangenOp: try c.date("ontvangen_op"),
            teLaat: try c.bool("te_laat"), standpunt: try c.value("standpunt"),
            datumRaadsbesluit: try c.optionalLocalDate("datum_raadsbesluit"),
            indiener: Indiener(naam: try c.text("indiener_naam"), email: try c.text("indiener_email")),
            toelichting: try c.text("toelichting"), opmerkingen: opmerkingen, bijlagen: bijlagen,
            deadlineBijOntvangst: try c.optionalDate("deadline_bij_ontvangst"))
    }

    private static func bijlage(_ row: Row) throws -> Bijlage {
        let c = Columns(row, table: "bijlagen")
        return Bijlage(id: try c.text("id"), bestandsnaam: try c.text("bestandsnaam"), mediatype: try c.text("mediatype"),
                       grootte: Int(try c.int("grootte")), sha256: try c.text("sha256"))
    }
}
