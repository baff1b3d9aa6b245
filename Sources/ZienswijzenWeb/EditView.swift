import Foundation
import ZienswijzenDomain

/// One theme in the themes form: an existing one (code fixed) or the empty row for a new one.
struct ThemaRow {
    var legend: String
    var prefix: String
    var isNew: Bool
    var code: FieldView
    var titel: FieldView
    var samenvatting: FieldView
    var positie: FieldView
    var remove: Bool
    var removeName: String
    var inUse: Bool
}

/// A status change the edit page offers.
struct TransitionView {
    var status: String
    var label: String
    var hint: String
    var secondary: Bool
}

struct EditView {
    var csrf: String
    var titelHeading: String
    var status: String
    var saved: String?
    var errors: [ErrorItem]
    var hasErrors: Bool
    var wasOpened: Bool
    var isArchived: Bool
    var gegevensAction: String
    var themasAction: String
    var uitnodigingenAction: String
    var statusAction: String
    var copyAction: String
    var titel: FieldView
    var omschrijving: FieldView
    var rbo: FieldView
    var verplicht: Bool
    var verplichtFixed: Bool
    var themaRows: [ThemaRow]
    var nieuwThema: ThemaRow
    var gemeenten: [CheckboxView]
    var hasGemeenten: Bool
    /// Invited gemeenten of an opened consultation: they stay invited (sent as hidden fields).
    var fixedCodes: [String]
    var fixedNames: String
    var hasFixed: Bool
    var uitnodigingenError: String?
    var transitions: [TransitionView]
    var hasTransitions: Bool
    var kopieID: FieldView
    var kopieTitel: FieldView
}

/// What a failed form sent, to show it again.
enum EditForm {
    case none
    case gegevens([String: String])
    case themas([String: String])
    case uitnodigingen([String])
    case copy([String: String])
}

extension EditView {
    /// The page for `c`, with the values of the form that failed (if any) and its problems.
    init(_ c: Raadpleging, register: [Gemeente], themasInUse: Set<String>, csrf: String, form: EditForm, problems: FormProblems,
         saved: String?) {
        self.csrf = csrf
        titelHeading = c.titel
        status = c.status.label
        self.saved = saved
        errors = problems.errors
        hasErrors = !problems.isEmpty
        wasOpened = c.status.wasOpened
        isArchived = c.status == .gearchiveerd
        gegevensAction = Links.edit(c.id)
        themasAction = Links.themas(c.id)
        uitnodigingenAction = Links.invitations(c.id)
        statusAction = Links.status(c.id)
        copyAction = Links.copy(c.id)

        var g: [String: String] = [:]
        if case .gegevens(let values) = form { g = values }
        titel = FieldView(id: "titel", name: "titel", label: "Titel", value: g["titel"] ?? c.titel, hint: nil, error: problems["titel"],
                          optional: false, maxlength: RaadplegingRules.maxTitel)
        omschrijving = FieldView(id: "omschrijving", name: "omschrijving", label: "Omschrijving", value: g["omschrijving"] ?? c.omschrijving,
                                 hint: "Staat op de pagina van de raadpleging.", error: problems["omschrijving"], optional: true,
                                 maxlength: RaadplegingRules.maxOmschrijving)
        rbo = FieldView(id: "rboVergadering", name: "rboVergadering", label: "Datum van de RBO-vergadering",
                        value: g["rboVergadering"] ?? c.rboVergadering?.iso ?? "", hint: "Waarin het RBO het plan vaststelt.",
                        error: problems["rboVergadering"], optional: true, maxlength: 10)
        if case .gegevens(let values) = form, !c.status.wasOpened { verplicht = values["raadsbesluitVerplicht"] == "ja" }
        else { verplicht = c.raadsbesluitVerplicht }
        verplichtFixed = c.status.wasOpened

        var t: [String: String] = [:]
        if case .themas(let values) = form { t = values }
        themaRows = c.themas.enumerated().map { n, thema in
            Self.themaRow(prefix: "thema-\(n)", name: "thema.\(n)", legend: "Thema \(n + 1): \(thema.titel)", thema: thema,
                          positie: t["thema.\(n).positie"] ?? String(n + 1), values: t, problems: problems,
                          inUse: themasInUse.contains(thema.code))
        }
        nieuwThema = Self.themaRow(prefix: "thema-nieuw", name: "nieuw", legend: "Nieuw thema", thema: nil, positie: "",
                                   values: t, problems: problems, inUse: false)

        var invited = Set(c.uitgenodigd)
        if case .uitnodigingen(let codes) = form { invited = Set(codes) }
        let today = AmsterdamTime.today(c.aangemaaktOp)
        let shown = register.filter { c.uitgenodigd.contains($0.code) || $0.isActive(on: today) }
        let fixed = shown.filter { c.status.wasOpened && c.uitgenodigd.contains($0.code) }
        gemeenten = shown.filter { g in !fixed.contains { $0.code == g.code } }.map { gemeente in
            CheckboxView(id: "gemeente-\(gemeente.code)", value: gemeente.code, label: gemeente.naam,
                         checked: invited.contains(gemeente.code), fixed: false)
        }
        hasGemeenten = !gemeenten.isEmpty
        fixedCodes = fixed.map(\.code)
        fixedNames = fixed.map(\.naam).joined(separator: ", ")
        hasFixed = !fixed.isEmpty
        uitnodigingenError = problems["uitnodigingen"]

        transitions = RaadplegingStatus.allCases.filter { $0 != c.status && c.status.mayBecome($0) }.map { next in
            switch next {
            case .open where c.status == .concept:
                TransitionView(status: "open", label: "Raadpleging openen",
                               hint: "Griffies van de uitgenodigde gemeenten zien de raadpleging en kunnen indienen.", secondary: false)
            case .open:
                TransitionView(status: "open", label: "Raadpleging heropenen", hint: "Griffies kunnen weer indienen.", secondary: false)
            case .gesloten where c.status == .gearchiveerd:
                TransitionView(status: "gesloten", label: "Terugzetten als gesloten", hint: "Daarna kunt u haar weer wijzigen.",
                               secondary: true)
            case .gesloten:
                TransitionView(status: "gesloten", label: "Raadpleging sluiten", hint: "Daarna wordt niets meer aangenomen.",
                               secondary: false)
            case .gearchiveerd:
                TransitionView(status: "gearchiveerd", label: "Archiveren",
                               hint: "Van de startpagina af en niet meer te wijzigen; alles blijft bewaard.", secondary: true)
            case .concept:
                TransitionView(status: "concept", label: "", hint: "", secondary: true)
            }
        }
        hasTransitions = !transitions.isEmpty

        var k: [String: String] = [:]
        if case .copy(let values) = form { k = values }
        kopieID = FieldView(id: "kopie-id", name: "id", label: "Id van de nieuwe raadpleging", value: k["id"] ?? "",
                            hint: "Kleine letters, cijfers en streepjes.", error: problems["kopie-id"], optional: false, maxlength: 100)
        kopieTitel = FieldView(id: "kopie-titel", name: "titel", label: "Titel van de nieuwe raadpleging", value: k["titel"] ?? "",
                               hint: nil, error: problems["kopie-titel"], optional: false, maxlength: RaadplegingRules.maxTitel)
    }

    private static func themaRow(prefix: String, name: String, legend: String, thema: Thema?, positie: String,
                                 values: [String: String], problems: FormProblems, inUse: Bool) -> ThemaRow {
        ThemaRow(
            legend: legend, prefix: prefix, isNew: thema == nil,
            code: FieldView(id: "\(prefix)-code", name: "\(name).code", label: "Code", value: values["\(name).code"] ?? thema?.code ?? "",
                            hint: thema == nil ? "Kleine letters, cijfers en streepjes, zoals cybercrime. Later niet te wijzigen." : nil,
                            error: problems["\(prefix)-code"], optional: false, maxlength: RaadplegingRules.maxThemaCode),
            titel: FieldView(id: "\(prefix)-titel", name: "\(name).titel", label: "Titel",
                             value: values["\(name).titel"] ?? thema?.titel ?? "", hint: nil, error: problems["\(prefix)-titel"],
                             optional: false, maxlength: RaadplegingRules.maxTitel),
            samenvatting: FieldView(id: "\(prefix)-samenvatting", name: "\(name).samenvatting", label: "Samenvatting",
                                    value: values["\(name).samenvatting"] ?? thema?.samenvatting ?? "", hint: nil,
                                    error: problems["\(prefix)-samenvatting"], optional: true,
                                    maxlength: RaadplegingRules.maxSamenvatting),
            positie: FieldView(id: "\(prefix)-positie", name: "\(name).positie", label: "Volgorde", value: positie, hint: nil,
                               error: problems["\(prefix)-positie"], optional: false, maxlength: 3),
            remove: values["\(name).verwijderen"] == "ja", removeName: "\(name).verwijderen", inUse: inUse)
    }
}
