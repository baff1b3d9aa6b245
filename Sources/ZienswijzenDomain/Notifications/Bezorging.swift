import Foundation

/// How an outbox entry leaves: by e-mail (through the mail program) or as a webhook request.
package enum Kanaal: String, Sendable, CaseIterable {
    case email, webhook
}

/// Where an outbox entry stands. `wachtend`: not yet delivered (maybe tried, waiting for the next
/// attempt); `verzonden`: accepted by the mail program or answered 2xx; `mislukt`: every attempt
/// failed (or its endpoint was disabled or removed), waiting for a coordinator to retry it.
package enum BezorgStatus: String, Sendable, CaseIterable {
    case wachtend, verzonden, mislukt
}

/// What an outbox entry is about besides events: the e-mail-only kinds.
package enum Berichtsoort {
    /// A reminder to a griffie.
    package static let herinnering = "herinnering"
    /// The notice to the RSIV that an endpoint was disabled.
    package static let webhookUitgeschakeld = "webhook-uitgeschakeld"
}

/// A new outbox entry, before it is stored: written in the transaction of the change it reports.
package struct NieuweBezorging: Sendable, Equatable {
    package var kanaal: Kanaal
    /// Deliveries to one recipient go out in the order they were written: an e-mail address
    /// (`email:griffie@example.nl`) or an endpoint (`webhook:3`).
    package var ontvanger: String
    /// The event type's raw value, or an e-mail-only kind (`Berichtsoort`).
    package var soort: String
    /// A kenmerk, a consultation id, a gemeente code: what the page shows it is about.
    package var onderwerp: String
    /// The message as it will be sent: RFC 5322 bytes, or the CloudEvent's JSON.
    package var inhoud: [UInt8]
    package var webhookID: Int64?
    /// The CloudEvent id (the `webhook-id` of every attempt) or the e-mail's Message-ID.
    package var berichtID: String

    package init(kanaal: Kanaal, ontvanger: String, soort: String, onderwerp: String, inhoud: [UInt8],
                 webhookID: Int64? = nil, berichtID: String) {
        self.kanaal = kanaal
        self.ontvanger = ontvanger
        self.soort = soort
        self.onderwerp = onderwerp
        self.inhoud = inhoud
        self.webhookID = webhookID
        self.berichtID = berichtID
    }

    package static func email(_ message: MailMessage, soort: String, onderwerp: String) -> NieuweBezorging {
        NieuweBezorging(kanaal: .email, ontvanger: "email:" + message.recipients.joined(separator: ","), soort: soort,
                        onderwerp: onderwerp, inhoud: message.rendered(), berichtID: message.messageID)
    }
}

/// A stored outbox entry as pages and the API show it (without its content).
package struct Bezorging: Sendable, Equatable {
    package var id: Int64
    package var kanaal: Kanaal
    package var ontvanger: String
    package var soort: String
    package var onderwerp: String
    package var berichtID: String
    package var webhookID: Int64?
    package var status: BezorgStatus
    package var pogingen: Int
    package var volgendePogingOp: Date?
    package var laatsteFout: String?
    package var aangemaaktOp: Date
    package var verzondenOp: Date?

    package init(id: Int64, kanaal: Kanaal, ontvanger: String, soort: String, onderwerp: String, berichtID: String,
                 webhookID: Int64?, status: BezorgStatus, pogingen: Int, volgendePogingOp: Date?, laatsteFout: String?,
                 aangemaaktOp: Date, verzondenOp: Date?) {
        self.id = id
        self.kanaal = kanaal
        self.ontvanger = ontvanger
        self.soort = soort
        self.onderwerp = onderwerp
        self.berichtID = berichtID
        self.webhookID = webhookID
        self.status = status
        self.pogingen = pogingen
        self.volgendePogingOp = volgendePogingOp
        self.laatsteFout = laatsteFout
        self.aangemaaktOp = aangemaaktOp
        self.verzondenOp = verzondenOp
    }

    /// The recipient as a person reads it: the e-mail address, or `webhook 3`.
    package var ontvangerLabel: String {
        if ontvanger.hasPrefix("email:") { return String(ontvanger.dropFirst(6)) }
        if ontvanger.hasPrefix("webhook:") { return "webhook " + ontvanger.dropFirst(8) }
        return ontvanger
    }
}

/// An entry due for delivery, with what to send.
package struct DueBezorging: Sendable, Equatable {
    package var bezorging: Bezorging
    package var inhoud: [UInt8]
    /// For a webhook: where to and with which secret.
    package var webhook: Webhook?

    package init(bezorging: Bezorging, inhoud: [UInt8], webhook: Webhook?) {
        self.bezorging = bezorging
        self.inhoud = inhoud
        self.webhook = webhook
    }
}

/// A registered webhook endpoint of the RSIV's or a council's own system.
package struct Webhook: Sendable, Equatable {
    package var id: Int64
    package var url: String
    /// The Standard Webhooks secret (`whsec_…`). Shown once, when registered; kept to sign.
    package var geheim: String
    /// The event types it gets; empty means all (also types added later).
    package var gebeurtenissen: [GebeurtenisType]
    /// Whether its events carry personal data (the indiener's name and e-mail address).
    package var persoonsgegevens: Bool
    package var omschrijving: String
    package var actief: Bool
    /// Failed attempts in a row; reset by a success or by switching it on again.
    package var mislukkingen: Int
    package var uitgeschakeldOp: Date?
    package var aangemaaktOp: Date

    package init(id: Int64, url: String, geheim: String, gebeurtenissen: [GebeurtenisType], persoonsgegevens: Bool,
                 omschrijving: String, actief: Bool, mislukkingen: Int, uitgeschakeldOp: Date?, aangemaaktOp: Date) {
        self.id = id
        self.url = url
        self.geheim = geheim
        self.gebeurtenissen = gebeurtenissen
        self.persoonsgegevens = persoonsgegevens
        self.omschrijving = omschrijving
        self.actief = actief
        self.mislukkingen = mislukkingen
        self.uitgeschakeldOp = uitgeschakeldOp
        self.aangemaaktOp = aangemaaktOp
    }

    package func wants(_ type: GebeurtenisType) -> Bool { gebeurtenissen.isEmpty || gebeurtenissen.contains(type) }

    /// The outbox's recipient key.
    package var ontvanger: String { "webhook:\(id)" }
}
