import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct ManagedDocument {
    var document: DocumentView
    var publishAction: String
    var removeAction: String
    var canRemove: Bool
}

struct DocumentsView {
    var csrf: String
    var titel: String
    var action: String
    var documenten: [ManagedDocument]
    var hasDocumenten: Bool
    var soorten: [OptionView]
    var documentTitel: FieldView
    var bestandError: String?
    var openbaar: Bool
    var errors: [ErrorItem]
    var hasErrors: Bool
    var saved: String?
    var isConcept: Bool
}

extension Web {
    /// Uploading, publishing and (while a concept) removing the documents of a consultation.
    func registerDocumentPages(_ routes: inout RouteTable) {
        web(&routes, .get, "/coordinator/raadplegingen/{id}/documenten") { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let c = try consultation(consultationID(request), by: request.actor(.code(session.principal), .web))
            let saved = ((try? request.queryFields()) ?? FormFields()).first("opgeslagen").flatMap { saved -> String? in
                switch saved {
                case "toegevoegd": "Het document is toegevoegd."
                case "openbaar": "Het document is openbaar: iedereen kan het downloaden."
                case "besloten": "Het document is niet meer openbaar; griffies kunnen het nog wel downloaden."
                case "verwijderd": "Het document is verwijderd."
                default: nil
                }
            }
            return try documentsPage(session, c, values: [:], problems: FormProblems(), saved: saved)
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/documenten", bodyLimit: BodyLimits.upload, role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let actor = request.actor(.code(session.principal), .web)
            let c = try consultation(consultationID(request), by: actor)
            let form = try checkedForm(request, expected: session.csrfToken, files: ["bestand"])
            var values: [String: String] = [:]
            for (name, value) in form.fields where name != "bestand" { values[name] = value }
            var problems = FormProblems()
            problems.add(form.fileProblems) { _ in (id: "document-bestand", label: "Het bestand:") }
            let soort = DocumentSoort(rawValue: values["soort"] ?? "")
            if soort == nil { problems.add("document-soort", "Kies wat voor document het is.") }
            let upload = form.uploads.first { $0.field == "bestand" }?.upload
            if upload == nil, form.fileProblems.isEmpty { problems.add("document-bestand", "Kies het PDF-bestand.") }
            if problems.isEmpty, let upload, let soort {
                do {
                    _ = try ops.addDocument(upload, soort: soort, titel: values["titel"] ?? "", openbaar: values["openbaar"] == "ja",
                                            raadpleging: c.id, by: actor)
                    return .redirect(to: Links.documents(c.id) + "?opgeslagen=toegevoegd")
                } catch Refusal.invalid(let params, _) {
                    problems.add(params) { _ in (id: "document-titel", label: "De titel") }
                } catch Refusal.conflict(let conflict) {
                    problems.add("document-bestand", Refusal.conflict(conflict).detail)
                }
            }
            return try documentsPage(session, c, values: values, problems: problems, status: 422)
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/documenten/{document}/openbaar", bodyLimit: 16 * 1024,
            role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            let openbaar = try checkedForm(request, expected: session.csrfToken).first("openbaar") == "ja"
            let id = consultationID(request)
            do {
                _ = try ops.changeDocument(request.parameters["document"] ?? "", raadpleging: id, DocumentChange(openbaar: openbaar),
                                           by: request.actor(.code(session.principal), .web))
            } catch Refusal.notFound {
                throw WebFailure.notFound("Dit document bestaat niet.")
            }
            return .redirect(to: Links.documents(id) + "?opgeslagen=" + (openbaar ? "openbaar" : "besloten"))
        }
        web(&routes, .post, "/coordinator/raadplegingen/{id}/documenten/{document}/verwijderen", bodyLimit: 16 * 1024,
            role: .coordinator) { [self] request in
            let session = try requireSession(request, role: .coordinator)
            _ = try checkedForm(request, expected: session.csrfToken)
            let id = consultationID(request)
            do {
                try ops.removeDocument(request.parameters["document"] ?? "", raadpleging: id, by: request.actor(.code(session.principal), .web))
            } catch Refusal.notFound {
                throw WebFailure.notFound("Dit document bestaat niet.")
            }
            return .redirect(to: Links.documents(id) + "?opgeslagen=verwijderd")
        }
    }

    private func documentsPage(_ session: Session, _ c: Raadpleging, values: [String: String], problems: FormProblems,
                               status: Int = 200, saved: String? = nil) throws -> HTTPResponse {
        let documenten = try ops.documenten(raadpleging: c.id, by: Actor(.code(session.principal), channel: .web))
        let selected = values["soort"] ?? ""
        let view = DocumentsView(
            csrf: session.csrfToken, titel: c.titel, action: Links.documents(c.id),
            documenten: documenten.map { d in
                ManagedDocument(document: DocumentView(d), publishAction: Links.documents(c.id) + "/\(d.id)/openbaar",
                                removeAction: Links.documents(c.id) + "/\(d.id)/verwijderen", canRemove: c.status == .concept)
            },
            hasDocumenten: !documenten.isEmpty,
            soorten: [OptionView(value: "", label: "Kies een soort", selected: selected.isEmpty)]
                + DocumentSoort.allCases.map { OptionView(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) },
            documentTitel: FieldView(id: "document-titel", name: "titel", label: "Titel", value: values["titel"] ?? "",
                                     hint: "Zoals griffies het document zien, bijvoorbeeld ‘Ontwerpbeleidsplan 2027-2030’. Leeg: de bestandsnaam.",
                                     error: problems["document-titel"], optional: true, maxlength: RaadplegingRules.maxTitel),
            bestandError: problems["document-bestand"], openbaar: values["openbaar"] == "ja",
            errors: problems.errors, hasErrors: !problems.isEmpty, saved: saved, isConcept: c.status == .concept)
        return page("documenten", title: "Documenten van \(c.titel)", session: session, status: problems.isEmpty ? 200 : status,
                    hasErrors: !problems.isEmpty, path: Links.documents(c.id), consultation: c, content: view)
    }
}
