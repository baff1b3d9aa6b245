import Foundation
import HTTP

extension App {
    /// Registers the web pages and the assets under `/assets`.
    func registerWeb(_ router: inout Router) {
        router.addStaticFiles("/assets", StaticFiles(root: configuration.publicDirectory + "/assets"))
        web(&router, .get, "/") { [self] request in
            let session = webSession(request)
            let consultation = try currentConsultation()
            return page("start", title: "Zienswijzen op het beleidsplan", session: session, path: "/",
                        content: StartView(consultation, now: clock.now(), session: session))
        }
        registerLogin(&router)
        registerGriffiePages(&router)
        registerReceiptPages(&router)
        registerCoordinatorPages(&router)
        registerAccessCodePages(&router)
    }

    /// The HTML page for an error the router answers itself (an unknown path).
    func renderErrorPage(status: Int, request: HTTPRequest) -> HTTPResponse {
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
    func currentConsultation() throws -> Consultation {
        guard let consultation = try read({ try CatalogStore.consultation($0, id: App.defaultConsultation) }) else {
            throw WebFailure.notFound("De raadpleging is niet gevonden.")
        }
        return consultation
    }

    // MARK: Login and logout

    private func registerLogin(_ router: inout Router) {
        web(&router, .get, "/inloggen") { [self] request in
            if let session = webSession(request) {
                return .redirect(to: session.principal.role == .coordinator ? "/coordinator" : "/zienswijze")
            }
            return loginPage(status: 200, error: nil)
        }
        web(&router, .post, "/inloggen", bodyLimit: 16 * 1024) { [self] request in
            let now = clock.now()
            if let wait = throttle.retryAfter(address: request.remoteAddress, now: now) {
                var response = errorPage(status: 429, message: "Er is te vaak een verkeerde toegangscode ingevoerd vanaf dit adres. "
                                         + "Probeer het over \(minutesInWords(wait)) opnieuw.", request: request)
                response.headers.set("Retry-After", String(wait))
                return response
            }
            let fields = try checkedForm(request, expected: request.cookies[loginCookieName] ?? "")
            let typed = fields.first { $0.0 == "code" }?.1 ?? ""
            if typed.trimmingCharacters(in: .whitespaces).isEmpty {
                return loginPage(status: 422, error: "Vul uw toegangscode in.")
            }
            guard let principal = try read({ try AccessCodeStore.principal($0, typedCode: typed) }) else {
                recordFailedAuthentication(request, reason: "onbekende of ingetrokken toegangscode (inlogformulier)")
                return loginPage(status: 422, error: "Deze toegangscode is onbekend of ingetrokken. Controleer de code en probeer het opnieuw.")
            }
            let token = try write { db in
                let token = try SessionStore.create(db, codeID: principal.codeID, at: now)
                try AuditStore.record(db, at: now, actor: principal.actor, toegangscodeID: principal.codeID,
                                      actie: "ingelogd", onderwerp: "sessie", adres: request.remoteAddress)
                return token
            }
            noteUse(of: principal, at: now)
            var response = HTTPResponse.redirect(to: principal.role == .coordinator ? "/coordinator" : "/zienswijze")
            if let cookie = sessionCookie(token: token) { response.setCookie(cookie) }
            if let cookie = expiredCookie(loginCookieName, path: "/inloggen") { response.setCookie(cookie) }
            return response
        }
        web(&router, .post, "/uitloggen", bodyLimit: 16 * 1024) { [self] request in
            guard let token = request.cookies[sessionCookieName], let session = webSession(request) else {
                return .redirect(to: "/")
            }
            _ = try checkedForm(request, expected: session.csrfToken)
            let now = clock.now()
            try write { db in
                try SessionStore.delete(db, token: token)
                try AuditStore.record(db, at: now, actor: session.principal.actor, toegangscodeID: session.principal.codeID,
                                      actie: "uitgelogd", onderwerp: "sessie", adres: request.remoteAddress)
            }
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

    init(_ consultation: Consultation, now: Date, session: WebSession?) {
        titel = consultation.titel
        deadline = consultation.deadline.map(AmsterdamTime.inWords)
        remaining = consultation.deadline.map { sentence(AmsterdamTime.remainingInWords(from: now, to: $0)) }
        past = isLate(receivedAt: now, deadline: consultation.deadline)
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
