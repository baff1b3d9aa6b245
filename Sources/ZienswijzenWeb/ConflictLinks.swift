import HTTP
import ZienswijzenDomain

/// Where a "Dat kan nu niet" page (409) sends someone on: the page the refused action belongs
/// to, reached with a GET, never the refused address itself (a griffie whose consultation closed
/// finds the closed page with every receipt; a coordinator the overview, the codes, the deliveries).
struct NextStep {
    var href: String
    var label: String

    static func after(conflictAt path: String, role: Role?) -> NextStep? {
        let parts = path.split(separator: "/").map(String.init)
        switch role {
        case .griffie?:
            // /raadplegingen/{id}/zienswijze/… or the old /zienswijze/…
            if parts.count >= 3, parts[0] == "raadplegingen", parts[2] == "zienswijze" {
                return NextStep(href: Links.form(parts[1]), label: "Naar uw zienswijze en ontvangstbevestigingen")
            }
            if parts.first == "zienswijze" {
                return NextStep(href: Links.form(Raadpleging.defaultID), label: "Naar uw zienswijze en ontvangstbevestigingen")
            }
            return nil
        case .coordinator?:
            if parts.count >= 3, parts[0] == "coordinator", parts[1] == "raadplegingen" {
                let id = parts[2]
                if parts.count >= 5, parts[3] == "gemeenten" {
                    return NextStep(href: Links.gemeente(id, parts[4]), label: "Naar de zienswijze van deze gemeente")
                }
                if parts.count >= 4, parts[3] == "reacties" || parts[3] == "reactienota" || parts[3] == "publicatie" {
                    return NextStep(href: Links.reactienota(id), label: "Naar de reactienota")
                }
                if parts.count >= 4, parts[3] == "status" || parts[3] == "bewerken" {
                    return NextStep(href: Links.edit(id), label: "Naar de gegevens van de raadpleging")
                }
                return NextStep(href: Links.overview(id), label: "Naar het overzicht van de raadpleging")
            }
            if parts.count >= 2, parts[0] == "coordinator", parts[1] == "toegangscodes" {
                return NextStep(href: "/coordinator/toegangscodes", label: "Naar de toegangscodes")
            }
            if parts.count >= 2, parts[0] == "coordinator", parts[1] == "bezorging" || parts[1] == "webhooks" {
                return NextStep(href: "/coordinator/bezorging", label: "Naar de bezorging")
            }
            if parts.count >= 2, parts[0] == "coordinator", parts[1] == "deadline" || parts[1] == "raadpleging-status" {
                return NextStep(href: Links.deadline(Raadpleging.defaultID), label: "Naar de deadline")
            }
            return nil
        case nil:
            return nil
        }
    }
}
