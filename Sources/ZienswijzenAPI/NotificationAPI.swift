import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// Webhook endpoints (`/api/v1/webhooks`) and the state of deliveries (`/api/v1/bezorgingen`),
/// for coordinators.
extension API {
    func registerNotifications(_ routes: inout RouteTable) {
        route(&routes, .get, "/api/v1/webhooks") { [ops] request in
            .json(200, .array(try ops.webhooks(by: coordinator(request)).map { Representation.webhook($0) }))
        }
        route(&routes, .post, "/api/v1/webhooks", bodyLimit: 16 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let body = try decodeWebhook(request)
            let webhook = try ops.registerWebhook(url: body.url, gebeurtenissen: body.types, persoonsgegevens: body.personal,
                                                  omschrijving: body.description, by: actor)
            return .json(201, Representation.webhook(webhook, withSecret: true),
                         headers: [("Location", "/api/v1/webhooks/\(webhook.id)"), ("Cache-Control", "no-store")])
        }
        route(&routes, .get, "/api/v1/webhooks/{webhookId}") { [ops] request in
            let actor = try coordinator(request)
            return .json(200, Representation.webhook(try ops.webhook(try webhookID(request), by: actor)))
        }
        route(&routes, .patch, "/api/v1/webhooks/{webhookId}", bodyLimit: 16 * 1024, caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            let id = try webhookID(request)
            try requireJSON(request)
            guard let value = try? JSONValue.parse(request.body), let members = value.objectValue else {
                throw Problem.badRequest("De body is geen geldig JSON-object.")
            }
            var active: Bool?
            var problems: [InvalidParam] = []
            for (name, member) in members {
                switch name {
                case "actief":
                    active = member.boolValue
                    if active == nil { problems.append(InvalidParam(name: name, reason: "moet true of false zijn")) }
                default: problems.append(InvalidParam(name: name, reason: "onbekend veld"))
                }
            }
            if active == nil && problems.isEmpty { problems.append(InvalidParam(name: "actief", reason: "verplicht")) }
            guard problems.isEmpty, let active else { throw Problem.invalid(problems) }
            return .json(200, Representation.webhook(try ops.setWebhookActive(id, active: active, by: actor)))
        }
        route(&routes, .delete, "/api/v1/webhooks/{webhookId}", caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            try ops.removeWebhook(try webhookID(request), by: actor)
            return HTTPResponse(status: 204)
        }
        route(&routes, .get, "/api/v1/bezorgingen") { [ops] request in
            let actor = try coordinator(request)
            let query = (try? request.queryFields()) ?? FormFields()
            var problems: [InvalidParam] = []
            var status: BezorgStatus?
            if let text = query.first("status") {
                status = BezorgStatus(rawValue: text)
                if status == nil { problems.append(InvalidParam(name: "status", reason: "moet wachtend, verzonden of mislukt zijn")) }
            }
            let limitText = query.first("limiet")
            if let limitText, Int(limitText) == nil { problems.append(InvalidParam(name: "limiet", reason: "moet een geheel getal zijn")) }
            let beforeText = query.first("voor")
            if let beforeText, Int64(beforeText) == nil { problems.append(InvalidParam(name: "voor", reason: "moet een geheel getal zijn")) }
            if !problems.isEmpty { throw Problem.invalid(problems) }
            let limit = min(max(limitText.flatMap { Int($0) } ?? 100, 1), 1000)
            let list = try ops.bezorgingen(status: status, limit: limit, before: beforeText.flatMap { Int64($0) }, by: actor)
            return .json(200, .array(list.map(Representation.bezorging)))
        }
        route(&routes, .get, "/api/v1/bezorgingen/{bezorgingId}") { [ops] request in
            let actor = try coordinator(request)
            guard let id = Int64(request.parameters["bezorgingId"] ?? "") else { throw Refusal.notFound(.bezorging) }
            return .json(200, Representation.bezorging(try ops.bezorging(id, by: actor)))
        }
        route(&routes, .post, "/api/v1/bezorgingen/{bezorgingId}/opnieuw", caller: .coordinator) { [ops] request in
            let actor = try coordinator(request)
            guard let id = Int64(request.parameters["bezorgingId"] ?? "") else { throw Refusal.notFound(.bezorging) }
            return .json(200, Representation.bezorging(try ops.retryBezorging(id, by: actor)))
        }
    }

    private func webhookID(_ request: HTTPRequest) throws -> Int64 {
        guard let id = Int64(request.parameters["webhookId"] ?? "") else { throw Refusal.notFound(.webhook) }
        return id
    }

    /// The body of `POST /api/v1/webhooks`: `url` (required), `gebeurtenissen` (event types; absent
    /// or empty: all), `persoonsgegevens` (default false), `omschrijving`.
    private func decodeWebhook(_ request: HTTPRequest) throws -> (url: String, types: [GebeurtenisType], personal: Bool, description: String) {
        try requireJSON(request)
        guard let value = try? JSONValue.parse(request.body), let members = value.objectValue else {
            throw Problem.badRequest("De body is geen geldig JSON-object.")
        }
        var problems: [InvalidParam] = []
        var url: String?
        var types: [GebeurtenisType] = []
        var personal = false
        var description = ""
        for (name, member) in members {
            switch name {
            case "url":
                url = member.stringValue
                if url == nil { problems.append(InvalidParam(name: name, reason: "moet een tekst zijn")) }
            case "gebeurtenissen":
                guard let list = member.arrayValue else {
                    problems.append(InvalidParam(name: name, reason: "moet een lijst van gebeurtenistypen zijn"))
                    continue
                }
                for (n, item) in list.enumerated() {
                    if let type = item.stringValue.flatMap(GebeurtenisType.init(rawValue:)) { types.append(type) }
                    else {
                        problems.append(InvalidParam(name: "\(name)[\(n)]", reason: "onbekend gebeurtenistype; kies uit "
                                                     + GebeurtenisType.allCases.map(\.rawValue).joined(separator: ", ")))
                    }
                }
            case "persoonsgegevens":
                if let flag = member.boolValue { personal = flag }
                else { problems.append(InvalidParam(name: name, reason: "moet true of false zijn")) }
            case "omschrijving":
                if let text = member.stringValue { description = text }
                else { problems.append(InvalidParam(name: name, reason: "moet een tekst zijn")) }
            default:
                problems.append(InvalidParam(name: name, reason: "onbekend veld"))
            }
        }
        if url == nil && !problems.contains(where: { $0.name == "url" }) { problems.append(InvalidParam(name: "url", reason: "verplicht")) }
        guard problems.isEmpty, let url else { throw Problem.invalid(problems) }
        return (url, types, personal, description)
    }
}
