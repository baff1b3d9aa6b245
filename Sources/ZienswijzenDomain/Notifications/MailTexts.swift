import Foundation

/// The Dutch e-mails the service sends, as text and as a simple HTML rendering of the same text.
/// Pure: everything they show is passed in.
package enum MailTexts {
    /// Where the mail comes from and what it may link to.
    package struct Context: Sendable {
        package var from: MailAddress
        /// The site's public address (`--public-url`), for a link back; nil leaves links out.
        package var publicURL: String?
        package var messageID: String
        package var date: Date

        package init(from: MailAddress, publicURL: String?, messageID: String, date: Date) {
            self.from = from
            self.publicURL = publicURL
            self.messageID = messageID
            self.date = date
        }
    }

    /// The confirmation of a submitted, changed or withdrawn version, to `to` (the indiener, or
    /// the RSIV's copy address): kenmerk, time, on time or late, digest and what was submitted.
    package static func confirmation(_ versie: Versie, gemeente: Gemeente, raadpleging: Raadpleging,
                                     to: MailAddress, copy: Bool, context: Context) -> MailMessage {
        let withdrawn = versie.status == .ingetrokken
        let subject = (withdrawn ? "Intrekking zienswijze" : "Ontvangstbevestiging zienswijze")
            + " \(gemeente.naam) – \(versie.kenmerk)"
        var paragraphs: [Block] = []
        if copy {
            paragraphs.append(.text("Kopie voor de RSIV van de bevestiging aan \(versie.indiener.naam) <\(versie.indiener.email)>."))
        }
        paragraphs.append(.text("Geachte \(versie.indiener.naam),"))
        if withdrawn {
            paragraphs.append(.text("De zienswijze van de gemeenteraad van \(gemeente.naam) op ‘\(raadpleging.titel)’ is ingetrokken. "
                + "Dit bericht bevestigt de intrekking. De eerdere versies blijven bewaard."))
        } else {
            paragraphs.append(.text("Wij hebben de zienswijze van de gemeenteraad van \(gemeente.naam) op ‘\(raadpleging.titel)’ ontvangen."))
        }
        var facts: [(String, String)] = [
            ("Kenmerk", versie.kenmerk),
            ("Versie", String(versie.versie)),
            (withdrawn ? "Ingetrokken op" : "Ontvangen op", AmsterdamTime.inWords(versie.ontvangenOp)),
        ]
        if !withdrawn {
            facts.append(("Tijdig", versie.teLaat ? "Nee, na de deadline ontvangen (te laat)" : "Ja, op tijd ontvangen"))
        }
        facts.append(("Standpunt", versie.standpunt.label))
        if let datum = versie.datumRaadsbesluit { facts.append(("Datum raadsbesluit", datum.inWords)) }
        facts.append(("Ingediend door", "\(versie.indiener.naam) <\(versie.indiener.email)>"))
        facts.append(("SHA-256", versie.digest))
        paragraphs.append(.facts(facts))
        if !versie.toelichting.isEmpty {
            paragraphs.append(.heading("Toelichting"))
            paragraphs.append(.text(versie.toelichting))
        }
        if !versie.opmerkingen.isEmpty {
            paragraphs.append(.heading("Opmerkingen per thema"))
            for opmerking in versie.opmerkingen {
                let titel = raadpleging.themas.first { $0.code == opmerking.thema }?.titel ?? opmerking.thema
                paragraphs.append(.facts([(titel, opmerking.tekst)]))
            }
        }
        if !versie.bijlagen.isEmpty {
            paragraphs.append(.heading("Bijlagen"))
            paragraphs.append(.list(versie.bijlagen.map { "\($0.bestandsnaam) (\($0.grootte) bytes, SHA-256 \($0.sha256))" }))
        }
        paragraphs.append(.text("Met de SHA-256 kunt u later nagaan dat de opgeslagen versie precies deze is."
            + (context.publicURL.map { " U ziet de bevestiging ook op \($0)/raadplegingen/\(raadpleging.id)/zienswijze." } ?? "")))
        paragraphs.append(.text("Dit bericht is automatisch verstuurd; u hoeft er niet op te antwoorden."))
        return message(to: to, subject: subject, blocks: paragraphs, context: context)
    }

    /// A reminder to a griffie whose council has not (or no longer) submitted a zienswijze.
    package static func reminder(gemeente: Gemeente, raadpleging: Raadpleging, deadline: Date, now: Date,
                                 to: MailAddress, context: Context) -> MailMessage {
        let remaining = AmsterdamTime.remainingInWords(from: now, to: deadline)
        var blocks: [Block] = [
            .text("Beste griffie van \(gemeente.naam),"),
            .text("Wij hebben van de gemeenteraad van \(gemeente.naam) nog geen zienswijze ontvangen op het "
                  + "ontwerpbeleidsplan ‘\(raadpleging.titel)’."),
            .facts([("Uiterste moment", AmsterdamTime.inWords(deadline)), ("Resterende tijd", remaining)]),
        ]
        if let url = context.publicURL {
            blocks.append(.text("U kunt de zienswijze indienen via \(url)/inloggen met de toegangscode van uw griffie."))
        } else {
            blocks.append(.text("U kunt de zienswijze indienen op de website van de raadpleging, met de toegangscode van uw griffie."))
        }
        blocks.append(.text("Heeft de raad besloten geen zienswijze te geven? Dien dan het standpunt ‘Geen zienswijze’ in; "
                            + "dan weten wij dat en krijgt u geen herinneringen meer."))
        blocks.append(.text("Dit bericht is automatisch verstuurd; u hoeft er niet op te antwoorden."))
        return message(to: to, subject: "Herinnering: zienswijze \(gemeente.naam) uiterlijk \(AmsterdamTime.inWords(deadline))",
                       blocks: blocks, context: context)
    }

    /// To the RSIV: an endpoint failed too often and no longer gets events.
    package static func webhookDisabled(url: String, failures: Int, lastError: String, to: MailAddress,
                                        context: Context) -> MailMessage {
        var blocks: [Block] = [
            .text("Het webhook-eindpunt hieronder is uitgeschakeld nadat \(failures) bezorgingen achter elkaar mislukten. "
                  + "Het krijgt geen gebeurtenissen meer tot een coördinator het weer inschakelt."),
            .facts([("Eindpunt", url), ("Laatste fout", lastError)]),
        ]
        if let url = context.publicURL {
            blocks.append(.text("Zie \(url)/coordinator/bezorging om het eindpunt te controleren en weer in te schakelen."))
        }
        blocks.append(.text("Dit bericht is automatisch verstuurd."))
        return message(to: to, subject: "Webhook uitgeschakeld: \(url)", blocks: blocks, context: context)
    }

    // MARK: Rendering

    enum Block {
        case text(String)
        case heading(String)
        case facts([(String, String)])
        case list([String])
    }

    static func message(to: MailAddress, subject: String, blocks: [Block], context: Context) -> MailMessage {
        MailMessage(from: context.from, to: [to], subject: subject, date: context.date, messageID: context.messageID,
                    text: plainText(blocks), html: html(blocks, title: subject))
    }

    static func plainText(_ blocks: [Block]) -> String {
        blocks.map { block -> String in
            switch block {
            case .text(let text): text
            case .heading(let text): text + "\n" + String(repeating: "-", count: text.count)
            case .facts(let facts): facts.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
            case .list(let items): items.map { "- " + $0 }.joined(separator: "\n")
            }
        }.joined(separator: "\n\n") + "\n"
    }

    static func html(_ blocks: [Block], title: String) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(escape(title))</title>\n</head>\n"
            + "<body style=\"font-family: sans-serif; line-height: 1.5; max-width: 40em\">\n"
        for block in blocks {
            switch block {
            case .text(let text):
                out += "<p>" + escape(text).replacingOccurrences(of: "\n", with: "<br>\n") + "</p>\n"
            case .heading(let text):
                out += "<h2 style=\"font-size: 1.1em\">\(escape(text))</h2>\n"
            case .facts(let facts):
                out += "<dl>\n" + facts.map {
                    "<dt><strong>\(escape($0.0))</strong></dt>\n<dd>"
                        + escape($0.1).replacingOccurrences(of: "\n", with: "<br>\n") + "</dd>\n"
                }.joined() + "</dl>\n"
            case .list(let items):
                out += "<ul>\n" + items.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
            }
        }
        return out + "</body>\n</html>\n"
    }

    /// HTML text escaping for the mail's HTML part.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
