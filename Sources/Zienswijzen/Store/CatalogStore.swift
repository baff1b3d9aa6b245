import Foundation
import SQLite

package struct Gemeente: Sendable, Equatable {
    package var code: String
    package var naam: String
    package var regio: String

    package init(code: String, naam: String, regio: String) {
        self.code = code
        self.naam = naam
        self.regio = regio
    }
}

package struct Thema: Sendable, Equatable {
    package var code: String
    package var titel: String
    package var samenvatting: String
}

package enum ConsultationStatus: String, Sendable {
    case open, gesloten
}

package struct Consultation: Sendable, Equatable {
    package var id: String
    package var titel: String
    package var deadline: Date?
    package var rboVergadering: LocalDate?
    package var status: ConsultationStatus
    package var themas: [Thema]
}

/// Reads of the fixed catalogue: gemeenten, consultations and their themes.
package enum CatalogStore {
    package static func gemeenten(_ db: Connection) throws -> [Gemeente] {
        try db.query("SELECT code, naam, regio FROM gemeenten ORDER BY naam").map(gemeente)
    }

    package static func gemeente(_ db: Connection, code: String) throws -> Gemeente? {
        try db.queryOne("SELECT code, naam, regio FROM gemeenten WHERE code = ?", [code]).map(gemeente)
    }

    package static func consultations(_ db: Connection) throws -> [Consultation] {
        try db.query("SELECT id FROM raadplegingen ORDER BY id").compactMap { row in
            try row.string("id").flatMap { try consultation(db, id: $0) }
        }
    }

    package static func consultation(_ db: Connection, id: String) throws -> Consultation? {
        guard let row = try db.queryOne(
            "SELECT id, titel, deadline, rbo_vergadering, status FROM raadplegingen WHERE id = ?", [id])
        else { return nil }
        let themas = try db.query(
            "SELECT code, titel, samenvatting FROM themas WHERE raadpleging = ? ORDER BY positie", [id]
        ).map { Thema(code: $0.string("code") ?? "", titel: $0.string("titel") ?? "", samenvatting: $0.string("samenvatting") ?? "") }
        return Consultation(
            id: row.string("id") ?? id,
            titel: row.string("titel") ?? "",
            deadline: row.date("deadline"),
            rboVergadering: row.string("rbo_vergadering").flatMap(LocalDate.init(iso:)),
            status: ConsultationStatus(rawValue: row.string("status") ?? "") ?? .open,
            themas: themas)
    }

    /// Changes the given fields of a consultation; nil leaves a field as it is.
    package static func updateConsultation(
        _ db: Connection, id: String, deadline: Date??, rboVergadering: LocalDate??, status: ConsultationStatus?
    ) throws {
        if let deadline {
            try db.run("UPDATE raadplegingen SET deadline = ? WHERE id = ?", [deadline, id])
        }
        if let rboVergadering {
            try db.run("UPDATE raadplegingen SET rbo_vergadering = ? WHERE id = ?", [rboVergadering?.iso, id])
        }
        if let status {
            try db.run("UPDATE raadplegingen SET status = ? WHERE id = ?", [status.rawValue, id])
        }
    }

    private static func gemeente(_ row: Row) -> Gemeente {
        Gemeente(code: row.string("code") ?? "", naam: row.string("naam") ?? "", regio: row.string("regio") ?? "")
    }
}
