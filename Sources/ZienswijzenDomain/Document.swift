import Foundation

/// What a document of a consultation is.
package enum DocumentSoort: String, Sendable, CaseIterable {
    case ontwerpbeleidsplan, aanbiedingsbrief, addendum, overig

    /// Dutch, for pages.
    package var label: String {
        switch self {
        case .ontwerpbeleidsplan: "Ontwerpbeleidsplan"
        case .aanbiedingsbrief: "Aanbiedingsbrief"
        case .addendum: "Addendum"
        case .overig: "Overig document"
        }
    }
}

/// A document of a consultation (the draft plan, the letter it came with, an addendum): a PDF a
/// coordinator uploaded, which every griffie can download once the consultation is no longer a
/// concept, and anyone once it is `openbaar`. Its bytes live in the attachments' piece store;
/// `bestand` describes the file as an attachment would be (its id is the content's id).
package struct Document: Sendable, Equatable {
    package var raadpleging: String
    package var soort: DocumentSoort
    package var titel: String
    package var bestand: Bijlage
    package var openbaar: Bool
    package var toegevoegdOp: Date

    package init(raadpleging: String, soort: DocumentSoort, titel: String, bestand: Bijlage, openbaar: Bool, toegevoegdOp: Date) {
        self.raadpleging = raadpleging
        self.soort = soort
        self.titel = titel
        self.bestand = bestand
        self.openbaar = openbaar
        self.toegevoegdOp = toegevoegdOp
    }

    package var id: String { bestand.id }
}

/// A change to a document's description or publication; nil leaves a field as it is.
package struct DocumentChange: Sendable, Equatable {
    package var openbaar: Bool?
    package var titel: String?
    package var soort: DocumentSoort?

    package init(openbaar: Bool? = nil, titel: String? = nil, soort: DocumentSoort? = nil) {
        self.openbaar = openbaar
        self.titel = titel
        self.soort = soort
    }

    package var isEmpty: Bool { openbaar == nil && titel == nil && soort == nil }

    package var auditText: String {
        var parts: [String] = []
        if let openbaar { parts.append("openbaar=\(openbaar)") }
        if let soort { parts.append("soort=\(soort.rawValue)") }
        if let titel { parts.append("titel=\(titel)") }
        return parts.joined(separator: " ")
    }
}
