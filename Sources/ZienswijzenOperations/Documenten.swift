import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// The documents of a consultation: PDFs that a coordinator uploads (streamed into the piece store
/// through `receiveUpload`, as attachments are) and that are read back with a `BijlageReader`.
///
/// Who sees them: a coordinator always; every griffie once the consultation is no longer a
/// concept; anyone, without an access code, once the coordinator made the document `openbaar`.
extension Operations {
    /// Lists an uploaded PDF as a document of the consultation. `titel` empty: the file's name.
    package func addDocument(_ upload: BijlageUpload, soort: DocumentSoort, titel typed: String, openbaar: Bool = false,
                             raadpleging id: String, by actor: Actor) throws -> Document {
        try actor.requireCoordinator()
        var titel = typed.trimmingWhitespace
        if titel.isEmpty { titel = String(upload.bestandsnaam.dropLast(upload.bestandsnaam.lowercased().hasSuffix(".pdf") ? 4 : 0)) }
        if titel.isEmpty { titel = soort.label }
        let problems = RaadplegingRules.oneLine(titel, max: RaadplegingRules.maxTitel, name: "titel")
        let now = clock.now()
        return try write { db in
            guard let raadpleging = try RaadplegingStore.find(db, id: id) else { throw Refusal.notFound(.raadpleging) }
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            if raadpleging.status == .gearchiveerd { throw Refusal.conflict(.archived) }
            let document = Document(
                raadpleging: id, soort: soort, titel: titel,
                bestand: Bijlage(id: upload.inhoudID, bestandsnaam: upload.bestandsnaam, mediatype: "application/pdf",
                                 grootte: upload.grootte, sha256: upload.sha256),
                openbaar: openbaar, toegevoegdOp: now)
            try DocumentStore.insert(db, document, toegangscodeID: actor.principal?.codeID)
            try audit(db, AuditRecord(.documentToegevoegd, by: actor, at: now, onderwerp: "\(id)/\(document.id)",
                                      details: "soort=\(soort.rawValue) openbaar=\(openbaar) \(upload.bestandsnaam)"))
            return document
        }
    }

    /// Publishes or unpublishes a document, or changes its title or kind.
    package func changeDocument(_ documentID: String, raadpleging id: String, _ requested: DocumentChange,
                                by actor: Actor) throws -> Document {
        try actor.requireCoordinator()
        var change = requested
        change.titel = change.titel?.trimmingWhitespace
        if change.isEmpty { throw Refusal.invalid([], detail: "Geef ten minste een van openbaar, titel of soort.") }
        let problems = change.titel.map { RaadplegingRules.oneLine($0, max: RaadplegingRules.maxTitel, name: "titel") } ?? []
        let now = clock.now()
        return try write { db in
            guard let raadpleging = try RaadplegingStore.find(db, id: id) else { throw Refusal.notFound(.raadpleging) }
            guard try DocumentStore.find(db, raadpleging: id, id: documentID) != nil else { throw Refusal.notFound(.document) }
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            if raadpleging.status == .gearchiveerd { throw Refusal.conflict(.archived) }
            try DocumentStore.update(db, raadpleging: id, id: documentID, change: change)
            try audit(db, AuditRecord(.documentGewijzigd, by: actor, at: now, onderwerp: "\(id)/\(documentID)", details: change.auditText))
            guard let updated = try DocumentStore.find(db, raadpleging: id, id: documentID) else { throw Refusal.notFound(.document) }
            return updated
        }
    }

    /// Removes a document, which is possible only while the consultation is a concept (after that
    /// griffies may have read it; it can only be made non-public).
    package func removeDocument(_ documentID: String, raadpleging id: String, by actor: Actor) throws {
        try actor.requireCoordinator()
        let now = clock.now()
        try write { db in
            guard let raadpleging = try RaadplegingStore.find(db, id: id) else { throw Refusal.notFound(.raadpleging) }
            guard let document = try DocumentStore.find(db, raadpleging: id, id: documentID) else { throw Refusal.notFound(.document) }
            guard raadpleging.status == .concept else { throw Refusal.conflict(.documentFixed) }
            try DocumentStore.delete(db, raadpleging: id, id: documentID)
            try audit(db, AuditRecord(.documentVerwijderd, by: actor, at: now, onderwerp: "\(id)/\(documentID)",
                                      details: document.bestand.bestandsnaam))
        }
    }

    /// The documents of the consultation that `actor` (nil: anyone) may see.
    package func documenten(raadpleging id: String, by actor: Actor?) throws -> [Document] {
        try read { db in
            _ = try visibleRaadpleging(db, id: id, by: actor)
            return try DocumentStore.all(db, raadpleging: id).filter { Self.maySee($0, actor) }
        }
    }

    /// A document's bytes, to be read piece by piece; 404 for a document `actor` may not see (a
    /// stranger learns nothing of what is not public).
    package func documentReader(_ documentID: String, raadpleging id: String, by actor: Actor?) throws -> (Document, BijlageReader) {
        let document = try read { db -> Document? in
            _ = try visibleRaadpleging(db, id: id, by: actor)
            return try DocumentStore.find(db, raadpleging: id, id: documentID)
        }
        guard let document, Self.maySee(document, actor) else { throw Refusal.notFound(.document) }
        return (document, BijlageReader(ops: self, bijlage: document.bestand))
    }

    /// Anyone with an access code sees every document of a visible consultation; others only the
    /// public ones.
    static func maySee(_ document: Document, _ actor: Actor?) -> Bool {
        if document.openbaar { return true }
        guard let actor else { return false }
        if case .anonymous = actor.who { return false }
        return true
    }
}
