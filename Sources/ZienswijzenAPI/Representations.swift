import Foundation
import HTTP
import ZienswijzenDomain

/// The JSON shapes of the API, in one place so the OpenAPI document has one thing to match.
package enum Representation {
    /// `samengevoegdIn` and `samengevoegdOp` are present only for a gemeente that merged.
    package static func gemeente(_ g: Gemeente) -> JSONValue {
        var members: [(String, JSONValue)] = [("code", .string(g.code)), ("naam", .string(g.naam)), ("regio", .string(g.regio))]
        if let into = g.samengevoegdIn, let date = g.samengevoegdOp {
            members += [("samengevoegdIn", .string(into)), ("samengevoegdOp", .string(date.iso))]
        }
        return .object(members)
    }

    package static func raadplegingSummary(_ c: Raadpleging) -> JSONValue {
        .object([("id", .string(c.id)), ("titel", .string(c.titel)),
                 ("deadline", c.deadline.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
                 ("status", .string(c.status.rawValue))])
    }

    /// One consultation; `documenten` are the ones the caller may see.
    package static func raadpleging(_ c: Raadpleging, now: Date, documenten: [Document]) -> JSONValue {
        let remaining: JSONValue = c.deadlineState(at: now).resterendeSeconden.map { .int($0) } ?? .null
        return .object([
            ("id", .string(c.id)), ("titel", .string(c.titel)),
            ("deadline", c.deadline.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
            ("rboVergadering", c.rboVergadering.map { .string($0.iso) } ?? .null),
            ("status", .string(c.status.rawValue)),
            ("resterendeSeconden", remaining),
            ("herinneringen", .array(c.herinneringen.days.map { .int($0) })),
            ("themas", .array(c.themas.map { .object([("code", .string($0.code)), ("titel", .string($0.titel)),
                                                       ("samenvatting", .string($0.samenvatting))]) })),
            ("omschrijving", .string(c.omschrijving)),
            ("raadsbesluitVerplicht", .bool(c.raadsbesluitVerplicht)),
            ("aangemaaktOp", .string(AmsterdamTime.rfc3339(c.aangemaaktOp))),
            ("uitgenodigdeGemeenten", .array(c.uitgenodigd.map { .string($0) })),
            ("documenten", .array(documenten.map(document))),
        ])
    }

    package static func document(_ d: Document) -> JSONValue {
        .object([
            ("id", .string(d.id)), ("soort", .string(d.soort.rawValue)), ("titel", .string(d.titel)),
            ("bestandsnaam", .string(d.bestand.bestandsnaam)), ("mediatype", .string(d.bestand.mediatype)),
            ("grootte", .int(d.bestand.grootte)), ("sha256", .string(d.bestand.sha256)), ("openbaar", .bool(d.openbaar)),
            ("toegevoegdOp", .string(AmsterdamTime.rfc3339(d.toegevoegdOp))),
            ("href", .string("/api/v1/raadplegingen/\(d.raadpleging)/documenten/\(d.id)")),
        ])
    }

    /// The ontvangstbevestiging: what a successful PUT answers.
    package static func receipt(_ v: Versie) -> JSONValue { v.receiptJSON(sha256: v.digest) }

    package static func bijlage(_ b: Bijlage) -> JSONValue {
        .object([("id", .string(b.id)), ("bestandsnaam", .string(b.bestandsnaam)), ("mediatype", .string(b.mediatype)),
                 ("grootte", .int(b.grootte)), ("sha256", .string(b.sha256))])
    }

    package static func status(_ overview: StatusOverview, now: Date, filter: GemeenteStatus.State?) -> JSONValue {
        let deadline = overview.raadpleging.deadline
        let lines = overview.gemeenten.filter { filter == nil || $0.state == filter }
        return .object([
            ("deadline", deadline.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
            ("resterendeSeconden", overview.raadpleging.deadlineState(at: now).resterendeSeconden.map { .int($0) } ?? .null),
            ("totaal", .int(overview.gemeenten.count)),
            ("ingediend", .int(overview.count(.ingediend))), ("teLaat", .int(overview.count(.teLaat))),
            ("ingetrokken", .int(overview.count(.ingetrokken))), ("ontbrekend", .int(overview.count(.ontbreekt))),
            ("gemeenten", .array(lines.map { line in
                .object([
                    ("code", .string(line.gemeente.code)), ("naam", .string(line.gemeente.naam)),
                    ("status", .string(line.state.rawValue)),
                    ("versie", line.versie.map { .int($0) } ?? .null),
                    ("kenmerk", line.kenmerk.map { .string($0) } ?? .null),
                    ("ontvangenOp", line.ontvangenOp.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
                    ("standpunt", line.standpunt.map { .string($0.rawValue) } ?? .null),
                    ("opTijdOntvangenVersie", line.opTijd.map { .int($0.versie) } ?? .null),
                ])
            })),
        ])
    }

    package static func toegangscode(_ r: ToegangscodeRecord) -> JSONValue {
        .object([
            ("id", .int(Int(r.id))), ("rol", .string(r.role.rawValue)), ("gemeente", r.gemeente.map { .string($0) } ?? .null),
            ("naam", .string(r.naam)), ("aangemaaktOp", .string(AmsterdamTime.rfc3339(r.aangemaaktOp))),
            ("ingetrokkenOp", r.ingetrokkenOp.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
            ("laatstGebruiktOp", r.laatstGebruiktOp.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
            ("email", r.email.map { .string($0) } ?? .null),
        ])
    }

    /// An endpoint; its secret only when just registered (`geheim`).
    package static func webhook(_ w: Webhook, withSecret: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .int(Int(w.id))), ("url", .string(w.url)),
            ("gebeurtenissen", .array(w.gebeurtenissen.map { .string($0.rawValue) })),
            ("persoonsgegevens", .bool(w.persoonsgegevens)), ("omschrijving", .string(w.omschrijving)),
            ("actief", .bool(w.actief)), ("mislukkingen", .int(w.mislukkingen)),
            ("uitgeschakeldOp", w.uitgeschakeldOp.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
            ("aangemaaktOp", .string(AmsterdamTime.rfc3339(w.aangemaaktOp))),
        ]
        if withSecret { members.append(("geheim", .string(w.geheim))) }
        return .object(members)
    }

    package static func bezorging(_ b: Bezorging) -> JSONValue {
        .object([
            ("id", .int(Int(b.id))), ("kanaal", .string(b.kanaal.rawValue)), ("ontvanger", .string(b.ontvangerLabel)),
            ("webhookId", b.webhookID.map { .int(Int($0)) } ?? .null),
            ("soort", .string(b.soort)), ("onderwerp", .string(b.onderwerp)), ("berichtId", .string(b.berichtID)),
            ("status", .string(b.status.rawValue)), ("pogingen", .int(b.pogingen)),
            ("volgendePogingOp", b.volgendePogingOp.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
            ("laatsteFout", b.laatsteFout.map { .string($0) } ?? .null),
            ("aangemaaktOp", .string(AmsterdamTime.rfc3339(b.aangemaaktOp))),
            ("verzondenOp", b.verzondenOp.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
        ])
    }

    package static func auditEntry(_ e: AuditEntry) -> JSONValue {
        .object([("id", .int(Int(e.id))), ("op", .string(AmsterdamTime.rfc3339(e.op))), ("actor", .string(e.actor)),
                 ("actie", .string(e.actie)), ("onderwerp", .string(e.onderwerp)), ("details", .string(e.details)),
                 ("adres", .string(e.adres))])
    }
}

