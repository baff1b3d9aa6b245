import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct ReceiptView {
    var version: VersionView
    var gemeente: String
    var consultatie: String
    /// Whether this is the newest version (older receipts say so and point to the newest).
    var isCurrent: Bool
    var currentHref: String?
    /// The newest version's number, which replaced this one when it is not current.
    var currentVersie: Int
    /// Whether "Op tijd?" is asked: not of a withdrawal, whose time says nothing about lateness.
    var showTimeliness: Bool
    var canWithdraw: Bool
    var canRevise: Bool
    var formHref: String
    var withdrawHref: String
    /// The RSIV's answer, once the reactienota is vastgesteld (issue 15).
    var antwoord: AntwoordView?
    /// Said when the deadline moved after receipt: lateness follows the deadline in force.
    var deadlineMoved: String? = nil
}

struct WithdrawView {
    var csrf: String
    var gemeente: String
    var action: String
    var version: VersionView
}

extension Web {
    /// The receipt after a submit (PRG target), withdrawing with confirmation, and attachment
    /// downloads; each also at its old address under `/zienswijze`, for the seeded consultation.
    func registerReceiptPages(_ routes: inout RouteTable) {
        web(&routes, .get, ["/raadplegingen/{id}/zienswijze/ontvangstbevestiging/{versie}",
                            "/zienswijze/ontvangstbevestiging/{versie}"]) { [self] request in
            let (session, gemeente) = try griffie(request)
            let actor = request.actor(.code(session.principal), .web)
            let consultation = try consultation(consultationID(request), by: actor)
            guard let n = Int(request.parameters["versie"] ?? ""), n >= 1,
                  let version = try ops.versie(n, raadpleging: consultation.id, gemeente: gemeente.code, by: actor),
                  let current = try ops.currentVersie(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)
            else { throw WebFailure.notFound("Deze ontvangstbevestiging bestaat niet.") }
            let isCurrent = current.versie == version.versie
            let open = consultation.status == .open
            // "Op tijd?" by the deadline in force now; the deadline at receipt stays on the receipt.
            var versionView = griffieVersionView(version, consultation)
            versionView.judge(version, deadline: consultation.deadline)
            var view = ReceiptView(
                version: versionView, gemeente: gemeente.naam, consultatie: consultation.titel,
                isCurrent: isCurrent, currentHref: isCurrent ? nil : Links.receipt(consultation.id, current.versie),
                currentVersie: current.versie, showTimeliness: version.status != .ingetrokken,
                canWithdraw: open && isCurrent && current.status != .ingetrokken, canRevise: open,
                formHref: Links.form(consultation.id), withdrawHref: Links.withdraw(consultation.id),
                antwoord: AntwoordView(try ops.beantwoording(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)))
            if let then = version.deadlineBijOntvangst, let now = consultation.deadline, then != now {
                view.deadlineMoved = "De deadline is na ontvangst verplaatst naar \(AmsterdamTime.inWords(now)); "
                    + "of een versie op tijd is, hangt af van de deadline die nu geldt."
            }
            return page("ontvangstbevestiging", title: "Ontvangstbevestiging \(version.kenmerk)", session: session,
                        consultation: consultation, content: view)
        }
        web(&routes, .get, ["/raadplegingen/{id}/zienswijze/intrekken", "/zienswijze/intrekken"]) { [self] request in
            let (session, gemeente) = try griffie(request)
            let actor = request.actor(.code(session.principal), .web)
            let consultation = try consultation(consultationID(request), by: actor)
            let current = try withdrawable(consultation, gemeente, by: actor)
            return page("intrekken", title: "Zienswijze intrekken", session: session, consultation: consultation,
                        content: WithdrawView(csrf: session.csrfToken, gemeente: gemeente.naam, action: Links.withdraw(consultation.id),
                                              version: griffieVersionView(current, consultation)))
        }
        web(&routes, .post, ["/raadplegingen/{id}/zienswijze/intrekken", "/zienswijze/intrekken"], bodyLimit: 16 * 1024,
            role: .griffie) { [self] request in
            let (session, gemeente) = try griffie(request)
            _ = try checkedForm(request, expected: session.csrfToken)
            let actor = request.actor(.code(session.principal), .web)
            let consultation = try consultation(consultationID(request), by: actor)
            let outcome: Replayable<Withdrawal>
            do {
                outcome = try ops.withdraw(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)
            } catch Refusal.conflict(.noZienswijze) {
                throw WebFailure.conflict("Uw gemeente heeft (nog) geen zienswijze ingediend, dus er is niets om in te trekken.")
            }
            // A second click changes nothing and shows the withdrawal that exists.
            guard case .done(let withdrawal, _) = outcome else { throw Problem.internalError }
            return .redirect(to: Links.receipt(consultation.id, withdrawal.versie.versie))
        }
        web(&routes, .get, ["/raadplegingen/{id}/zienswijze/bijlagen/{bijlage}", "/zienswijze/bijlagen/{bijlage}"]) { [self] request in
            let (session, gemeente) = try griffie(request)
            return try attachmentDownload(raadpleging: consultationID(request), gemeente: gemeente.code,
                                          id: request.parameters["bijlage"] ?? "", by: request.actor(.code(session.principal), .web))
        }
    }

    private func withdrawable(_ consultation: Raadpleging, _ gemeente: Gemeente, by actor: Actor) throws -> Versie {
        let latest = try ops.currentVersie(raadpleging: consultation.id, gemeente: gemeente.code, by: actor)
        guard consultation.status == .open else {
            throw WebFailure.conflict("De raadpleging is gesloten: een zienswijze kan niet meer worden ingetrokken.")
        }
        guard let current = latest, current.status != .ingetrokken
        else { throw WebFailure.conflict("Er is geen ingediende zienswijze om in te trekken.") }
        return current
    }

    /// An attachment of `gemeente` as a download, streamed from the database.
    func attachmentDownload(raadpleging: String, gemeente: String, id: String, by actor: Actor) throws -> HTTPResponse {
        do {
            return .download(try ops.bijlageReader(id, raadpleging: raadpleging, gemeente: gemeente, by: actor),
                             cacheControl: "private, no-store")
        } catch Refusal.notFound {
            throw WebFailure.notFound("Deze bijlage bestaat niet.")
        }
    }
}
