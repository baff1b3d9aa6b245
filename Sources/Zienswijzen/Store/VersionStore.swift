import Foundation
import SQLite

/// Why a write to a zienswijze was refused; the API maps each case to a status code.
package enum SubmissionRefusal: Error, Sendable, Equatable {
    case unknownConsultation
    case unknownGemeente
    case consultationClosed
    case noZienswijze
    case alreadyWithdrawn
}

/// A new attachment, checked and hashed before it reaches the store.
package struct NewAttachment: Sendable {
    package var bestandsnaam: String
    package var bytes: [UInt8]
    package var sha256: String

    package init(bestandsnaam: String, bytes: [UInt8], sha256: String) {
        self.bestandsnaam = bestandsnaam
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// The append-only history of zienswijze versions. Every function takes the connection of a
/// transaction the caller opened (`Database.write`), so a version, its audit row and its
/// idempotency record commit together, and the receipt is sent only after that COMMIT.
package enum VersionStore {
    package struct Context: Sendable {
        package var raadpleging: String
        package var gemeente: String
        package var now: Date
        package var toegangscodeID: Int64?

        /// `now` is cut to whole seconds, so the time a receipt shows is the time lateness was judged by.
        package init(raadpleging: String, gemeente: String, now: Date, toegangscodeID: Int64?) {
            self.raadpleging = raadpleging
            self.gemeente = gemeente
            self.now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            self.toegangscodeID = toegangscodeID
        }
    }

    /// Stores a new version with `input` and returns it. Carries the attachments of the previous
    /// version over and adds `newAttachments`.
    package static func submit(
        _ db: Connection, _ ctx: Context, input: ZienswijzeInput, newAttachments: [NewAttachment] = []
    ) throws -> StoredVersion {
        let consultation = try openConsultation(db, ctx)
        let previous = try current(db, raadpleging: ctx.raadpleging, gemeente: ctx.gemeente)
        return try append(db, ctx, consultation, after: previous, input: input, newAttachments: newAttachments)
    }

    /// Withdraws the current version: a new version that repeats it with status `ingetrokken`.
    package static func withdraw(_ db: Connection, _ ctx: Context) throws -> StoredVersion {
        let consultation = try openConsultation(db, ctx)
        guard let previous = try current(db, raadpleging: ctx.raadpleging, gemeente: ctx.gemeente) else {
            throw SubmissionRefusal.noZienswijze
        }
        guard previous.status != .ingetrokken else { throw SubmissionRefusal.alreadyWithdrawn }
        return try insert(db, ctx, input: previous.input, status: .ingetrokken,
                          late: isLate(receivedAt: ctx.now, deadline: consultation.deadline),
                          versie: previous.versie + 1, bijlagen: previous.bijlagen)
    }

    /// Adds an attachment as a new version that repeats the current one. Returns the new version
    /// and the attachment.
    package static func attach(
        _ db: Connection, _ ctx: Context, _ attachment: NewAttachment
    ) throws -> (StoredVersion, BijlageInfo) {
        let consultation = try openConsultation(db, ctx)
        guard let previous = try current(db, raadpleging: ctx.raadpleging, gemeente: ctx.gemeente),
              previous.status != .ingetrokken
        else { throw SubmissionRefusal.noZienswijze }
        let version = try append(db, ctx, consultation, after: previous, input: previous.input, newAttachments: [attachment])
        guard let info = version.bijlagen.last else { throw SubmissionRefusal.noZienswijze }
        return (version, info)
    }

    /// The next version after `previous` (ingediend, or te-laat past the deadline), carrying its
    /// attachments plus `newAttachments`.
    private static func append(
        _ db: Connection, _ ctx: Context, _ consultation: Consultation, after previous: StoredVersion?,
        input: ZienswijzeInput, newAttachments: [NewAttachment]
    ) throws -> StoredVersion {
        let late = isLate(receivedAt: ctx.now, deadline: consultation.deadline)
        var bijlagen = previous?.bijlagen ?? []
        for attachment in newAttachments {
            bijlagen.append(try insertAttachment(db, ctx, attachment))
        }
        return try insert(db, ctx, input: input, status: late ? .teLaat : .ingediend, late: late,
                          versie: (previous?.versie ?? 0) + 1, bijlagen: bijlagen)
    }

    // MARK: Reads

    package static func current(_ db: Connection, raadpleging: String, gemeente: String) throws -> StoredVersion? {
        try db.queryOne("""
            SELECT * FROM versies WHERE raadpleging = ? AND gemeente = ? ORDER BY versie DESC LIMIT 1
            """, [raadpleging, gemeente]).map { try version(db, $0) }
    }

    package static func all(_ db: Connection, raadpleging: String, gemeente: String) throws -> [StoredVersion] {
        try db.query("SELECT * FROM versies WHERE raadpleging = ? AND gemeente = ? ORDER BY versie",
                     [raadpleging, gemeente]).map { try version(db, $0) }
    }

    package static func one(_ db: Connection, raadpleging: String, gemeente: String, versie: Int) throws -> StoredVersion? {
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

    package static func currentOfAll(_ db: Connection, raadpleging: String) throws -> [StoredVersion] {
        try db.query(currentOfAllSQL, [raadpleging]).map { try version(db, $0) }
    }

    /// An attachment's bytes, if it belongs to this consultation and gemeente.
    package static func attachment(
        _ db: Connection, raadpleging: String, gemeente: String, id: String
    ) throws -> (BijlageInfo, [UInt8])? {
        guard let row = try db.queryOne("""
            SELECT id, bestandsnaam, mediatype, grootte, sha256, inhoud FROM bijlagen
            WHERE id = ? AND raadpleging = ? AND gemeente = ?
            """, [id, raadpleging, gemeente]) else { return nil }
        return (bijlage(row), row.bytes("inhoud") ?? [])
    }

    // MARK: Private

    private static func openConsultation(_ db: Connection, _ ctx: Context) throws -> Consultation {
        guard let consultation = try CatalogStore.consultation(db, id: ctx.raadpleging) else {
            throw SubmissionRefusal.unknownConsultation
        }
        guard try CatalogStore.gemeente(db, code: ctx.gemeente) != nil else { throw SubmissionRefusal.unknownGemeente }
        guard consultation.status == .open else { throw SubmissionRefusal.consultationClosed }
        return consultation
    }

    private static func insert(
        _ db: Connection, _ ctx: Context, input: ZienswijzeInput, status: VersionStatus, late: Bool,
        versie: Int, bijlagen: [BijlageInfo]
    ) throws -> StoredVersion {
        let version = StoredVersion(
            raadpleging: ctx.raadpleging, gemeente: ctx.gemeente, versie: versie,
            kenmerk: Kenmerk.make(year: AmsterdamTime.year(ctx.now), gemeente: ctx.gemeente, versie: versie),
            status: status, ontvangenOp: ctx.now, teLaat: late,
            standpunt: input.standpunt, datumRaadsbesluit: input.datumRaadsbesluit, indiener: input.indiener,
            toelichting: input.toelichting, opmerkingen: input.opmerkingen, bijlagen: bijlagen)
        try db.run("""
            INSERT INTO versies (raadpleging, gemeente, versie, kenmerk, status, ontvangen_op, te_laat, standpunt,
              datum_raadsbesluit, indiener_naam, indiener_email, toelichting, sha256, toegangscode_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [ctx.raadpleging, ctx.gemeente, versie, version.kenmerk, status.rawValue, ctx.now, late,
                  input.standpunt.rawValue, input.datumRaadsbesluit?.iso, input.indiener.naam, input.indiener.email,
                  input.toelichting, version.digest, ctx.toegangscodeID])
        let versionID = db.lastInsertRowID
        for (position, opmerking) in input.opmerkingen.enumerated() {
            try db.run("INSERT INTO opmerkingen (versie_id, raadpleging, thema, positie, tekst) VALUES (?, ?, ?, ?, ?)",
                       [versionID, ctx.raadpleging, opmerking.thema, position, opmerking.tekst])
        }
        for (position, bijlage) in bijlagen.enumerated() {
            try db.run("INSERT INTO versie_bijlagen (versie_id, bijlage_id, positie) VALUES (?, ?, ?)",
                       [versionID, bijlage.id, position])
        }
        return version
    }

    private static func insertAttachment(_ db: Connection, _ ctx: Context, _ new: NewAttachment) throws -> BijlageInfo {
        let id = randomHexID()
        try db.run("""
            INSERT INTO bijlagen (id, raadpleging, gemeente, bestandsnaam, mediatype, grootte, sha256, inhoud,
              ontvangen_op, toegangscode_id) VALUES (?, ?, ?, ?, 'application/pdf', ?, ?, ?, ?, ?)
            """, [id, ctx.raadpleging, ctx.gemeente, new.bestandsnaam, new.bytes.count, new.sha256, new.bytes,
                  ctx.now, ctx.toegangscodeID])
        return BijlageInfo(id: id, bestandsnaam: new.bestandsnaam, mediatype: "application/pdf",
                           grootte: new.bytes.count, sha256: new.sha256)
    }

    private static func version(_ db: Connection, _ row: Row) throws -> StoredVersion {
        let id = row.int("id") ?? 0
        let opmerkingen = try db.query("SELECT thema, tekst FROM opmerkingen WHERE versie_id = ? ORDER BY positie", [id])
            .map { Opmerking(thema: $0.string("thema") ?? "", tekst: $0.string("tekst") ?? "") }
        let bijlagen = try db.query("""
            SELECT b.id, b.bestandsnaam, b.mediatype, b.grootte, b.sha256 FROM versie_bijlagen vb
            JOIN bijlagen b ON b.id = vb.bijlage_id WHERE vb.versie_id = ? ORDER BY vb.positie
            """, [id]).map(bijlage)
        return StoredVersion(
            raadpleging: row.string("raadpleging") ?? "", gemeente: row.string("gemeente") ?? "",
            versie: Int(row.int("versie") ?? 0), kenmerk: row.string("kenmerk") ?? "",
            status: VersionStatus(rawValue: row.string("status") ?? "") ?? .ingediend,
            ontvangenOp: row.date("ontvangen_op") ?? Date(timeIntervalSince1970: 0),
            teLaat: row.bool("te_laat") ?? false,
            standpunt: Standpunt(rawValue: row.string("standpunt") ?? "") ?? .geenZienswijze,
            datumRaadsbesluit: row.string("datum_raadsbesluit").flatMap(LocalDate.init(iso:)),
            indiener: Indiener(naam: row.string("indiener_naam") ?? "", email: row.string("indiener_email") ?? ""),
            toelichting: row.string("toelichting") ?? "", opmerkingen: opmerkingen, bijlagen: bijlagen)
    }

    private static func bijlage(_ row: Row) -> BijlageInfo {
        BijlageInfo(id: row.string("id") ?? "", bestandsnaam: row.string("bestandsnaam") ?? "",
                    mediatype: row.string("mediatype") ?? "", grootte: Int(row.int("grootte") ?? 0),
                    sha256: row.string("sha256") ?? "")
    }
}

extension StoredVersion {
    /// The submitted content of this version, to repeat it in a withdrawal or an attachment version.
    package var input: ZienswijzeInput {
        ZienswijzeInput(standpunt: standpunt, datumRaadsbesluit: datumRaadsbesluit, indiener: indiener,
                        toelichting: toelichting, opmerkingen: opmerkingen)
    }
}

/// 128 random bits as 32 lowercase hex digits, from the system's secure generator.
package func randomHexID() -> String {
    var generator = SystemRandomNumberGenerator()
    return Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
}
