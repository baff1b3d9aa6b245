/// A council's position on the plan. Raw values are the API's words.
package enum Standpunt: String, CaseIterable, Sendable, Codable {
    case instemmend
    case instemmendMetOpmerkingen = "instemmend-met-opmerkingen"
    case nietInstemmend = "niet-instemmend"
    case geenZienswijze = "geen-zienswijze"

    /// Dutch, for pages and exports.
    package var label: String {
        switch self {
        case .instemmend: "Instemmend"
        case .instemmendMetOpmerkingen: "Instemmend met opmerkingen"
        case .nietInstemmend: "Niet instemmend"
        case .geenZienswijze: "Geen zienswijze"
        }
    }

    /// Whether this position needs the date of the council decision (`datumRaadsbesluit`): a council
    /// that gives no view has taken no decision to date.
    package var requiresDatumRaadsbesluit: Bool { self != .geenZienswijze }
}
