import Foundation
import Testing
import ZienswijzenDomain

/// The pure parts of notifications: MIME mail, CloudEvents, the Standard Webhooks signature, the
/// backoff and reminder schedules, and which webhook targets are refused.
@Suite struct NotificationFormatTests {
    static let versie = Versie(
        raadpleging: "coalitie-voor-veiligheid-2023-2026", gemeente: "GM0503", versie: 2, kenmerk: "ZW-2026-GM0503-0002",
        status: .teLaat, ontvangenOp: Date(timeIntervalSince1970: 1_795_000_000), teLaat: true,
        standpunt: .instemmendMetOpmerkingen, datumRaadsbesluit: LocalDate(iso: "2026-11-20"),
        indiener: Indiener(naam: "Jölle van ’s-Gravesande", email: "griffie@delft.example.nl"),
        toelichting: "Een lange toelichting met accenten: één, twee, drie; café, naïef. " + String(repeating: "Zin met = teken en € bedrag. ", count: 8)
            + "\n.Regel die met een punt begint\nFrom the council\nRegel met spatie aan het eind ",
        opmerkingen: [Opmerking(thema: "cybercrime", tekst: "Opmerking over dit thema.")], bijlagen: [])
    static let raadpleging = Raadpleging(
        id: "coalitie-voor-veiligheid-2023-2026", titel: "Coalitie voor veiligheid 2023-2026",
        deadline: Date(timeIntervalSince1970: 1_794_000_000), rboVergadering: nil, status: .open,
        themas: [Thema(code: "cybercrime", titel: "Cybercrime en gedigitaliseerde criminaliteit", samenvatting: "")])
    static let context = MailTexts.Context(from: MailAddress("zienswijzen@rsiv.example.nl", name: "Zienswijzen RSIV"),
                                           publicURL: "https://zienswijzen.example.nl", messageID: "abc123@rsiv.example.nl",
                                           date: Date(timeIntervalSince1970: 1_795_000_000))

    static func confirmation() -> [UInt8] {
        MailTexts.confirmation(versie, gemeente: Gemeente(code: "GM0503", naam: "Delft", regio: "Haaglanden"),
                               raadpleging: raadpleging, to: MailAddress(versie.indiener.email, name: versie.indiener.naam),
                               copy: false, context: context).rendered()
    }

    /// Splits a rendered message into header lines (unfolded) and body.
    static func split(_ bytes: [UInt8]) -> (headers: [String: String], body: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        var headers: [String: String] = [:]
        for line in parts[0].replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return (headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Decodes RFC 2047 B-words, as a mail client would.
    static func decodeWords(_ value: String) -> String {
        value.components(separatedBy: " ").map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return word + " " }
            let b64 = String(word.dropFirst(10).dropLast(2))
            return String(decoding: Data(base64Encoded: b64) ?? Data(), as: UTF8.self)
        }.joined().trimmingCharacters(in: .whitespaces)
    }

    /// Quoted-printable decoding (RFC 2045 §6.7).
    static func decodeQP(_ text: String) -> String {
        var bytes: [UInt8] = []
        let joined = text.replacingOccurrences(of: "=\r\n", with: "")
        var iterator = Array(joined.utf8).makeIterator()
        while let b = iterator.next() {
            if b == UInt8(ascii: "="), let h = iterator.next(), let l = iterator.next(),
               let value = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func mailHasTheHeadersAMailClientNeeds() {
        let (headers, _) = Self.split(Self.confirmation())
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Auto-Submitted"] == "auto-generated")
        #expect(headers["Message-ID"] == "<abc123@rsiv.example.nl>")
        #expect(headers["From"] == "\"Zienswijzen RSIV\" <zienswijzen@rsiv.example.nl>")
        #expect(headers["Date"] == "Wed, 18 Nov 2026 12:06:40 +0100")
        #expect(headers["Content-Type"]?.hasPrefix("multipart/alternative; boundary=\"=_zw_abc123\"") == true)
        // Non-ASCII in the subject and in the display name: RFC 2047 encoded-words that decode back.
        #expect(headers["Subject"]?.hasPrefix("=?UTF-8?B?") == true)
        #expect(Self.decodeWords(headers["Subject"] ?? "") == "Ontvangstbevestiging zienswijze Delft – ZW-2026-GM0503-0002")
        let to = headers["To"] ?? ""
        #expect(to.hasSuffix("<griffie@delft.example.nl>"))
        #expect(Self.decodeWords(String(to.dropLast("<griffie@delft.example.nl>".count))) == "Jölle van ’s-Gravesande")
    }

    @Test func everyLineIsCRLFAndAtMost76Characters() {
        let text = String(decoding: Self.confirmation(), as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "too long: \(line)")
            #expect(line.utf8.allSatisfy { $0 < 0x80 }, "8-bit byte in: \(line)")
        }
    }

    @Test func bothPartsAreQuotedPrintableUTF8AndDecodeToTheText() throws {
        let (_, body) = Self.split(Self.confirmation())
        let parts = body.components(separatedBy: "--=_zw_abc123")
        #expect(parts.count == 4)  // preamble, text, html, "--" epilogue
        let plain = parts[1], html = parts[2]
        #expect(plain.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"))
        #expect(html.contains("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"))
        let decoded = Self.decodeQP(plain.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"))
        #expect(decoded.contains("Kenmerk: ZW-2026-GM0503-0002"))
        #expect(decoded.contains("Tijdig: Nee, na de deadline ontvangen (te laat)"))
        #expect(decoded.contains("SHA-256: \(Self.versie.digest)"))
        #expect(decoded.contains("één, twee, drie; café, naïef"))
        #expect(decoded.contains("Zin met = teken en € bedrag."))
        #expect(decoded.contains("Cybercrime en gedigitaliseerde criminaliteit: Opmerking over dit thema."))
        #expect(decoded.contains("\r\n.Regel die met een punt begint\r\nFrom the council\r\nRegel met spatie aan het eind \r\n"))
        // A leading dot, "From " and trailing space are escaped in the encoded form.
        #expect(plain.contains("=2ERegel die met een punt begint"))
        #expect(plain.contains("=46rom the council"))
        #expect(plain.contains("eind=20"))
        let decodedHTML = Self.decodeQP(html.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"))
        #expect(decodedHTML.contains("<html lang=\"nl\">"))
        #expect(decodedHTML.contains("Jölle van ’s-Gravesande &lt;griffie@delft.example.nl&gt;"))
    }

    @Test func quotedPrintableSplitsLongLinesWithoutBreakingAnEscape() {
        let encoded = QuotedPrintable.encode(String(repeating: "é", count: 60))
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.count <= 76)
            #expect(!line.dropLast().hasSuffix("="), "an escape was split: \(line)")
        }
        #expect(Self.decodeQP(encoded) == String(repeating: "é", count: 60))
    }

    @Test func headerValuesCannotInjectHeaders() {
        let header = MailHeaders.encodedHeader("Subject", "Hallo\r\nBcc: evil@example.com")
        #expect(!header.contains("\r\nBcc"))
    }

    @Test func cloudEventCarriesTheNLGOVAttributesAndLeavesPersonalDataOut() throws {
        let gebeurtenis = Gebeurtenis.versie(Self.versie, .submitted, in: Self.raadpleging)
        #expect(gebeurtenis.type == .zienswijzeTeLaat)
        let event = CloudEvent(gebeurtenis, id: "0b5e1d53-8f1c-4e0e-9d6a-3f1f4a0c9e11", source: CloudEvent.defaultSource, personal: false)
        let json = try JSONValue.parse(event.body)
        #expect(json["specversion"] == "1.0")
        #expect(json["type"] == "nl.rsiv-haaglanden.zienswijzen.zienswijze-te-laat")
        #expect(json["source"]?.stringValue?.hasPrefix("urn:") == true)
        #expect(json["subject"] == "ZW-2026-GM0503-0002")
        #expect(json["time"] == "2026-11-18T11:06:40Z")
        #expect(json["datacontenttype"] == "application/json")
        #expect(json["data"]?["kenmerk"] == "ZW-2026-GM0503-0002")
        #expect(json["data"]?["sha256"] == .string(Self.versie.digest))
        #expect(json["data"]?["indiener"] == nil)
        let personal = try JSONValue.parse(CloudEvent(gebeurtenis, id: "x", source: CloudEvent.defaultSource, personal: true).body)
        #expect(personal["data"]?["indiener"]?["email"] == "griffie@delft.example.nl")
    }

    @Test func eventTypesFollowTheKindOfVersion() {
        var v = Self.versie
        v.teLaat = false
        v.versie = 1
        #expect(Gebeurtenis.versie(v, .submitted, in: Self.raadpleging).type == .zienswijzeIngediend)
        v.versie = 3
        #expect(Gebeurtenis.versie(v, .submitted, in: Self.raadpleging).type == .zienswijzeGewijzigd)
        #expect(Gebeurtenis.versie(v, .withdrawn, in: Self.raadpleging).type == .zienswijzeIngetrokken)
        #expect(Gebeurtenis.versie(v, .attachmentAdded, in: Self.raadpleging).type == .bijlageToegevoegd)
        #expect(CloudEvent.isValidSource("urn:nld:oin:00000001823288444000:systeem:zienswijzen"))
        #expect(!CloudEvent.isValidSource("https://example.nl"))
        #expect(!CloudEvent.isValidSource("urn::x"))
    }

    /// The example in the Standard Webhooks specification.
    @Test func signatureMatchesTheStandardWebhooksExample() {
        let signature = StandardWebhooks.signature(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                                   timestamp: 1_614_265_330, body: Array("{\"test\": 2432232314}".utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let secret = StandardWebhooks.newSecret()
        #expect(secret.hasPrefix("whsec_") && StandardWebhooks.key(secret: secret)?.count == 32)
        #expect(StandardWebhooks.signature(secret: "whsec_!!!", id: "x", timestamp: 1, body: []) == nil)
    }

    @Test func backoffDoublesUpToTheMaximumAndStopsAfterTheLastAttempt() {
        let policy = RetryPolicy()
        #expect((1...11).map { policy.delay(afterAttempt: $0) } == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600])
        #expect(policy.delay(afterAttempt: 12) == nil)
        let fast = RetryPolicy(initialDelay: 1, maxDelay: 4, maxAttempts: 4)
        #expect([1, 2, 3, 4].map { fast.delay(afterAttempt: $0) } == [1, 2, 4, nil])
        #expect(RetryPolicy(initialDelay: 1, maxDelay: 1, maxAttempts: 1).delay(afterAttempt: 1) == nil)
    }

    @Test func reminderStepsAreReachedOnceEachAndNeverAfterTheDeadline() throws {
        // 1 December 2026 17:00 Amsterdam (CET, +01:00).
        let deadline = try #require(AmsterdamTime.parseRFC3339("2026-12-01T17:00:00+01:00"))
        let schedule = ReminderSchedule.standard
        let at = { (text: String) in AmsterdamTime.parseRFC3339(text)! }
        #expect(schedule.due(deadline: deadline, now: at("2026-11-17T16:59:59+01:00"), done: []) == (nil, []))
        #expect(schedule.due(deadline: deadline, now: at("2026-11-17T17:00:00+01:00"), done: []) == (14, [14]))
        #expect(schedule.due(deadline: deadline, now: at("2026-11-20T12:00:00+01:00"), done: [14]) == (nil, []))
        // After a pause: one reminder, for the nearest step, and both steps recorded.
        #expect(schedule.due(deadline: deadline, now: at("2026-11-29T18:00:00+01:00"), done: []) == (2, [14, 7, 2]))
        #expect(schedule.due(deadline: deadline, now: at("2026-11-30T17:00:00+01:00"), done: [14, 7, 2]) == (1, [1]))
        #expect(schedule.due(deadline: deadline, now: at("2026-12-01T17:00:01+01:00"), done: []) == (nil, []))
        // Across the change to winter time (25 October 2026): 14 days before 2 November 17:00 is 19 October 17:00 (+02:00).
        let afterDST = try #require(AmsterdamTime.parseRFC3339("2026-11-02T17:00:00+01:00"))
        #expect(ReminderSchedule.instant(14, before: afterDST) == at("2026-10-19T17:00:00+02:00"))
        #expect(ReminderSchedule(text: "1,7,14") == ReminderSchedule(days: [14, 7, 1]))
        #expect(ReminderSchedule(text: "7,7") == nil)
        #expect(ReminderSchedule(text: "0") == nil)
        #expect(ReminderSchedule(text: "x") == nil)
        #expect(ReminderSchedule(text: "")?.days == [])
    }

    @Test func privateAndLocalTargetsAreRefusedUnlessAllowed() {
        for url in ["https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/", "https://192.168.1.1/", "https://172.20.0.1/",
                    "https://169.254.169.254/latest", "https://[::1]/", "https://[fd00::1]/", "https://[fe80::1]/",
                    "https://[::ffff:127.0.0.1]/", "https://0.0.0.0/", "https://100.64.0.1/"] {
            #expect(WebhookTarget.problem(url, allowPrivate: false) != nil, "\(url) accepted")
            #expect(WebhookTarget.problem(url, allowPrivate: true) == nil, "\(url) refused though allowed")
        }
        #expect(WebhookTarget.problem("https://systeem.example.nl/hook", allowPrivate: false) == nil)
        #expect(WebhookTarget.problem("https://93.184.216.34/hook", allowPrivate: false) == nil)
        #expect(WebhookTarget.problem("http://systeem.example.nl/hook", allowPrivate: false) != nil)
        #expect(WebhookTarget.problem("http://127.0.0.1:9000/hook", allowPrivate: true) == nil)
        #expect(WebhookTarget.problem("https://user:pw@systeem.example.nl/", allowPrivate: false) != nil)
        #expect(WebhookTarget.problem("ftp://systeem.example.nl/", allowPrivate: true) != nil)
        #expect(WebhookTarget.problem("geen url", allowPrivate: true) != nil)
        #expect(WebhookTarget.isPublic([8, 8, 8, 8]))
        #expect(!WebhookTarget.isPublic([224, 0, 0, 1]))
    }
}
