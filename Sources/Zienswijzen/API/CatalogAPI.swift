import Foundation
import HTTP
import SQLite

extension App {
    func registerCatalogAPI(_ router: inout Router) {
        route(&router, .get, "/api/v1/gemeenten") { [self] _ in
            .json(200, .array(try read { try CatalogStore.gemeenten($0) }.map(Representation.gemeente)))
        }
        route(&router, .get, "/api/v1/raadplegingen") { [self] _ in
            .json(200, .array(try read { try CatalogStore.consultations($0) }.map(Representation.consultationSummary)))
        }
        route(&router, .get, "/api/v1/raadplegingen/{id}") { [self] request in
            let consultation = try consultation(request)
            return .json(200, Representation.consultation(consultation, now: clock.now()))
        }
        route(&router, .patch, "/api/v1/raadplegingen/{id}", bodyLimit: 64 * 1024) { [self] request in
            let principal = try authenticateCoordinator(request)
            let id = request.parameters["id"] ?? ""
            let change = try ConsultationChange.decode(request)
            let now = clock.now()
            let updated: Consultation = try write { db in
                guard try CatalogStore.consultation(db, id: id) != nil else {
                    throw Problem.notFound("Deze raadpleging bestaat niet.")
                }
                try CatalogStore.updateConsultation(db, id: id, deadline: change.deadline,
                                                    rboVergadering: change.rboVergadering, status: change.status)
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "raadpleging-gewijzigd", onderwerp: id, details: change.auditText,
                                      adres: request.remoteAddress)
                guard let updated = try CatalogStore.consultation(db, id: id) else { throw Problem.internalError }
                return updated
            }
            return .json(200, Representation.consultation(updated, now: now))
        }
    }

    /// The consultation named by `{id}`, or 404.
    func consultation(_ request: HTTPRequest) throws -> Consultation {
        let id = request.parameters["id"] ?? ""
        guard let consultation = try read({ try CatalogStore.consultation($0, id: id) }) else {
            throw Problem.notFound("Deze raadpleging bestaat niet.")
        }
        return consultation
    }
}

/// A PATCH body: any of `deadline` (RFC 3339), `rboVergadering` (date or null), `status`.
struct ConsultationChange {
    var deadline: Date??
    var rboVergadering: LocalDate??
    var status: ConsultationStatus?

    var auditText: String {
        var parts: [String] = []
        if let deadline { parts.append("deadline=\(deadline.map(AmsterdamTime.rfc3339) ?? "null")") }
        if let rboVergadering { parts.append("rboVergadering=\(rboVergadering?.iso ?? "null")") }
        if let status { parts.append("status=\(status.rawValue)") }
        return parts.joined(separator: " ")
    }

    static func decode(_ request: HTTPRequest) throws -> ConsultationChange {
        try requireJSON(request)
        guard let value = try? JSONValue.parse(request.body), let members = value.objectValue else {
            throw Problem.badRequest("De body is geen geldig JSON-object.")
        }
        var change = ConsultationChange()
        var problems: [InvalidParam] = []
        for (name, member) in members {
            switch name {
            case "deadline":
                if member.isNull { change.deadline = .some(nil) }
                else if let text = member.stringValue, let date = AmsterdamTime.parseRFC3339(text) {
                    if PlausibleDates.contains(date) { change.deadline = .some(date) }
                    else { problems.append(InvalidParam(name: name, reason: PlausibleDates.reason)) }
                }
                else { problems.append(InvalidParam(name: name, reason: "moet een tijdstip zijn volgens RFC 3339, bijvoorbeeld 2026-12-01T17:00:00+01:00")) }
            case "rboVergadering":
                if member.isNull { change.rboVergadering = .some(nil) }
                else if let text = member.stringValue, let date = LocalDate(iso: text) {
                    if PlausibleDates.contains(date) { change.rboVergadering = .some(date) }
                    else { problems.append(InvalidParam(name: name, reason: PlausibleDates.reason)) }
                }
                else { problems.append(InvalidParam(name: name, reason: "moet een datum zijn (JJJJ-MM-DD) of null")) }
            case "status":
                if let text = member.stringValue, let status = ConsultationStatus(rawValue: text) { change.status = status }
                else { problems.append(InvalidParam(name: name, reason: "moet 'open' of 'gesloten' zijn")) }
            default:
                problems.append(InvalidParam(name: name, reason: "onbekend veld"))
            }
        }
        if !problems.isEmpty { throw Problem.invalid(problems) }
        if change.deadline == nil && change.rboVergadering == nil && change.status == nil {
            throw Problem.invalid([], detail: "Geef ten minste een van deadline, rboVergadering of status.")
        }
        return change
    }
}

/// 415 unless the request says it carries JSON.
func requireJSON(_ request: HTTPRequest) throws {
    let type = mediaType(request.headers["Content-Type"])
    guard type == "application/json" || type == "application/merge-patch+json" else {
        throw Problem.unsupportedMediaType("Stuur JSON met Content-Type: application/json.")
    }
}

/// The media type of a Content-Type value, lowercased, without parameters.
func mediaType(_ contentType: String?) -> String {
    guard let contentType else { return "" }
    return contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingHTTPWhitespace().lowercased() } ?? ""
}
