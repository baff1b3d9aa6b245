import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension Web {
    func registerStart(_ routes: inout RouteTable) {
        web(&routes, .get, "/") { [self] request in
            let session = webSession(request)
            let actor = session.map { Actor(.code($0.principal), channel: .web) }
            let gemeente = try session?.principal.gemeente.flatMap { try ops.gemeente($0) }
            let shown = StartView.shown(try ops.raadplegingen(by: nil))
            return page("start", title: "Zienswijzen op het beleidsplan", session: session, path: "/",
                        content: StartView(shown, now: clock.now(), session: session, gemeente: gemeente,
                                           canManage: actor?.isCoordinator == true))
        }
    }

    /// Where a logged-in person starts: a coordinator at the overview of the one open consultation
    /// (or the list of consultations), a griffie at the form of the one open consultation its
    /// gemeente takes part in (or the start page, to choose).
    func home(for principal: Principal) -> String {
        do {
            switch principal.role {
            case .coordinator:
                let open = try ops.raadplegingen().filter { $0.status == .open }
                return open.count == 1 ? Links.overview(open[0].id) : Links.coordinatorHome
            case .griffie:
                guard let code = principal.gemeente, let gemeente = try ops.gemeente(code) else { return "/" }
                let open = try ops.openRaadplegingen(for: gemeente)
                if open.isEmpty {
                    // Nothing open: the latest closed consultation it took part in, which says so and links to the receipts.
                    let closed = try ops.raadplegingen().filter { $0.status == .gesloten && $0.invites(gemeente) }
                    if let latest = StartView.shown(closed).last { return Links.form(latest.id) }
                }
                return open.count == 1 ? Links.form(open[0].id) : "/"
            }
        } catch {
            logger.error("could not choose a start page", metadata: ["error": "\(error)"])
            return "/"
        }
    }

    /// The HTML page for an error the router answers itself (an unknown path).
    package func renderErrorPage(status: Int, request: HTTPRequest) -> HTTPResponse {
        let message = status == 404
            ? "Deze pagina bestaat niet. Controleer het adres, of ga naar de startpagina."
            : "Het verzoek kon niet worden verwerkt."
        return errorPage(status: status, message: message, request: request)
    }

    /// The page for a body over a web route's hard cap, answered by the server before the body was
    /// read, so nothing of it arrived: the limit in MB (as the form says it), and the way back to
    /// the form. No session is looked up (this is answered on the connection's own thread).
    package func renderTooLargePage(path: String) -> HTTPResponse {
        let toForm = path == "/zienswijze" || (path.hasPrefix("/raadplegingen/") && path.hasSuffix("/zienswijze"))
        let message = toForm
            ? "Het gekozen bestand is veel groter dan 25 MB, de grens voor een bijlage. Daarom is het formulier niet ontvangen, "
                + "ook niet wat u verder invulde. Ga terug naar het formulier en kies een PDF-bestand van ten hoogste 25 MB. "
                + "Met de knop ‘Vorige’ van uw browser vindt u wat u typte meestal terug."
            : "Wat u verstuurde is groter dan deze pagina aanneemt: een bijlage is ten hoogste 25 MB, "
                + "de teksten van een formulier samen ten hoogste 1 MB. Er is niets opgeslagen."
        return page("fout", title: "Het bestand is te groot", session: nil, status: 413,
                    content: ErrorView(heading: "Het bestand is te groot", message: message, status: 413,
                                       home: toForm ? path : "/", homeLabel: toForm ? "Terug naar het formulier" : "Naar de startpagina"))
    }

    func errorPage(status: Int, message: String, request: HTTPRequest) -> HTTPResponse {
        let heading = switch status {
        case 403: "Geen toegang"
        case 404: "Pagina niet gevonden"
        case 409: "Dat kan nu niet"
        case 413: "Het bestand is te groot"
        case 429: "Te veel pogingen"
        case 400..<500: "Het verzoek kon niet worden verwerkt"
        default: "Er ging iets mis"
        }
        let session = status == 429 ? nil : webSession(request)
        let home = session.map { $0.principal.role == .coordinator ? Links.coordinatorHome : "/" } ?? "/"
        // "Dat kan nu niet": a way on to the page the refused action belongs to (never the refused address).
        let next = status == 409 ? NextStep.after(conflictAt: request.path, role: session?.principal.role) : nil
        return page("fout", title: heading, session: session, status: status,
                    content: ErrorView(heading: heading, message: message, status: status, home: home,
                                       homeLabel: session == nil ? "Naar de startpagina" : "Terug naar uw beginpagina",
                                       next: next.flatMap { $0.href == home ? nil : $0 }))
    }

    // MARK: Login and logout

    func registerLogin(_ routes: inout RouteTable) {
        web(&routes, .get, "/inloggen") { [self] request in
            if let session = webSession(request) {
                return .redirect(to: home(for: session.principal))
            }
            return loginPage(status: 200, error: nil)
        }
        web(&routes, .post, "/inloggen", bodyLimit: 16 * 1024) { [self] request in
            let fields = try checkedForm(request, expected: request.cookies[loginCookieName] ?? "").fields
            let typed = fields.first { $0.0 == "code" }?.1 ?? ""
            if typed.trimmingCharacters(in: .whitespaces).isEmpty {
                return loginPage(status: 422, error: "Vul uw toegangscode in.")
            }
            let login: Login
            do {
                login = try ops.login(typedCode: typed, by: request.actor(.anonymous, .web))
            } catch Refusal.throttled(let wait) {
                var response = errorPage(status: 429, message: "Er is te vaak een verkeerde toegangscode ingevoerd vanaf dit adres. "
                                         + "Probeer het over \(minutesInWords(wait)) opnieuw.", request: request)
                response.headers.set("Retry-After", String(wait))
                return response
            } catch Refusal.unauthenticated {
                let malformed = Toegangscode.normalize(typed) == nil
                return loginPage(status: 422, error: malformed
                    ? "Dit is geen geldige toegangscode: een code heeft 20 tekens (cijfers en letters), "
                        + "in vijf groepjes van vier. Controleer wat u typte of plakte."
                    : "Deze toegangscode is onbekend of ingetrokken. Controleer de code en probeer het opnieuw.", typed: typed)
            }
            var response = HTTPResponse.redirect(to: home(for: login.principal))
            if let cookie = sessionCookie(token: login.token) { response.setCookie(cookie) }
            if let cookie = expiredCookie(loginCookieName, path: "/inloggen") { response.setCookie(cookie) }
            return response
        }
        web(&routes, .post, "/uitloggen", bodyLimit: 16 * 1024) { [self] request in
            guard let token = request.cookies[sessionCookieName], let session = webSession(request) else {
                return .redirect(to: "/")
            }
            _ = try checkedForm(request, expected: session.csrfToken)
            try ops.logout(token: token, by: request.actor(.code(session.principal), .web))
            var response = HTTPResponse.redirect(to: "/")
            if let cookie = expiredCookie(sessionCookieName) { response.setCookie(cookie) }
            return response
        }
    }

    /// The login form with a fresh CSRF cookie and field; `ended` says why a form was not sent
    /// (the session ended while it was being filled in).
    func loginPage(status: Int, error: String?, ended: String? = nil, typed: String = "") -> HTTPResponse {
        let token = randomHexID()
        var response = page("inloggen", title: "Inloggen", session: nil, status: status, hasErrors: error != nil,
                            path: "/inloggen", content: LoginView(csrf: token, error: error, ended: ended, code: String(typed.prefix(200))))
        if let cookie = try? SetCookie(name: loginCookieName, value: token, path: "/inloggen", maxAge: 3600, httpOnly: true,
                                       secure: configuration.secureCookies, sameSite: .lax) {
            response.setCookie(cookie)
        }
        return response
    }

    private func minutesInWords(_ seconds: Int) -> String {
        let minutes = (seconds + 59) / 60
        return minutes <= 1 ? "een minuut" : "\(minutes) minuten"
    }
}

struct ErrorView {
    var heading: String
    var message: String
    var status: Int
    var home: String
    var homeLabel: String
    /// After a 409: the page the refused action belongs to.
    var next: NextStep? = nil
}

struct LoginView {
    var csrf: String
    var error: String?
    var ended: String? = nil
    /// What was typed, given back with an error.
    var code: String = ""
}

struct ThemaView {
    var code: String
    var titel: String
    var samenvatting: String
}

/// A consultation on the start page.
struct ConsultationCard {
    var titel: String
    var status: String
    var open: Bool
    var closed: Bool
    var deadline: String?
    var remaining: String?
    var href: String
    /// The next step for who is logged in (the form, the overview), if any.
    var action: NavItem?
    /// Said to a griffie whose gemeente does not take part.
    var notInvited: Bool
    /// The date of the RBO meeting that treats the zienswijzen, in words, once set.
    var rbo: String?
}

/// The start page: the open consultations (and the latest closed one), what is asked, the way in.
struct StartView {
    var consultations: [ConsultationCard]
    var hasConsultations: Bool
    var loggedIn: Bool
    var login: NavItem
    var manage: NavItem?

    /// The consultations the start page shows: every open one, by title, and the latest closed
    /// one (by deadline, then creation).
    static func shown(_ all: [Raadpleging]) -> [Raadpleging] {
        let open = all.filter { $0.status == .open }.sorted { $0.titel < $1.titel }
        let closed = all.filter { $0.status == .gesloten }.max { a, b in
            (a.deadline ?? a.aangemaaktOp, a.aangemaaktOp) < (b.deadline ?? b.aangemaaktOp, b.aangemaaktOp)
        }
        return open + (closed.map { [$0] } ?? [])
    }

    init(_ shown: [Raadpleging], now: Date, session: Session?, gemeente: Gemeente?, canManage: Bool) {
        consultations = shown.map { c in
            let state = c.deadlineState(at: now)
            let invited = gemeente.map(c.invites) ?? false
            let action: NavItem? = switch session?.principal.role {
            case .griffie? where invited: NavItem(href: Links.form(c.id), label: c.status == .open ? "Naar het formulier"
                                                    : "Uw ontvangstbevestiging", current: false)
            case .coordinator?: NavItem(href: Links.overview(c.id), label: "Naar het overzicht", current: false)
            default: nil
            }
            return ConsultationCard(titel: c.titel, status: c.status.label, open: c.status == .open, closed: c.status == .gesloten,
                                    deadline: c.deadline.map(AmsterdamTime.inWords), remaining: state.remainingInWords.map(sentence),
                                    href: Links.consultation(c.id), action: action,
                                    notInvited: session?.principal.role == .griffie && !invited,
                                    rbo: c.rboVergadering?.inWords)
        }
        hasConsultations = !consultations.isEmpty
        loggedIn = session != nil
        login = NavItem(href: "/inloggen", label: "Inloggen met uw toegangscode", current: false)
        manage = canManage ? NavItem(href: Links.coordinatorHome, label: "Raadplegingen beheren", current: false) : nil
    }
}
