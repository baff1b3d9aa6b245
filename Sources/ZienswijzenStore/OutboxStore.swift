import Foundation
import SQLite
import ZienswijzenDomain

/// The outbox: messages written in the transaction of the change they report, then delivered by
/// the worker. Writes take the caller's transaction; the worker records each outcome in a short
/// transaction of its own, never while it talks to the outside world.
package enum OutboxStore {
    /// Stores a new entry, due at once; returns its id.
    @discardableResult
    package static func insert(_ db: Connection, _ entry: NieuweBezorging, at: Date) throws -> Int64 {
        try db.run("""
            INSERT INTO outbox (kanaal, ontvanger, soort, onderwerp, bericht_id, inhoud, webhook_id, status,
              volgende_poging_op, aangemaakt_op)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'wachtend', ?, ?)
            """, [entry.kanaal.rawValue, entry.ontvanger, entry.soort, entry.onderwerp, entry.berichtID, entry.inhoud,
                  entry.webhookID, at, at])
        return db.lastInsertRowID
    }

    /// Entries due at `now`: waiting, their time come, and the oldest waiting entry of their
    /// recipient (so one recipient's messages go out in order: a later one waits while an earlier
    /// one is retried). Oldest first.
    package static func due(_ db: Connection, now: Date, limit: Int) throws -> [DueBezorging] {
        let rows = try db.query("""
            SELECT o.* FROM outbox o
            WHERE o.status = 'wachtend' AND o.volgende_poging_op <= ?1
              AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.ontvanger = o.ontvanger AND p.status = 'wachtend' AND p.id < o.id)
            ORDER BY o.id LIMIT ?2
            """, [now, limit])
        return try rows.map { row in
            let bezorging = try record(row)
            let webhook = try bezorging.webhookID.flatMap { try WebhookStore.find(db, id: $0) }
            return DueBezorging(bezorging: bezorging, inhoud: try Columns(row, table: "outbox").bytes("inhoud"), webhook: webhook)
        }
    }

    /// The earliest time an entry is due (nil when none waits), so the worker knows how long it may sleep.
    package static func nextDue(_ db: Connection) throws -> Date? {
        try db.queryOne("SELECT min(volgende_poging_op) AS t FROM outbox WHERE status = 'wachtend'")
            .flatMap { try Columns($0, table: "outbox").optionalDate("t") }
    }

    package static func markSent(_ db: Connection, id: Int64, at: Date) throws {
        try db.run("""
            UPDATE outbox SET status = 'verzonden', verzonden_op = ?, volgende_poging_op = NULL, pogingen = pogingen + 1
            WHERE id = ? AND status = 'wachtend'
            """, [at, id])
    }

    /// A failed attempt: waiting again until `retryAt`, or failed for good when `retryAt` is nil.
    package static func markAttemptFailed(_ db: Connection, id: Int64, error: String, retryAt: Date?) throws {
        if let retryAt {
            try db.run("""
                UPDATE outbox SET pogingen = pogingen + 1, laatste_fout = ?, volgende_poging_op = ?
                WHERE id = ? AND status = 'wachtend'
                """, [error, retryAt, id])
        } else {
            try db.run("""
                UPDATE outbox SET pogingen = pogingen + 1, laatste_fout = ?, status = 'mislukt', volgende_poging_op = NULL
                WHERE id = ? AND status = 'wachtend'
                """, [error, id])
        }
    }

    /// Every waiting entry of an endpoint fails at once (it was disabled or removed).
    package static func failAll(_ db: Connection, webhookID: Int64, error: String) throws {
        try db.run("""
            UPDATE outbox SET status = 'mislukt', laatste_fout = ?, volgende_poging_op = NULL
            WHERE webhook_id = ? AND status = 'wachtend'
            """, [error, webhookID])
    }

    /// A failed entry waits again, due at `at`, with a fresh count of attempts. False when there
    /// is no such failed entry.
    package static func retry(_ db: Connection, id: Int64, at: Date) throws -> Bool {
        try db.run("""
            UPDATE outbox SET status = 'wachtend', volgende_poging_op = ?, pogingen = 0 WHERE id = ? AND status = 'mislukt'
            """, [at, id])
        return db.changes > 0
    }

    package static func find(_ db: Connection, id: Int64) throws -> Bezorging? {
        try db.queryOne("SELECT * FROM outbox WHERE id = ?", [id]).map(record)
    }

    /// The newest entries first, optionally of one status only.
    package static func list(_ db: Connection, status: BezorgStatus?, limit: Int, before: Int64? = nil) throws -> [Bezorging] {
        try db.query("""
            SELECT id, kanaal, ontvanger, soort, onderwerp, bericht_id, webhook_id, status, pogingen, volgende_poging_op,
              laatste_fout, aangemaakt_op, verzonden_op
            FROM outbox WHERE (?1 IS NULL OR status = ?1) AND (?3 IS NULL OR id < ?3) ORDER BY id DESC LIMIT ?2
            """, [status?.rawValue, limit, before]).map(record)
    }

    /// How many entries there are of each status.
    package static func counts(_ db: Connection) throws -> [BezorgStatus: Int] {
        var counts: [BezorgStatus: Int] = [:]
        for row in try db.query("SELECT status, count(*) AS n FROM outbox GROUP BY status") {
            let c = Columns(row, table: "outbox")
            counts[try c.value("status", as: BezorgStatus.self)] = Int(try c.int("n"))
        }
        return counts
    }

    /// Removes delivered entries sent before `before`; returns how many.
    package static func prune(_ db: Connection, sentBefore before: Date) throws -> Int {
        try db.run("DELETE FROM outbox WHERE status = 'verzonden' AND verzonden_op < ?", [before])
        return db.changes
    }

    private static func record(_ row: Row) throws -> Bezorging {
        let c = Columns(row, table: "outbox")
        return Bezorging(
            id: try c.int("id"), kanaal: try c.value("kanaal"), ontvanger: try c.text("ontvanger"), soort: try c.text("soort"),
            onderwerp: try c.text("onderwerp"), berichtID: try c.text("bericht_id"), webhookID: try c.optionalInt("webhook_id"),
            status: try c.value("status"), pogingen: Int(try c.int("pogingen")),
            volgendePogingOp: try c.optionalDate("volgende_poging_op"), laatsteFout: try c.optionalText("laatste_fout"),
            aangemaaktOp: try c.date("aangemaakt_op"), verzondenOp: try c.optionalDate("verzonden_op"))
    }
}

/// Webhook endpoints. Removing one keeps its row (`verwijderd_op`), so its deliveries keep their history.
package enum WebhookStore {
    package static func insert(_ db: Connection, url: String, geheim: String, gebeurtenissen: [GebeurtenisType],
                               persoonsgegevens: Bool, omschrijving: String, at: Date) throws -> Webhook {
        let types = gebeurtenissen.map(\.rawValue).joined(separator: ",")
        try db.run("""
            INSERT INTO webhooks (url, geheim, gebeurtenissen, persoonsgegevens, omschrijving, actief, aangemaakt_op)
            VALUES (?, ?, ?, ?, ?, 1, ?)
            """, [url, geheim, types, persoonsgegevens, omschrijving, at])
        return Webhook(id: db.lastInsertRowID, url: url, geheim: geheim, gebeurtenissen: gebeurtenissen,
                       persoonsgegevens: persoonsgegevens, omschrijving: omschrijving, actief: true, mislukkingen: 0,
                       uitgeschakeldOp: nil, aangemaaktOp: at)
    }

    /// Every endpoint not removed, oldest first.
    package static func all(_ db: Connection) throws -> [Webhook] {
        try db.query("SELECT * FROM webhooks WHERE verwijderd_op IS NULL ORDER BY id").map(record)
    }

    /// The active endpoints (which get new events).
    package static func active(_ db: Connection) throws -> [Webhook] {
        try db.query("SELECT * FROM webhooks WHERE verwijderd_op IS NULL AND actief = 1 ORDER BY id").map(record)
    }

    /// An endpoint not removed, or nil.
    package static func find(_ db: Connection, id: Int64) throws -> Webhook? {
        try db.queryOne("SELECT * FROM webhooks WHERE id = ? AND verwijderd_op IS NULL", [id]).map(record)
    }

    /// Switches an endpoint on (clearing its failures) or off. False when there is no such endpoint.
    package static func setActive(_ db: Connection, id: Int64, active: Bool, at: Date) throws -> Bool {
        try db.run("""
            UPDATE webhooks SET actief = ?2, mislukkingen = CASE WHEN ?2 = 1 THEN 0 ELSE mislukkingen END,
              uitgeschakeld_op = CASE WHEN ?2 = 1 THEN NULL ELSE ?3 END
            WHERE id = ?1 AND verwijderd_op IS NULL
            """, [id, active, at])
        return db.changes > 0
    }

    /// Counts a failed attempt; returns the failures in a row now.
    package static func recordFailure(_ db: Connection, id: Int64) throws -> Int {
        try db.run("UPDATE webhooks SET mislukkingen = mislukkingen + 1 WHERE id = ?", [id])
        return Int(try db.queryOne("SELECT mislukkingen FROM webhooks WHERE id = ?", [id])
            .map { try Columns($0, table: "webhooks").int("mislukkingen") } ?? 0)
    }

    package static func recordSuccess(_ db: Connection, id: Int64) throws {
        try db.run("UPDATE webhooks SET mislukkingen = 0 WHERE id = ? AND mislukkingen > 0", [id])
    }

    package static func remove(_ db: Connection, id: Int64, at: Date) throws -> Bool {
        try db.run("UPDATE webhooks SET verwijderd_op = ?, actief = 0 WHERE id = ? AND verwijderd_op IS NULL", [at, id])
        return db.changes > 0
    }

    private static func record(_ row: Row) throws -> Webhook {
        let c = Columns(row, table: "webhooks")
        let typesText = try c.text("gebeurtenissen")
        var types: [GebeurtenisType] = []
        for part in typesText.split(separator: ",") {
            // A type this program does not know (stored by a newer version) is a bad row, not ignored.
            guard let type = GebeurtenisType(rawValue: String(part)) else {
                throw BadRow(table: "webhooks", column: "gebeurtenissen", found: "TEXT '\(typesText.prefix(40))'")
            }
            types.append(type)
        }
        return Webhook(id: try c.int("id"), url: try c.text("url"), geheim: try c.text("geheim"), gebeurtenissen: types,
                       persoonsgegevens: try c.bool("persoonsgegevens"), omschrijving: try c.text("omschrijving"),
                       actief: try c.bool("actief"), mislukkingen: Int(try c.int("mislukkingen")),
                       uitgeschakeldOp: try c.optionalDate("uitgeschakeld_op"), aangemaaktOp: try c.date("aangemaakt_op"))
    }
}

/// Which reminder steps each gemeente has reached, so none is sent twice.
package enum ReminderStore {
    package static func done(_ db: Connection, raadpleging: String) throws -> [String: Set<Int>] {
        var done: [String: Set<Int>] = [:]
        for row in try db.query("SELECT gemeente, stap FROM herinneringen WHERE raadpleging = ?", [raadpleging]) {
            let c = Columns(row, table: "herinneringen")
            done[try c.text("gemeente"), default: []].insert(Int(try c.int("stap")))
        }
        return done
    }

    package static func record(_ db: Connection, raadpleging: String, gemeente: String, stap: Int, deadline: Date,
                               sent: Bool, at: Date) throws {
        try db.run("""
            INSERT OR IGNORE INTO herinneringen (raadpleging, gemeente, stap, deadline, verstuurd, aangemaakt_op)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [raadpleging, gemeente, stap, deadline, sent, at])
    }
}
