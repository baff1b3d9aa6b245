import ZienswijzenDomain

/// Every address of the web pages, in one place. A page about a consultation lives under it
/// (`/raadplegingen/{id}/…` for griffies and the public, `/coordinator/raadplegingen/{id}/…` for
/// coordinators). Consultation ids are slugs (`RaadplegingRules.isValidID`), safe in a path as they are.
///
/// The addresses from before consultations were managed (`/zienswijze`, `/coordinator`, ...) are
/// registered as aliases of the new ones for the seeded consultation (`Raadpleging.defaultID`), so
/// bookmarks and the invitation links already sent keep working; pages only link to the new ones.
enum Links {
    static func consultation(_ id: String) -> String { "/raadplegingen/\(id)" }
    static func document(_ id: String, _ document: String) -> String { consultation(id) + "/documenten/\(document)" }

    static func form(_ id: String) -> String { consultation(id) + "/zienswijze" }
    static func receipt(_ id: String, _ versie: Int) -> String { form(id) + "/ontvangstbevestiging/\(versie)" }
    static func withdraw(_ id: String) -> String { form(id) + "/intrekken" }
    static func attachments(_ id: String) -> String { form(id) + "/bijlagen/" }

    static let coordinatorHome = "/coordinator/raadplegingen"
    static let register = "/coordinator/register"
    static func overview(_ id: String) -> String { coordinatorHome + "/\(id)" }
    static func gemeente(_ id: String, _ code: String) -> String { overview(id) + "/gemeenten/\(code)" }
    static func deadline(_ id: String) -> String { overview(id) + "/deadline" }
    static func status(_ id: String) -> String { overview(id) + "/status" }
    static func export(_ id: String) -> String { overview(id) + "/export.csv" }
    static func excelExport(_ id: String) -> String { overview(id) + "/export-excel.csv" }
    static func rbo(_ id: String) -> String { overview(id) + "/rbo" }
    /// The audit log, optionally only the entries that name `gemeente`.
    static func audit(gemeente: String?, before: Int64? = nil) -> String {
        let query = [gemeente.map { "gemeente=\($0)" }, before.map { "voor=\($0)" }].compactMap { $0 }
        return "/coordinator/logboek" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
    static func edit(_ id: String) -> String { overview(id) + "/bewerken" }
    static func themas(_ id: String) -> String { overview(id) + "/themas" }
    static func invitations(_ id: String) -> String { overview(id) + "/uitnodigingen" }
    static func documents(_ id: String) -> String { overview(id) + "/documenten" }
    static func copy(_ id: String) -> String { overview(id) + "/kopie" }
    // Answers and the reactienota (issue 15).
    static func reacties(_ id: String) -> String { overview(id) + "/reacties" }
    static func reactie(_ id: String, _ code: String) -> String { reacties(id) + "/gemeenten/\(code)" }
    static func reactieThema(_ id: String, _ thema: String) -> String { reacties(id) + "/themas/\(thema)" }
    static func reactienota(_ id: String) -> String { overview(id) + "/reactienota" }
    static func printableReactienota(_ id: String) -> String { reactienota(id) + "/afdrukken" }
    static func publicatie(_ id: String) -> String { consultation(id) + "/publicatie" }
    static func publishedReactienota(_ id: String) -> String { publicatie(id) + "/reactienota" }
    static func publish(_ id: String) -> String { overview(id) + "/publicatie/publiceren" }
    static func withdrawPublication(_ id: String) -> String { overview(id) + "/publicatie/intrekken" }
}
