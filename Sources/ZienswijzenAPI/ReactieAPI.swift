import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension API {
    /// Answers to the zienswijzen and the reactienota (issue 15): coordinators write the answers
    /// and vaststellen or heropenen the nota; a griffie reads the answer to its own gemeente once
    /// the nota is vastgesteld (a draft is 404 to it).
    func registerReacties(_ routes: inout RouteTable) {
        let reactie = "/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}/reactie"
        route(&routes, .get, reactie) { [ops] request in
            let found = try ops.beantwoording(raadpleging: request.parameters["id"] ?? "", gemeente: request.parameters["gemeente"] ?? "",
                                              by: caller(request))
            guard found.reactie != nil else { throw Refusal.notFound(.reactie) }
            return .json(200, Representation.reactie(found))
        }
        route(&routes, .put, reactie, bodyLimit: 1 << 20, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let input = try ReactieInput.decode(request)
            let written = try ops.answer(input, raadpleging: request.parameters["id"] ?? "", gemeente: request.parameters["gemeente"] ?? "",
                                         by: actor)
            return .json(200, Representation.reactie(written))
        }
        route(&routes, .get, "/api/v1/raadplegingen/{id}/reacties") { [ops] request in
            let voortgang = try ops.reactieVoortgang(raadpleging: request.parameters["id"] ?? "", by: coordinator(request))
            return .json(200, Representation.voortgang(voortgang))
        }
        let nota = "/api/v1/raadplegingen/{id}/reactienota"
        route(&routes, .get, nota) { [ops, printableReactienota] request in
            let actor = try coordinator(request)
            let id = request.parameters["id"] ?? ""
            let query = (try? request.queryFields()) ?? FormFields()
            let accept = (request.headers["Accept"] ?? "").lowercased()
            // ODT when named; HTML when named and JSON is not (a client that takes both gets JSON).
            let byAccept = accept.contains(ReactienotaODT.mediaType) ? "odt"
                : accept.contains("text/html") && !accept.contains("application/json") ? "html" : "json"
            switch query.first("formaat") ?? byAccept {
            case "html":
                guard let printableReactienota else { throw Problem.invalid([InvalidParam(name: "formaat", reason: "moet 'json' of 'odt' zijn")]) }
                let inhoud = try ops.reactienotaInhoud(raadpleging: id, by: actor)
                var response = printableReactienota(inhoud.document)
                response.headers.set("Cache-Control", "private, no-store")
                return response
            case "odt":
                let inhoud = try ops.reactienotaInhoud(raadpleging: id, by: actor)
                var response = HTTPResponse(status: 200, contentType: ReactienotaODT.mediaType,
                                            body: try ReactienotaODT.document(inhoud.document))
                response.headers.add("Content-Disposition", contentDisposition(filename: "reactienota-\(id).odt"))
                response.headers.add("Cache-Control", "private, no-store")
                return response
            case "json":
                return .json(200, Representation.reactienota(try ops.reactienota(raadpleging: id, by: actor)))
            default:
                throw Problem.invalid([InvalidParam(name: "formaat", reason: "moet 'json', 'odt' of 'html' zijn")])
            }
        }
        route(&routes, .put, nota, bodyLimit: 16 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let id = request.parameters["id"] ?? ""
            let result = switch try ReactienotaChange.decode(request) {
            case .vaststellen(let date): try ops.vaststellen(raadpleging: id, rboDatum: date, by: actor)
            case .heropenen: try ops.heropenen(raadpleging: id, by: actor)
            }
            return .json(200, Representation.reactienota(result))
        }
    }
}

/// A PUT on the reactienota: `{status: "vastgesteld", rboDatum}` or `{status: "concept"}`.
enum ReactienotaChange {
    case vaststellen(LocalDate)
    case heropenen

    static func decode(_ request: HTTPRequest) throws -> ReactienotaChange {
        var body = try JSONBody(request)
        body.refuseUnknown(["status", "rboDatum"])
        let status = body.string("status", required: true)
        let date = body.date("rboDatum")  // nil when absent or not a date (reported), .some(nil) for null
        var change: ReactienotaChange?
        switch status {
        case "vastgesteld"?:
            if case .some(.some(let rboDatum)) = date { change = .vaststellen(rboDatum) }
            else if !body.problems.contains(where: { $0.name == "rboDatum" }) { body.report("rboDatum", Reason.required) }
        case "concept"?:
            if case .some(.some) = date { body.report("rboDatum", "hoort niet bij status concept") } else { change = .heropenen }
        case .some:
            body.report("status", "moet vastgesteld of concept zijn")
        case nil:
            break
        }
        try body.finish()
        guard let change else { throw Problem.invalid(body.problems) }
        return change
    }
}

extension ReactieInput {
    /// `{algemeen: text, opmerkingen: [{thema, tekst, verwerking}]}`; `algemeen` may be absent
    /// (""), `opmerkingen` too ([]). Shapes here, the rules too so one answer names every problem
    /// it can (which themes the version remarked on is the operation's).
    static func decode(_ request: HTTPRequest) throws -> ReactieInput {
        var body = try JSONBody(request)
        body.refuseUnknown(["algemeen", "opmerkingen"])
        let algemeen = body.string("algemeen") ?? ""
        var opmerkingen: [ReactieOpmerking] = []
        if let member = body["opmerkingen"] {
            if let elements = member.arrayValue {
                for (n, element) in elements.enumerated() {
                    let path = "opmerkingen[\(n)]"
                    guard let fields = element.objectValue else {
                        body.report(path, "moet een object zijn met thema, tekst en verwerking")
                        continue
                    }
                    var item = JSONBody(fields: fields)
                    item.refuseUnknown(["thema", "tekst", "verwerking"])
                    let thema = item.string("thema", required: true), tekst = item.string("tekst", required: true)
                    var verwerking: Verwerking?
                    if let text = item.string("verwerking", required: true) {
                        verwerking = Verwerking(rawValue: text)
                        if verwerking == nil { item.report("verwerking", Verwerking.reason) }
                    }
                    if let tekst { item.problems += RaadplegingRules.multiline(tekst, max: ReactieRules.maxTekst, name: "tekst") }
                    body.problems += item.problems.map { InvalidParam(name: "\(path).\($0.name)", reason: $0.reason) }
                    if let thema, let tekst, let verwerking, item.problems.isEmpty {
                        opmerkingen.append(ReactieOpmerking(thema: thema, tekst: tekst, verwerking: verwerking))
                    }
                }
            } else {
                body.report("opmerkingen", Reason.mustBeList)
            }
        }
        body.problems += RaadplegingRules.multiline(algemeen, max: ReactieRules.maxTekst, name: "algemeen")
        try body.finish()
        return ReactieInput(algemeen: algemeen, opmerkingen: opmerkingen)
    }
}

extension Representation {
    /// The answer to one gemeente's zienswijze.
    static func reactie(_ b: Beantwoording) -> JSONValue {
        let reactie = b.reactie
        return .object([
            ("raadpleging", .string(b.raadpleging.id)), ("gemeente", .string(b.gemeente.code)), ("naam", .string(b.gemeente.naam)),
            ("beantwoordtVersie", reactie.map { .int($0.beantwoordtVersie) } ?? .null),
            ("huidigeVersie", b.versie.map { .int($0.versie) } ?? .null),
            ("verouderd", .bool(b.answersOlderVersion)),
            ("reactienota", .string(b.nota.status.rawValue)),
            ("algemeen", .string(reactie?.algemeen ?? "")),
            ("opmerkingen", .array((reactie?.opmerkingen ?? []).map {
                .object([("thema", .string($0.thema)), ("tekst", .string($0.tekst)), ("verwerking", .string($0.verwerking.rawValue))])
            })),
            ("gewijzigdOp", reactie.map { .string(AmsterdamTime.rfc3339($0.gewijzigdOp)) } ?? .null),
        ])
    }

    static func reactienota(_ n: Reactienota) -> JSONValue {
        .object([
            ("raadpleging", .string(n.raadpleging)), ("status", .string(n.status.rawValue)),
            ("rboDatum", n.rboDatum.map { .string($0.iso) } ?? .null),
            ("vastgesteldOp", n.vastgesteldOp.map { .string(AmsterdamTime.rfc3339($0)) } ?? .null),
        ])
    }

    static func voortgang(_ v: ReactieVoortgang) -> JSONValue {
        .object([
            ("raadpleging", .string(v.raadpleging)), ("reactienota", .string(v.nota.status.rawValue)),
            ("uitgenodigd", .int(v.uitgenodigd)), ("metZienswijze", .int(v.metZienswijze)),
            ("beantwoord", .int(v.count(.beantwoord))), ("verouderd", .int(v.count(.verouderd))), ("open", .int(v.count(.open))),
            ("gemeenten", .array(v.regels.map { regel in
                .object([
                    ("code", .string(regel.gemeente.code)), ("naam", .string(regel.gemeente.naam)),
                    ("versie", .int(regel.versie)), ("beantwoordtVersie", regel.beantwoordtVersie.map { .int($0) } ?? .null),
                    ("stand", .string(regel.stand.rawValue)),
                ])
            })),
        ])
    }
}
