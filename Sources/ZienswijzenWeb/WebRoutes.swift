import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

extension Web {
    func registerStart(_ routes: inout RouteTable) {
        web(&routes, .get, "/") { [self] request in
            let session = webSession(request)
            let consultation = try currentConsultation()
            return page("start", title: "Zienswijzen op het beleidsplan", session: session, path: "/",
                        content: StartView(consultation, now: clock.now(), session: session))
        }
    }

    /// The HTML page for an error the router answers itself (an unknown path).
    package func renderErrorPage(status: Int, request: HTTPRequest) -> HTTPResponse {
        let message = status == 404
            ? "Deze pagina bestaat niet. Controleer het adres, of ga naar de startpagina."
            : "Het verzoek kon niet worden verwerkt."
        return errorPage(status: status, message: message, request: request)
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
        let home = session.map { $0.principal.role == .coordinator ? "/coordinator" : "/zienswijze" } ?? "/"
        return page("fout", title: heading, session: session, status: status,
                    content: ErrorView(heading: heading, message: message, status: status, home: home,
                                       homeLabel: session == nil ? "Naar de startpagina" : "Terug naar uw beginpagina"))
    }

    /// The consultation this deployment runs.
    func currentConsultation() throws -> Raadpleging {
        do {
            return try ops.raadpleging(Raadpleging.defaultID)
        } catch Refusal.notFound {
            throw WebFailure.notFound("De raadpleging is niet gevonden.")
        }
    }

    // MARK: Login and logout

    func registerLogin(_ routes: inout RouteTable) {
        web(&routes, .get, "/inloggen") { [self] request in
            if let session = webSession(request) {
                return .redirect(to: session.principal.role == .coordinator ? "/coordinator" : "/zienswijze")
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
                return loginPage(status: 422, error: "Deze toegangscode is onbekend of ingetrokken. Controleer de code en probeer het opnieuw.")
            }
            var response = HTTPResponse.redirect(to: login.principal.role == .coordinator ? "/coordinator" : "/zienswijze")
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

    /// The login form with a fresh CSRF cookie and field.
    private func loginPage(status: Int, error: String?) -> HTTPResponse {
        let token = randomHexID()
        var response = page("inloggen", title: "Inloggen", session: nil, status: status, hasErrors: error != nil,
                            path: "/inloggen", content: LoginView(csrf: token, error: error))
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
}

struct LoginView {
    var csrf: String
    var error: String?
}

struct ThemaView {
    var code: String
    var titel: String
    var samenvatting: String
}

/// The start page: the consultation, what is asked, the deadline and the way in.
struct StartView {
    var titel: String
    var deadline: String?
    var remaining: String?
    var past: Bool
    var open: Bool
    var themas: [ThemaView]
    var themaCount: Int
    var next: NavItem

    init(_ consultation: Raadpleging, now: Date, session: Session?) {
        titel = consultation.titel
        deadline = consultation.deadline.map(AmsterdamTime.inWords)
        let state = consultation.deadlineState(at: now)
        remaining = state.remainingInWords.map(sentence)
        past = state.isPast
        open = consultation.status == .open
        themas = consultation.themas.map { ThemaView(code: $0.code, titel: $0.titel, samenvatting: $0.samenvatting) }
        themaCount = themas.count
        next = switch session?.principal.role {
        case .griffie?: NavItem(href: "/zienswijze", label: "Naar het formulier", current: false)
        case .coordinator?: NavItem(href: "/coordinator", label: "Naar het overzicht", current: false)
        case nil: NavItem(href: "/inloggen", label: "Inloggen met uw toegangscode", current: false)
        }
    }
}
