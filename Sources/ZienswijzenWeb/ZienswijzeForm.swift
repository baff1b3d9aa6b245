import Foundation
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// One text field of a form as a template shows it: its label, hint, value, and the error to show
/// at the field. `describedBy` joins the hint's and the error's ids for `aria-describedby`.
struct FieldView {
    var id: String
    var name: String
    var label: String
    var value: String
    var hint: String?
    var error: String?
    var optional: Bool
    var maxlength: Int
    /// The limit as a page writes it ("10.000"), for the texts that show it instead of cutting off.
    var maxlengthText: String
    /// For a theme's remark: the theme's summary, shown as the hint.
    var describedBy: String?

    init(id: String, name: String, label: String, value: String, hint: String?, error: String?,
         optional: Bool, maxlength: Int) {
        self.id = id
        self.name = name
        self.label = label
        self.value = value
        self.hint = hint
        self.error = error
        self.optional = optional
        self.maxlength = maxlength
        maxlengthText = maxlength.formatted(.number.grouping(.automatic).locale(Locale(identifier: "nl_NL")))
        let ids = [hint == nil ? nil : id + "-hint", error == nil ? nil : id + "-error"].compactMap { $0 }
        describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

struct RadioView {
    var id: String
    var value: String
    var label: String
    var hint: String
    var checked: Bool
}

/// An attachment of the current version on the form, with its box "Meenemen in de nieuwe versie".
struct EarlierBijlageView {
    var id: String
    var inputID: String
    var href: String
    var bestandsnaam: String
    var grootte: String
    var checked: Bool
}

/// A line of the error summary: a link to the field and the message shown there too.
struct ErrorItem {
    var href: String
    var message: String
}

struct ZienswijzeFormView {
    var csrf: String
    /// Where the form is sent, and where the current version is withdrawn.
    var action: String
    var withdrawHref: String
    var requiresDecision: Bool
    var gemeente: String
    var consultatie: String
    var errors: [ErrorItem]
    var hasErrors: Bool
    var standpuntError: String?
    var standpuntDescribedBy: String
    var standpunten: [RadioView]
    var datum: DateFieldView
    var naam: FieldView
    var email: FieldView
    var toelichting: FieldView
    var themas: [FieldView]
    var bestand: FieldView
    /// Set after a failed submit that carried a file: browsers never keep a chosen file.
    var bestandOpnieuw: String?
    var bijlagen: [EarlierBijlageView]
    var hasBijlagen: Bool
    var bijlagenError: String?
    /// The decision's "(optioneel)" shows only while "geen zienswijze" is chosen (with JavaScript).
    var optionalUnlessDecision: Bool
    var current: VersionView?
    var deadline: String?
    var remaining: String?
    var past: Bool
    var submitLabel: String
}

/// Builds the zienswijze form from the values to show (the current version's, or what was just
/// typed) and the problems `SubmissionBody.decode` found. The problems use the API's field names
/// and reasons; here they get a field id to link to and a sentence a griffier can act on.
struct ZienswijzeFormBuilder {
    var consultation: Raadpleging
    var gemeente: String
    var csrf: String

    static let standpuntHints: [Standpunt: String] = [
        .instemmend: "De raad stemt in met het ontwerpbeleidsplan.",
        .instemmendMetOpmerkingen: "De raad stemt in en geeft opmerkingen mee.",
        .nietInstemmend: "De raad stemt niet in met het ontwerpbeleidsplan.",
        .geenZienswijze: "De raad geeft geen zienswijze. De datum van een raadsbesluit is dan niet nodig.",
    ]

    /// The values of the current version, in the form's field names.
    static func values(of version: Versie) -> [String: String] {
        var values = [
            "standpunt": version.standpunt.rawValue,
            "indiener.naam": version.indiener.naam,
            "indiener.email": version.indiener.email,
            "toelichting": version.toelichting,
        ]
        for opmerking in version.opmerkingen { values["opmerking." + opmerking.thema] = opmerking.tekst }
        values.merge(DateParts.values(version.datumRaadsbesluit, name: "datumRaadsbesluit")) { a, _ in a }
        return values
    }

    /// `keeping`: the ids of the current version's attachments that stay ticked (nil: all, as
    /// on a fresh form).
    func build(values: [String: String], keeping: [String]? = nil, problems: [InvalidParam], chosenFile: String?,
               current: VersionView?, now: Date) -> ZienswijzeFormView {
        var messages: [String: String] = [:]
        var errors: [ErrorItem] = []
        var invalidDateParts = Set<String>()
        for var problem in problems {
            if problem.name.hasPrefix("bijlagen[") { problem.name = "bijlagen" }
            // The date's three fields have one message, about the first part that is wrong.
            let isDate = problem.name == "datumRaadsbesluit" || problem.name.hasPrefix("datumRaadsbesluit.")
            if isDate {
                let part = problem.name.split(separator: ".").dropFirst().first.map(String.init)
                invalidDateParts.formUnion(part.map { [$0] } ?? DateParts.parts.map(\.key))
            }
            let key = isDate ? "datumRaadsbesluit" : problem.name
            guard messages[key] == nil else { continue }
            let message = Self.message(for: problem, themas: consultation.themas)
            messages[key] = message
            errors.append(ErrorItem(href: "#" + Self.fieldID(problem.name), message: message))
        }
        var bestandOpnieuw: String?
        if let chosenFile, !chosenFile.isEmpty, messages["bestand"] == nil, !errors.isEmpty {
            let text = "Kies het PDF-bestand opnieuw. U had ‘\(chosenFile)’ gekozen, maar een browser bewaart "
                + "een gekozen bestand niet als het formulier met fouten terugkomt."
            bestandOpnieuw = text
            errors.append(ErrorItem(href: "#bestand", message: "Kies het PDF-bestand opnieuw: een browser bewaart een gekozen bestand niet."))
        }
        let selected = values["standpunt"] ?? ""
        let standpunten = Standpunt.allCases.map { s in
            RadioView(id: "standpunt-" + s.rawValue, value: s.rawValue, label: s.label,
                      hint: Self.standpuntHints[s] ?? "", checked: s.rawValue == selected)
        }
        let themas = consultation.themas.map { thema in
            FieldView(id: "opmerking-" + thema.code, name: "opmerking." + thema.code, label: thema.titel,
                      value: values["opmerking." + thema.code] ?? "", hint: thema.samenvatting,
                      error: messages["opmerking." + thema.code], optional: true, maxlength: SubmissionRules.maxTekst)
        }
        let deadline = consultation.deadline
        let required = consultation.raadsbesluitVerplicht
        let bijlagen = (current?.bijlagen ?? []).map { b in
            EarlierBijlageView(id: b.id, inputID: "bijlage-" + b.id, href: b.href, bestandsnaam: b.bestandsnaam, grootte: b.grootte,
                               checked: keeping.map { $0.contains(b.id) } ?? true)
        }
        return ZienswijzeFormView(
            csrf: csrf, action: Links.form(consultation.id), withdrawHref: Links.withdraw(consultation.id),
            requiresDecision: consultation.raadsbesluitVerplicht, gemeente: gemeente, consultatie: consultation.titel,
            errors: errors, hasErrors: !errors.isEmpty,
            standpuntError: messages["standpunt"],
            standpuntDescribedBy: messages["standpunt"] == nil ? "standpunt-hint" : "standpunt-hint standpunt-error",
            standpunten: standpunten,
            datum: DateFieldView(id: "datumRaadsbesluit", name: "datumRaadsbesluit", legend: "Datum van het raadsbesluit",
                                 hint: "De dag waarop de raad over de zienswijze besloot, bijvoorbeeld 12 11 2026. "
                                     + "Niet nodig bij ‘Geen zienswijze’.",
                                 values: values, error: messages["datumRaadsbesluit"], invalid: invalidDateParts),
            naam: FieldView(id: "indiener-naam", name: "indiener.naam", label: "Naam van de indiener",
                            value: values["indiener.naam"] ?? "", hint: "Meestal de griffier. Deze naam komt op de ontvangstbevestiging.",
                            error: messages["indiener.naam"], optional: false, maxlength: SubmissionRules.maxNaam),
            email: FieldView(id: "indiener-email", name: "indiener.email", label: "E-mailadres van de indiener",
                             value: values["indiener.email"] ?? "", hint: "Voor vragen over deze zienswijze. Bijvoorbeeld griffie@gemeente.nl.",
                             error: messages["indiener.email"], optional: false, maxlength: SubmissionRules.maxEmail),
            toelichting: FieldView(id: "toelichting", name: "toelichting", label: "Toelichting",
                                   value: values["toelichting"] ?? "",
                                   hint: "Een algemene toelichting op het standpunt van de raad. Opmerkingen per thema kunt u hieronder kwijt.",
                                   error: messages["toelichting"], optional: true, maxlength: SubmissionRules.maxToelichting),
            themas: themas,
            bestand: FieldView(id: "bestand", name: "bestand", label: "Het ondertekende raadsbesluit, als PDF", value: "",
                               hint: (required ? "Verplicht, behalve bij ‘geen zienswijze’. " : "")
                                   + "Alleen PDF, ten hoogste 25 MB."
                                   + (bijlagen.isEmpty ? "" : " Een nieuw bestand komt bij de bijlagen die u meeneemt."),
                               error: messages["bestand"], optional: !required, maxlength: 0),
            bestandOpnieuw: bestandOpnieuw,
            bijlagen: bijlagen,
            hasBijlagen: !bijlagen.isEmpty,
            bijlagenError: messages["bijlagen"],
            optionalUnlessDecision: required,
            current: current,
            deadline: deadline.map(AmsterdamTime.inWords),
            remaining: consultation.deadlineState(at: now).remainingInWords,
            past: consultation.deadlineState(at: now).isPast,
            submitLabel: current == nil ? "Zienswijze indienen" : "Gewijzigde zienswijze indienen")
    }

    /// The element an error links to: the first radio button for the standpunt, else the field.
    static func fieldID(_ name: String) -> String {
        switch name {
        case "standpunt": "standpunt-" + Standpunt.instemmend.rawValue
        case "datumRaadsbesluit": "datumRaadsbesluit-dag"
        case "datumRaadsbesluit.dag", "datumRaadsbesluit.maand", "datumRaadsbesluit.jaar": name.replacingOccurrences(of: ".", with: "-")
        case "indiener.naam": "indiener-naam"
        case "indiener.email": "indiener-email"
        case "bijlagen": "bijlagen"
        default: name.hasPrefix("opmerking.") ? "opmerking-" + name.dropFirst("opmerking.".count) : name
        }
    }

    /// A sentence that says what to do, built from the shared validation's verdict.
    static func message(for problem: InvalidParam, themas: [Thema]) -> String {
        switch (problem.name, problem.reason) {
        case ("standpunt", Reason.required): return "Kies het standpunt van de raad."
        case ("datumRaadsbesluit", Reason.dateRequired):
            return "Vul de datum van het raadsbesluit in. Alleen bij ‘Geen zienswijze’ mag deze leeg blijven."
        case (let name, let reason) where name.hasPrefix("datumRaadsbesluit."): return reason  // already a sentence (DateParts)
        case ("indiener.naam", Reason.required): return "Vul de naam van de indiener in."
        case ("indiener.email", Reason.required): return "Vul het e-mailadres van de indiener in."
        case ("indiener.email", Reason.email): return "Vul een geldig e-mailadres in, zoals griffie@gemeente.nl."
        case ("bestand", Operations.raadsbesluitRequired):
            return "Voeg het ondertekende raadsbesluit toe als PDF. Dat is verplicht, behalve bij ‘geen zienswijze’."
        case ("bestand", Operations.raadsbesluitLeftOut):
            return "Neem het ondertekende raadsbesluit mee of voeg het toe als PDF: u vinkte alle eerdere bijlagen uit. "
                + "Het raadsbesluit is verplicht, behalve bij ‘geen zienswijze’."
        case ("bijlagen", _):
            return "Een van de aangevinkte bijlagen hoort niet (meer) bij de huidige versie. Laad de pagina opnieuw en kies opnieuw."
        default:
            let label: String = switch problem.name {
            case "standpunt": "Het standpunt"
            case "datumRaadsbesluit": "De datum van het raadsbesluit"
            case "indiener.naam": "De naam van de indiener"
            case "indiener.email": "Het e-mailadres"
            case "toelichting": "De toelichting"
            case "bestand": "Het bestand:"
            default:
                if problem.name.hasPrefix("opmerking."),
                   let thema = themas.first(where: { "opmerking." + $0.code == problem.name }) {
                    "De opmerking bij ‘\(thema.titel)’"
                } else {
                    "Het veld ‘\(problem.name)’"
                }
            }
            return "\(label) \(problem.reason)."
        }
    }
}
