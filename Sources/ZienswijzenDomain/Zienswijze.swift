/// Who submitted, as the council states it (not the token's owner: a griffier may submit for a colleague).
package struct Indiener: Sendable, Equatable, Codable {
    package var naam: String
    package var email: String
    package init(naam: String, email: String) {
        self.naam = naam
        self.email = email
    }
}

/// A remark on one theme of the consultation.
package struct Opmerking: Sendable, Equatable, Codable {
    /// A thema code of the consultation, e.g. `cybercrime`.
    package var thema: String
    package var tekst: String
    package init(thema: String, tekst: String) {
        self.thema = thema
        self.tekst = tekst
    }
}

/// What a council submits, after validation by `SubmissionDecoder`: every value here obeys the
/// rules (known standpunt, date not in the future, valid e-mail, known and unique themes, limits).
package struct ZienswijzeInput: Sendable, Equatable {
    package var standpunt: Standpunt
    /// Nil only when absent, which is allowed only for `geen-zienswijze`.
    package var datumRaadsbesluit: LocalDate?
    package var indiener: Indiener
    /// Free text; "" when not given.
    package var toelichting: String
    /// In the order submitted; each thema at most once.
    package var opmerkingen: [Opmerking]

    package init(standpunt: Standpunt, datumRaadsbesluit: LocalDate?, indiener: Indiener,
                 toelichting: String, opmerkingen: [Opmerking]) {
        self.standpunt = standpunt
        self.datumRaadsbesluit = datumRaadsbesluit
        self.indiener = indiener
        self.toelichting = toelichting
        self.opmerkingen = opmerkingen
    }
}

/// One entry of a problem's `invalidParams` (RFC 9457 extension used by the Dutch API Design Rules).
package struct InvalidParam: Sendable, Equatable, Codable {
    /// The JSON path (`indiener.email`, `opmerkingen[0].thema`) or, for a form, the field name.
    package var name: String
    /// Dutch, for the person who has to fix it.
    package var reason: String
    package init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }
}

/// Why a submission was refused.
package enum SubmissionError: Error, Sendable, Equatable {
    /// Not JSON, or not a JSON object: 400, with a Dutch detail.
    case malformed(String)
    /// Well-formed but breaking the rules: 422, with every problem found.
    case invalid([InvalidParam])
}
