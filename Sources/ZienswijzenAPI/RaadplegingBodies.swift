import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// The JSON bodies of the consultation, document and register resources. Shapes are checked here,
/// every problem at once; the rules (which ids, which gemeenten, what the status allows) are the
/// operations'.
struct JSONBody {
    let members: [(String, JSONValue)]
    var problems: [InvalidParam] = []

    /// The request's JSON object: 415 for another media type, 400 when it is not a JSON object.
    init(_ request: HTTPRequest) throws {
        try requireJSON(request)
        guard let value = try? JSONValue.parse(try request.smallBody()), let members = value.objectValue else {
            throw Problem.badRequest("De body is geen geldig JSON-object.")
        }
        self.members = members
    }

    mutating func report(_ name: String, _ reason: String) { problems.append(InvalidParam(name: name, reason: reason)) }

    /// Reports members not in `known`.
    mutating func refuseUnknown(_ known: Set<String>) {
        for (name, _) in members where !known.contains(name) { report(name, Reason.unknownField) }
    }

    func has(_ name: String) -> Bool { members.contains { $0.0 == name } }
    subscript(name: String) -> JSONValue? { members.first { $0.0 == name }?.1 }

    mutating func string(_ name: String, required: Bool = false) -> String? {
        switch self[name] {
        case nil: if required { report(name, Reason.required) }; return nil
        case .string(let s)?: return s
        case .some: report(name, Reason.mustBeText); return nil
        }
    }

    mutating func bool(_ name: String) -> Bool? {
        switch self[name] {
        case nil: return nil
        case .bool(let b)?: return b
        case .some: report(name, "moet true of false zijn"); return nil
        }
    }

    /// `.some(nil)` for JSON null.
    mutating func instant(_ name: String) -> Date?? {
        guard let member = self[name] else { return nil }
        if member.isNull { return .some(nil) }
        if let text = member.stringValue, let date = AmsterdamTime.parseRFC3339(text) { return .some(date) }
        report(name, "moet een tijdstip zijn volgens RFC 3339, bijvoorbeeld 2026-12-01T17:00:00+01:00")
        return nil
    }

    /// `.some(nil)` for JSON null.
    mutating func date(_ name: String) -> LocalDate?? {
        guard let member = self[name] else { return nil }
        if member.isNull { return .some(nil) }
        if let text = member.stringValue, let date = LocalDate(iso: text) { return .some(date) }
        report(name, "moet een datum zijn (JJJJ-MM-DD) of null")
        return nil
    }

    /// A list of `{code, titel, samenvatting}`; `samenvatting` may be absent ("").
    mutating func themas(_ name: String = "themas") -> [Thema]? {
        guard let member = self[name] else { return nil }
        guard let elements = member.arrayValue else { report(name, Reason.mustBeList); return nil }
        var themas: [Thema] = []
        var ok = true
        for (n, element) in elements.enumerated() {
            let path = "\(name)[\(n)]"
            guard let fields = element.objectValue else { report(path, "moet een object zijn met code, titel en samenvatting"); ok = false; continue }
            var item = JSONBody(fields: fields)
            item.refuseUnknown(["code", "titel", "samenvatting"])
            let code = item.string("code", required: true), titel = item.string("titel", required: true)
            let samenvatting = item.string("samenvatting") ?? ""
            problems += item.problems.map { InvalidParam(name: "\(path).\($0.name)", reason: $0.reason) }
            if let code, let titel, item.problems.isEmpty { themas.append(Thema(code: code, titel: titel, samenvatting: samenvatting)) } else { ok = false }
        }
        return ok ? themas : nil
    }

    /// Days before the deadline on which griffies are reminded (see `ReminderSchedule`).
    mutating func reminderSchedule(_ name: String) -> ReminderSchedule? {
        guard let member = self[name] else { return nil }
        if let elements = member.arrayValue, case let days = elements.compactMap(\.intValue), days.count == elements.count,
           let schedule = ReminderSchedule(days: days) {
            return schedule
        }
        report(name, ReminderSchedule.rule)
        return nil
    }

    /// A list of CBS codes.
    mutating func codes(_ name: String) -> [String]? {
        guard let member = self[name] else { return nil }
        guard let elements = member.arrayValue else { report(name, Reason.mustBeList); return nil }
        var codes: [String] = []
        for (n, element) in elements.enumerated() {
            guard let code = element.stringValue else { report("\(name)[\(n)]", "moet een CBS-code zijn, zoals GM0518"); continue }
            codes.append(code)
        }
        return codes.count == elements.count ? codes : nil
    }

    init(fields members: [(String, JSONValue)]) { self.members = members }

    /// Throws 422 with every problem found, if any.
    func finish() throws {
        if !problems.isEmpty { throw Problem.invalid(problems) }
    }
}

extension RaadplegingChange {
    static let fields: Set<String> = ["deadline", "rboVergadering", "status", "titel", "omschrijving", "raadsbesluitVerplicht",
                                      "themas", "uitgenodigdeGemeenten", "herinneringen"]

    /// A PATCH body: any of the fields above; `themas` and `uitgenodigdeGemeenten` replace the lists.
    static func decode(_ request: HTTPRequest) throws -> RaadplegingChange {
        var body = try JSONBody(request)
        body.refuseUnknown(fields)
        var change = RaadplegingChange()
        change.deadline = body.instant("deadline")
        change.rboVergadering = body.date("rboVergadering")
        if let text = body.string("status") {
            if let status = RaadplegingStatus(rawValue: text) { change.status = status } else {
                body.report("status", "moet een van " + RaadplegingStatus.allCases.map(\.rawValue).joined(separator: ", ") + " zijn")
            }
        }
        change.titel = body.string("titel")
        change.omschrijving = body.string("omschrijving")
        change.raadsbesluitVerplicht = body.bool("raadsbesluitVerplicht")
        change.themas = body.themas()
        change.uitgenodigd = body.codes("uitgenodigdeGemeenten")
        change.herinneringen = body.reminderSchedule("herinneringen")
        // The rules too, so that one answer names every problem (the operation checks them again).
        if let titel = change.titel { body.problems += RaadplegingRules.titelProblems(titel.trimmingWhitespace) }
        if let omschrijving = change.omschrijving { body.problems += RaadplegingRules.omschrijvingProblems(omschrijving) }
        if let themas = change.themas { body.problems += RaadplegingRules.themaProblems(themas.map(\.trimmed)) }
        try body.finish()
        return change
    }
}

extension RaadplegingDraft {
    /// A POST body: `id` and `titel` required; `omschrijving`, `deadline`, `rboVergadering`,
    /// `raadsbesluitVerplicht`, `themas` and `uitgenodigdeGemeenten` optional.
    static func decode(_ request: HTTPRequest) throws -> RaadplegingDraft {
        var body = try JSONBody(request)
        body.refuseUnknown(["id", "titel", "omschrijving", "deadline", "rboVergadering", "raadsbesluitVerplicht", "themas",
                            "uitgenodigdeGemeenten"])
        let id = body.string("id", required: true), titel = body.string("titel", required: true)
        let draft = RaadplegingDraft(
            id: id ?? "", titel: titel ?? "", omschrijving: body.string("omschrijving") ?? "",
            deadline: body.instant("deadline") ?? nil, rboVergadering: body.date("rboVergadering") ?? nil,
            raadsbesluitVerplicht: body.bool("raadsbesluitVerplicht") ?? false, themas: body.themas() ?? [],
            uitgenodigd: body.codes("uitgenodigdeGemeenten"))
        var trimmed = draft
        trimmed.titel = draft.titel.trimmingWhitespace
        trimmed.themas = draft.themas.map(\.trimmed)
        let known = Set(body.problems.map(\.name))
        body.problems += RaadplegingRules.draftProblems(trimmed).filter { !known.contains($0.name) }
        try body.finish()
        return draft
    }
}

extension RaadplegingKopie {
    /// `{id, titel, omschrijving?}`.
    static func decode(_ request: HTTPRequest) throws -> RaadplegingKopie {
        var body = try JSONBody(request)
        body.refuseUnknown(["id", "titel", "omschrijving"])
        let kopie = RaadplegingKopie(id: body.string("id", required: true) ?? "", titel: body.string("titel", required: true) ?? "",
                                     omschrijving: body.string("omschrijving"))
        try body.finish()
        return kopie
    }
}

extension DocumentChange {
    /// `{openbaar?, titel?, soort?}`.
    static func decode(_ request: HTTPRequest) throws -> DocumentChange {
        var body = try JSONBody(request)
        body.refuseUnknown(["openbaar", "titel", "soort"])
        var change = DocumentChange(openbaar: body.bool("openbaar"), titel: body.string("titel"))
        if let text = body.string("soort") {
            change.soort = DocumentSoort(rawValue: text)
            if change.soort == nil { body.report("soort", DocumentSoort.reason) }
        }
        try body.finish()
        return change
    }
}

extension DocumentSoort {
    static var reason: String { "moet een van " + allCases.map(\.rawValue).joined(separator: ", ") + " zijn" }
}

extension Thema {
    /// With its title trimmed, as the operations store it.
    var trimmed: Thema { Thema(code: code, titel: titel.trimmingWhitespace, samenvatting: samenvatting) }
}
