import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct WebhookRow {
    var id: Int64
    var url: String
    var omschrijving: String?
    var gebeurtenissen: String
    var persoonsgegevens: String
    var status: String
    var wisselActie: String
    var wisselLabel: String
    var csrf: String
}

struct DisabledWebhookView {
    var url: String
    var mislukkingen: Int
    var sinds: String
}

struct DeliveryRow {
    var id: Int64
    var soort: String
    var ontvanger: String
    var onderwerp: String
    var status: String
    var statusClass: String
    var pogingen: Int
    var fout: String
    var opnieuw: Bool
    var csrf: String
}

struct CountItem {
    var value: String
    var label: String
    var count: Int
}

struct DeliveryView {
    var csrf: String
    var melding: String?
    var mailIngesteld: Bool
    var mailBeschrijving: String
    var rsiv: String?
    var aantallen: [CountItem]
    var uitschakelenNa: Int
    var uitgeschakeld: [DisabledWebhookView]
    var webhooks: [WebhookRow]
    var heeftWebhooks: Bool
    var soorten: [OptionView]
    var url: String
    var omschrijving: String
    var persoonsgegevens: Bool
    var errors: [ErrorItem]
    var hasErrors: Bool
    var urlFout: String?
    var omschrijvingFout: String?
    var berichten: [DeliveryRow]
    var heeftBerichten: Bool
    var aantalGetoond: Int
}

struct WebhookRegisteredView {
    var url: String
    var wat: String
    var geheim: String
}

extension Web {
    /// The delivery page: mail configuration, webhook endpoints (register, switch on or off,
    /// remove) and the newest outbox entries with a retry button for failed ones.
    func registerDeliveryPages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/bezorging") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let done = ((try? request.queryFields()) ?? FormFields()).first("gedaan")
            return try deliveryPage(session, request: request, fields: [:], selected: [], problems: [], melding: melding(done))
        }
        web(&routes, .post, "/coordinator/bezorging/webhooks", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let pairs = try checkedForm(request, expected: session.csrfToken).fields
            var fields: [String: String] = [:]
            for (name, value) in pairs where name != "gebeurtenis" { fields[name] = value }
            let selected = pairs.filter { $0.0 == "gebeurtenis" }.compactMap { GebeurtenisType(rawValue: $0.1) }
            let webhook: Webhook
            do {
                webhook = try ops.registerWebhook(url: fields["url"] ?? "", gebeurtenissen: selected,
                                                  persoonsgegevens: fields["persoonsgegevens"] == "ja",
                                                  omschrijving: fields["omschrijving"] ?? "",
                                                  by: request.actor(.code(session.principal), .web))
            } catch Refusal.invalid(let params, _) {
                var response = try deliveryPage(session, request: request, fields: fields, selected: selected,
                                                problems: params.map { ($0.name, fieldMessage($0)) }, melding: nil)
                response.status = 422
                return response
            }
            let wat = webhook.gebeurtenissen.isEmpty ? "alle gebeurtenissen"
                : "deze gebeurtenissen: " + webhook.gebeurtenissen.map { $0.label.lowercased() }.joined(separator: ", ")
            var response = page("webhook-geregistreerd", title: "Eindpunt geregistreerd", session: session,
                                path: "/coordinator/bezorging",
                                content: WebhookRegisteredView(url: webhook.url, wat: wat + (webhook.persoonsgegevens ? ", met persoonsgegevens" : ""),
                                                               geheim: webhook.geheim))
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        web(&routes, .post, "/coordinator/bezorging/webhooks/{id}/{actie}", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            _ = try checkedForm(request, expected: session.csrfToken)
            guard let id = Int64(request.parameters["id"] ?? "") else { throw WebFailure.notFound(Refusal.notFound(.webhook).detail) }
            let actor = request.actor(.code(session.principal), .web)
            switch request.parameters["actie"] ?? "" {
            case "inschakelen": _ = try ops.setWebhookActive(id, active: true, by: actor)
            case "uitschakelen": _ = try ops.setWebhookActive(id, active: false, by: actor)
            case "verwijderen": try ops.removeWebhook(id, by: actor)
            default: throw WebFailure.notFound("Deze pagina bestaat niet.")
            }
            return .redirect(to: "/coordinator/bezorging?gedaan=\(request.parameters["actie"] ?? "")")
        }
        web(&routes, .post, "/coordinator/bezorging/{id}/opnieuw", bodyLimit: 16 * 1024, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            _ = try checkedForm(request, expected: session.csrfToken)
            guard let id = Int64(request.parameters["id"] ?? "") else { throw WebFailure.notFound(Refusal.notFound(.bezorging).detail) }
            do {
                _ = try ops.retryBezorging(id, by: request.actor(.code(session.principal), .web))
            } catch let refusal as Refusal {
                if case .conflict = refusal { throw WebFailure.conflict(refusal.detail) }
                throw refusal
            }
            return .redirect(to: "/coordinator/bezorging?gedaan=opnieuw#berichten")
        }
    }

    private func melding(_ done: String?) -> String? {
        switch done {
        case "inschakelen": "Het eindpunt is weer ingeschakeld."
        case "uitschakelen": "Het eindpunt is uitgeschakeld; het krijgt geen berichten meer."
        case "verwijderen": "Het eindpunt is verwijderd. Berichten die nog wachtten, zijn als mislukt gemarkeerd."
        case "opnieuw": "Het bericht wordt opnieuw verstuurd."
        default: nil
        }
    }

    private func fieldMessage(_ param: InvalidParam) -> String {
        switch param.name {
        case "url": "Het adres \(param.reason)."
        case "omschrijving": "De omschrijving \(param.reason)."
        default: param.reason
        }
    }

    private func deliveryPage(_ session: Session, request: HTTPRequest, fields: [String: String], selected: [GebeurtenisType],
                              problems: [(String, String)], melding: String?) throws -> HTTPResponse {
        let actor = request.actor(.code(session.principal), .web)
        let overview = try ops.deliveryOverview(by: actor)
        let csrf = session.csrfToken
        let webhookURLs = Dictionary(overview.webhooks.map { ($0.id, $0.url) }, uniquingKeysWith: { a, _ in a })
        let message = Dictionary(problems, uniquingKeysWith: { a, _ in a })
        let errors = problems.map { ErrorItem(href: "#webhook-" + $0.0, message: $0.1) }
        let rows = overview.webhooks.map { w in
            WebhookRow(id: w.id, url: w.url, omschrijving: w.omschrijving.isEmpty ? nil : w.omschrijving,
                       gebeurtenissen: w.gebeurtenissen.isEmpty ? "Alle" : w.gebeurtenissen.map(\.label).joined(separator: ", "),
                       persoonsgegevens: w.persoonsgegevens ? "Ja" : "Nee",
                       status: w.actief ? (w.mislukkingen > 0 ? "Actief, \(w.mislukkingen) keer mislukt" : "Actief")
                                        : "Uitgeschakeld",
                       wisselActie: w.actief ? "uitschakelen" : "inschakelen", wisselLabel: w.actief ? "Uitschakelen" : "Inschakelen",
                       csrf: csrf)
        }
        let berichten = overview.recent.map { b in
            // A message to a removed endpoint can never go again: no button for it.
            let removed = b.webhookID.map { webhookURLs[$0] == nil } ?? false
            return DeliveryRow(id: b.id, soort: soortLabel(b),
                               ontvanger: b.webhookID.flatMap { webhookURLs[$0] } ?? (b.ontvangerLabel + (removed ? " (verwijderd)" : "")),
                               onderwerp: b.onderwerp, status: bezorgLabel(b.status), statusClass: "status-" + b.status.rawValue,
                               pogingen: b.pogingen, fout: b.laatsteFout ?? "–", opnieuw: b.status == .mislukt && !removed, csrf: csrf)
        }
        let view = DeliveryView(
            csrf: csrf, melding: melding, mailIngesteld: overview.mailConfigured,
            mailBeschrijving: overview.mailDescription ?? "mailprogramma", rsiv: overview.rsivCopy,
            aantallen: BezorgStatus.allCases.map { CountItem(value: $0.rawValue, label: bezorgLabel($0), count: overview.counts[$0] ?? 0) },
            uitschakelenNa: ops.notifications.disableWebhookAfter,
            uitgeschakeld: overview.webhooks.filter { !$0.actief && $0.uitgeschakeldOp != nil && $0.mislukkingen > 0 }.map {
                DisabledWebhookView(url: $0.url, mislukkingen: $0.mislukkingen, sinds: $0.uitgeschakeldOp.map(shortDateTime) ?? "")
            },
            webhooks: rows, heeftWebhooks: !rows.isEmpty,
            soorten: GebeurtenisType.allCases.map { OptionView(value: $0.rawValue, label: $0.label, selected: selected.contains($0)) },
            url: fields["url"] ?? "", omschrijving: fields["omschrijving"] ?? "", persoonsgegevens: fields["persoonsgegevens"] == "ja",
            errors: errors, hasErrors: !errors.isEmpty, urlFout: message["url"], omschrijvingFout: message["omschrijving"],
            berichten: berichten, heeftBerichten: !berichten.isEmpty, aantalGetoond: berichten.count)
        return page("bezorging", title: "Bezorging", session: session, hasErrors: !errors.isEmpty,
                    path: "/coordinator/bezorging", content: view)
    }

    private func bezorgLabel(_ status: BezorgStatus) -> String {
        switch status {
        case .wachtend: "Wachtend"
        case .verzonden: "Verzonden"
        case .mislukt: "Mislukt"
        }
    }

    private func soortLabel(_ b: Bezorging) -> String {
        let what: String = switch b.soort {
        case Berichtsoort.herinnering: "Herinnering"
        case Berichtsoort.webhookUitgeschakeld: "Melding: webhook uitgeschakeld"
        default: GebeurtenisType(rawValue: b.soort)?.label ?? b.soort
        }
        return what + (b.kanaal == .email ? " (e-mail)" : " (webhook)")
    }
}
