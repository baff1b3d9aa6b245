import Crypto
import Foundation

/// The state a version is shown in (`status` in the API).
package enum VersieStatus: String, Sendable, Codable {
    case ingediend
    case teLaat = "te-laat"
    case ingetrokken
}

/// One stored version of a council's zienswijze, as `GET .../zienswijzen/{gemeente}` and
/// `.../versies/{n}` return it.
package struct Versie: Sendable, Equatable {
    /// The consultation id (`coalitie-voor-veiligheid-2023-2026`). Part of the object and of the
    /// digest, so a receipt cannot be presented as one for another consultation.
    package var raadpleging: String
    /// CBS code, `GM0518`.
    package var gemeente: String
    package var versie: Int
    package var kenmerk: String
    package var status: VersieStatus
    package var ontvangenOp: Date
    package var teLaat: Bool
    package var standpunt: Standpunt
    package var datumRaadsbesluit: LocalDate?
    package var indiener: Indiener
    package var toelichting: String
    package var opmerkingen: [Opmerking]
    package var bijlagen: [Bijlage]
    /// The deadline in force when this version was received (nil: none was set, or the version
    /// was stored before this was kept). `teLaat` and `status` were judged against it.
    package var deadlineBijOntvangst: Date?

    package init(raadpleging: String, gemeente: String, versie: Int, kenmerk: String, status: VersieStatus,
                 ontvangenOp: Date, teLaat: Bool, standpunt: Standpunt, datumRaadsbesluit: LocalDate?,
                 indiener: Indiener, toelichting: String, opmerkingen: [Opmerking], bijlagen: [Bijlage],
                 deadlineBijOntvangst: Date? = nil) {
        self.raadpleging = raadpleging
        self.gemeente = gemeente
        self.versie = versie
        self.kenmerk = kenmerk
        self.status = status
        self.ontvangenOp = ontvangenOp
        self.teLaat = teLaat
        self.standpunt = standpunt
        self.datumRaadsbesluit = datumRaadsbesluit
        self.indiener = indiener
        self.toelichting = toelichting
        self.opmerkingen = opmerkingen
        self.bijlagen = bijlagen
        self.deadlineBijOntvangst = deadlineBijOntvangst
    }

    /// The JSON object GET returns, members in this order: `raadpleging`, `gemeente`, `versie`,
    /// `kenmerk`, `status`, `ontvangenOp` (Europe/Amsterdam, RFC 3339 with offset, whole
    /// seconds), `teLaat`, `sha256`, `standpunt`, `datumRaadsbesluit` (`null` when absent),
    /// `indiener` {`naam`, `email`}, `toelichting`, `opmerkingen` [{`thema`, `tekst`}],
    /// `bijlagen` [{`id`, `bestandsnaam`, `mediatype`, `grootte`, `sha256`}]; after `teLaat`,
    /// `deadlineBijOntvangst` only when known (a version stored without one keeps its digest).
    /// Pass `digest` as `sha256` (the store may pass a digest it saved, which must be equal).
    package func json(sha256: String) -> JSONValue {
        var members = contentMembers
        let at = (members.firstIndex(where: { $0.0 == "deadlineBijOntvangst" })
            ?? members.firstIndex(where: { $0.0 == "teLaat" }) ?? members.count - 1) + 1
        members.insert(("sha256", .string(sha256)), at: at)
        return .object(members)
    }

    /// The digest of the version, as `sha256` in the GET object and the receipt.
    ///
    /// Recipe, to check a GET response or receipt yourself:
    /// 1. take the version object exactly as GET returns it (for a receipt: its `zienswijze` member);
    /// 2. remove its top-level `sha256` member (the attachments' own `sha256` members stay);
    /// 3. canonicalize what is left with the JSON Canonicalization Scheme, RFC 8785 (JCS: members
    ///    sorted by name in UTF-16 code unit order, no whitespace, ECMAScript number form, minimal
    ///    string escaping), giving UTF-8 bytes;
    /// 4. compute SHA-256 over those bytes and write it as 64 lowercase hexadecimal digits.
    /// The result equals `sha256`. Any RFC 8785 library does step 3. Because every member name in
    /// this object is ASCII and every number an integer, Python's standard library gives the same
    /// bytes too (checked by a test against a fixed vector):
    /// `v = json.loads(body); del v["sha256"]; hashlib.sha256(json.dumps(v, sort_keys=True,
    /// separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()`.
    ///
    /// The digest covers every member, including `raadpleging`, `status` and `bijlagen`: a version
    /// whose status or attachments change gets another digest.
    package var digest: String {
        Hex.encode(SHA256.hash(data: JSONValue.object(contentMembers).canonical()))
    }

    /// The ontvangstbevestiging (receipt) a successful PUT returns: `kenmerk`, `versie`,
    /// `ontvangenOp`, `teLaat`, `deadlineBijOntvangst` (null when none was in force), `sha256`,
    /// and the version itself as `zienswijze`.
    package func receiptJSON(sha256: String) -> JSONValue {
        [
            "kenmerk": .string(kenmerk),
            "versie": .int(versie),
            "ontvangenOp": .string(AmsterdamTime.rfc3339(ontvangenOp)),
            "teLaat": .bool(teLaat),
            "deadlineBijOntvangst": .string(deadlineBijOntvangst.map(AmsterdamTime.rfc3339)),
            "sha256": .string(sha256),
            "zienswijze": json(sha256: sha256),
        ]
    }

    /// Every member except `sha256`, in response order.
    private var contentMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("raadpleging", .string(raadpleging)),
            ("gemeente", .string(gemeente)),
            ("versie", .int(versie)),
            ("kenmerk", .string(kenmerk)),
            ("status", .string(status.rawValue)),
            ("ontvangenOp", .string(AmsterdamTime.rfc3339(ontvangenOp))),
            ("teLaat", .bool(teLaat)),
            ("standpunt", .string(standpunt.rawValue)),
            ("datumRaadsbesluit", .string(datumRaadsbesluit?.iso)),
            ("indiener", ["naam": .string(indiener.naam), "email": .string(indiener.email)]),
            ("toelichting", .string(toelichting)),
            ("opmerkingen", .array(opmerkingen.map { ["thema": .string($0.thema), "tekst": .string($0.tekst)] })),
            ("bijlagen", .array(bijlagen.map(\.json))),
        ]
        if let deadlineBijOntvangst, let at = members.firstIndex(where: { $0.0 == "teLaat" }) {
            members.insert(("deadlineBijOntvangst", .string(AmsterdamTime.rfc3339(deadlineBijOntvangst))), at: at + 1)
        }
        return members
    }
}

/// The receipt number a council quotes: `ZW-2026-GM0518-0002`.
package enum Kenmerk {
    /// `year` is the Amsterdam year of receipt (`AmsterdamTime.year(ontvangenOp)`); `versie` is
    /// zero-padded to four digits (more digits when ever needed, never cut).
    package static func make(year: Int, gemeente: String, versie: Int) -> String {
        let v = String(versie)
        return "ZW-\(year)-\(gemeente)-\(String(repeating: "0", count: max(0, 4 - v.count)))\(v)"
    }
}

/// Lowercase hexadecimal.
package enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    package static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Versie {
    /// The submitted content of this version, to repeat it in a withdrawal or an attachment version.
    package var input: ZienswijzeInput {
        ZienswijzeInput(standpunt: standpunt, datumRaadsbesluit: datumRaadsbesluit, indiener: indiener,
                        toelichting: toelichting, opmerkingen: opmerkingen)
    }

    /// What a new version is: a submission (ingediend, or te-laat past the deadline) or a withdrawal.
    package enum Kind: Sendable {
        case submission
        case withdrawal
    }

    /// The version that follows `previous` (nil for the first) of `gemeente` in `raadpleging`,
    /// received at `now`: the next number, its kenmerk, its status, and whether it is late by the
    /// deadline in force. `now` is cut to whole seconds, so the time a receipt shows is the time
    /// lateness was judged by.
    package static func next(
        in raadpleging: Raadpleging, gemeente: String, after previous: Versie?, kind: Kind, input: ZienswijzeInput,
        bijlagen: [Bijlage], at now: Date
    ) -> Versie {
        let received = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let late = isLate(receivedAt: received, deadline: raadpleging.deadline)
        let number = (previous?.versie ?? 0) + 1
        let status: VersieStatus = switch kind {
        case .withdrawal: .ingetrokken
        case .submission: late ? .teLaat : .ingediend
        }
        return Versie(
            raadpleging: raadpleging.id, gemeente: gemeente, versie: number,
            kenmerk: Kenmerk.make(year: AmsterdamTime.year(received), gemeente: gemeente, versie: number),
            status: status, ontvangenOp: received, teLaat: late, standpunt: input.standpunt,
            datumRaadsbesluit: input.datumRaadsbesluit, indiener: input.indiener, toelichting: input.toelichting,
            opmerkingen: input.opmerkingen, bijlagen: bijlagen, deadlineBijOntvangst: raadpleging.deadline)
    }
}
