/// Turns a submitted body into a valid `ZienswijzeInput`, or into every reason it is not.
///
/// Both entry points report all problems at once (a griffier fixes a form once, not five times),
/// with the same Dutch reasons; JSON names problems by JSON path, a form by field name.
package enum SubmissionDecoder {
    /// A JSON body (UTF-8). Not JSON or not an object: `.malformed` (400). Otherwise every problem
    /// as `.invalid` (422): unknown members (`kleur`, `indiener.telefoon`, `opmerkingen[1].x`),
    /// wrong types, and the rules of `FieldChecker`. `toelichting` and `opmerkingen` may be absent
    /// or null; `datumRaadsbesluit` may be absent or null only for `geen-zienswijze`.
    package static func fromJSON(_ body: [UInt8], rules: SubmissionRules) -> Result<ZienswijzeInput, SubmissionError> {
        fromJSONKeeping(body, rules: rules).map(\.input)
    }

    /// `fromJSON`, plus the body's optional `bijlagen`: the ids of the current version's
    /// attachments that the new version carries (absent or null: all of them, as before; `[]`:
    /// none). Whether each id is one of them is the operation's to judge; here only the shape.
    package static func fromJSONKeeping(_ body: [UInt8], rules: SubmissionRules)
        -> Result<(input: ZienswijzeInput, keeping: [String]?), SubmissionError> {
        let root: JSONValue
        do {
            root = try JSONValue.parse(body)
        } catch {
            return .failure(.malformed(error.detail))
        }
        guard case .object(let members) = root else {
            return .failure(.malformed("De body moet een JSON-object zijn, geen \(root.typeNameDutch)."))
        }
        var check = FieldChecker(rules: rules)
        let top = Members(members, known: ["standpunt", "datumRaadsbesluit", "indiener", "toelichting", "opmerkingen", "bijlagen"])

        var standpunt: Standpunt?
        if let raw = string(top["standpunt"], "standpunt", &check) {
            standpunt = check.standpunt(raw, name: "standpunt")
        }
        var datum: LocalDate??
        if let raw = string(top["datumRaadsbesluit"], "datumRaadsbesluit", &check) {
            datum = check.datum(raw, standpunt: standpunt, name: "datumRaadsbesluit")
        }

        var naam: String?, email: String?
        switch top["indiener"] {
        case nil, .null?:
            naam = check.naam(nil, name: "indiener.naam")
            email = check.email(nil, name: "indiener.email")
        case .object(let fields)?:
            let indiener = Members(fields, known: ["naam", "email"])
            if let raw = string(indiener["naam"], "indiener.naam", &check) {
                naam = check.naam(raw, name: "indiener.naam")
            }
            if let raw = string(indiener["email"], "indiener.email", &check) {
                email = check.email(raw, name: "indiener.email")
            }
            for key in indiener.unknown { check.report("indiener.\(key)", Reason.unknownField) }
        case .some:
            check.report("indiener", Reason.indienerObject)
        }

        var toelichting: String? = ""
        switch top["toelichting"] {
        case nil, .null?: break
        case .string(let s)?: toelichting = check.toelichting(s, name: "toelichting")
        case .some: check.report("toelichting", Reason.mustBeText); toelichting = nil
        }

        var opmerkingen: [Opmerking]? = []
        switch top["opmerkingen"] {
        case nil, .null?: break
        case .array(let elements)?:
            var seen = Set<String>()
            for (n, element) in elements.enumerated() {
                let path = "opmerkingen[\(n)]"
                guard case .object(let fields) = element else {
                    check.report(path, Reason.opmerkingObject)
                    opmerkingen = nil
                    continue
                }
                let item = Members(fields, known: ["thema", "tekst"])
                var thema: String?, tekst: String?
                if let raw = string(item["thema"], "\(path).thema", &check) {
                    thema = check.thema(raw, name: "\(path).thema", seen: &seen)
                }
                if let raw = string(item["tekst"], "\(path).tekst", &check) {
                    tekst = check.tekst(raw, name: "\(path).tekst")
                }
                for key in item.unknown { check.report("\(path).\(key)", Reason.unknownField) }
                if let thema, let tekst { opmerkingen?.append(Opmerking(thema: thema, tekst: tekst)) } else { opmerkingen = nil }
            }
        case .some:
            check.report("opmerkingen", Reason.mustBeList)
            opmerkingen = nil
        }

        var keeping: [String]?
        switch top["bijlagen"] {
        case nil, .null?: break
        case .array(let elements)?:
            keeping = []
            for (n, element) in elements.enumerated() {
                if case .string(let id) = element {
                    keeping?.append(id)
                } else {
                    check.report("bijlagen[\(n)]", Reason.attachmentID)
                }
            }
        case .some: check.report("bijlagen", Reason.mustBeList)
        }

        for key in top.unknown { check.report(key, Reason.unknownField) }

        guard check.problems.isEmpty, let standpunt, let datum, let naam, let email, let toelichting, let opmerkingen else {
            return .failure(.invalid(check.problems))
        }
        return .success((ZienswijzeInput(standpunt: standpunt, datumRaadsbesluit: datum,
                                         indiener: Indiener(naam: naam, email: email),
                                         toelichting: toelichting, opmerkingen: opmerkingen), keeping))
    }

    /// The attachments a form keeps: nil when it has no `bijlagen` field (all are carried), else
    /// the non-empty `bijlagen` values. The web form sends an empty `bijlagen` first, so a form
    /// with every box unticked still says "none".
    package static func keeping(fromForm fields: [(String, String)]) -> [String]? {
        let values = fields.filter { $0.0 == "bijlagen" }.map(\.1)
        return values.isEmpty ? nil : values.filter { !$0.isEmpty }
    }

    /// Form fields (an urlencoded web form, or the text parts of a multipart form), in order.
    /// Names: `standpunt`, `datumRaadsbesluit`, `indiener.naam`, `indiener.email`, `toelichting`,
    /// and `opmerking.<thema>` for each theme (empty: no remark on that theme). Empty fields count
    /// as absent. Any other name, an `opmerking.` with an unknown theme, or a name given twice is a
    /// problem, except names in `ignoring` (such as `csrf` or the file part `bestand`).
    ///
    /// Line breaks in texts are stored as `\n`: browsers send a textarea's line breaks as CRLF,
    /// and the same letter should give the same content (and digest) through the API.
    package static func fromForm(_ fields: [(String, String)], rules: SubmissionRules,
                                 ignoring: Set<String> = []) -> Result<ZienswijzeInput, SubmissionError> {
        var check = FieldChecker(rules: rules)
        var values: [String: String] = [:]
        var remarks: [(name: String, thema: String, tekst: String)] = []
        var strays: [(String, String)] = []
        var counted = Set<String>()
        let simple: Set<String> = ["standpunt", "datumRaadsbesluit", "indiener.naam", "indiener.email", "toelichting"]
        for (name, value) in fields where !ignoring.contains(name) {
            guard counted.insert(name).inserted else {
                strays.append((name, Reason.repeatedField))
                continue
            }
            if simple.contains(name) {
                values[name] = value
            } else if name.hasPrefix("opmerking.") {
                let thema = String(name.dropFirst("opmerking.".count))
                if rules.themas.contains(thema) {
                    remarks.append((name, thema, normalizedLineBreaks(value)))
                } else {
                    strays.append((name, Reason.unknownThema(rules.themas)))
                }
            } else {
                strays.append((name, Reason.unknownField))
            }
        }

        let standpunt = check.standpunt(values["standpunt"], name: "standpunt")
        let datum = check.datum(values["datumRaadsbesluit"], standpunt: standpunt, name: "datumRaadsbesluit")
        let naam = check.naam(values["indiener.naam"], name: "indiener.naam")
        let email = check.email(values["indiener.email"], name: "indiener.email")
        let toelichting = check.toelichting(normalizedLineBreaks(values["toelichting"] ?? ""), name: "toelichting")
        var opmerkingen: [Opmerking]? = []
        var seen = Set<String>()
        for remark in remarks where !remark.tekst.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            if let thema = check.thema(remark.thema, name: remark.name, seen: &seen),
               let tekst = check.tekst(remark.tekst, name: remark.name) {
                opmerkingen?.append(Opmerking(thema: thema, tekst: tekst))
            } else {
                opmerkingen = nil
            }
        }
        for (name, reason) in strays { check.report(name, reason) }

        guard check.problems.isEmpty, let standpunt, let datum, let naam, let email, let toelichting, let opmerkingen else {
            return .failure(.invalid(check.problems))
        }
        return .success(ZienswijzeInput(standpunt: standpunt, datumRaadsbesluit: datum,
                                        indiener: Indiener(naam: naam, email: email),
                                        toelichting: toelichting, opmerkingen: opmerkingen))
    }

    // MARK: - Helpers

    /// A member that should be a string: `.some(value)` for a string, `.some(nil)` when absent or
    /// null (the checker then says whether that is allowed), nil for any other type, which is
    /// reported here as "moet een tekst zijn".
    private static func string(_ value: JSONValue?, _ name: String, _ check: inout FieldChecker) -> String?? {
        switch value {
        case nil, .null?: return .some(nil)
        case .string(let s)?: return .some(s)
        case .some: check.report(name, Reason.mustBeText); return nil
        }
    }

    private static func normalizedLineBreaks(_ s: String) -> String {
        guard s.utf8.contains(0x0D) else { return s }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for c in s.unicodeScalars {
            if previousCR, c != "\n" { out.append("\r") }
            previousCR = c == "\r"
            if !previousCR { out.append(c) }
        }
        if previousCR { out.append("\r") }
        return String(out)
    }
}

/// A JSON object's members by name, and the names that are not `known`, in order.
private struct Members {
    private let members: [(String, JSONValue)]
    let unknown: [String]

    init(_ members: [(String, JSONValue)], known: Set<String>) {
        self.members = members
        unknown = members.map(\.0).filter { !known.contains($0) }
    }

    subscript(name: String) -> JSONValue? { members.first(where: { $0.0 == name })?.1 }
}
