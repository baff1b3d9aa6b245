import Foundation
import HTTP
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// The session cookie: a random token whose SHA-256 is the key of a row in `sessies`.
let sessionCookieName = "zw_sessie"
/// The login form's CSRF cookie (there is no session yet to hold a token): a random value that
/// the form repeats in a hidden field (double submit). A cross-site page can neither read the
/// cookie nor set it, so it cannot fill in the field.
let loginCookieName = "zw_login"

/// Why a web request ends in something other than its page; rendered once, in `web(...)`.
enum WebFailure: Error {
    /// Not logged in (or the session ended): go to the login page.
    case loginRequired
    /// Logged in, but this page is for the other role (or another gemeente).
    case forbidden(String)
    /// A POST whose CSRF token is missing or wrong.
    case csrf
    case notFound(String)
    /// The action cannot be done in the current state (closed consultation, nothing to withdraw).
    case conflict(String)
}

extension Web {
    /// Registers a web route: its failures become HTML pages (or the redirect to `/inloggen`)
    /// instead of problem+json.
    /// A request with a body (a form POST) from someone without a session of `role` is answered at
    /// once (the login page or a 403 page), its body never read; nil takes anyone.
    func web(_ routes: inout RouteTable, _ method: HTTPMethod, _ pattern: String, bodyLimit: Int = 2 << 20,
             role: Role? = nil, _ handler: @escaping ThrowingHandler) {
        let head = role.map { role in
            HeadRule { [self] head, path, address, _ in
                let request = HTTPRequest(head: head, path: path, query: nil, remoteAddress: address)
                _ = try requireSession(request, role: role)
            }
        } ?? .anyone
        routes.add(method, pattern, bodyLimit: bodyLimit, head: head, render: { [self] error, request in
            failure(error, request)
        }, handler)
    }

    /// Registers one handler under several patterns: a page's address and its old aliases (which
    /// have no `{id}`: the handler then serves the seeded consultation, `consultationID`).
    func web(_ routes: inout RouteTable, _ method: HTTPMethod, _ patterns: [String], bodyLimit: Int = 2 << 20,
             role: Role? = nil, _ handler: @escaping ThrowingHandler) {
        for pattern in patterns { web(&routes, method, pattern, bodyLimit: bodyLimit, role: role, handler) }
    }

    /// The consultation a request is about: its `{id}`, or the seeded one on an old address.
    func consultationID(_ request: HTTPRequest) -> String {
        request.parameters["id"] ?? Raadpleging.defaultID
    }

    /// The consultation as `actor` may see it (a concept only for coordinators), or a 404 page.
    func consultation(_ id: String, by actor: Actor?) throws -> Raadpleging {
        do {
            return try ops.raadpleging(id, by: actor)
        } catch Refusal.notFound {
            throw WebFailure.notFound("Deze raadpleging bestaat niet.")
        }
    }

    /// The page for whatever a web handler threw.
    func failure(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        switch error {
        case let failure as WebFailure:
            return failurePage(failure, request)
        case let problem as Problem:
            var response = errorPage(status: problem.status, message: problem.detail, request: request)
            for (name, value) in problem.headers where name != "WWW-Authenticate" { response.headers.add(name, value) }
            return response
        case let refusal as Refusal:
            return failure(Problem(refusal), request)
        default:
            logger.error("web request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return errorPage(status: 500, message: Problem.internalError.detail, request: request)
        }
    }

    private func failurePage(_ failure: WebFailure, _ request: HTTPRequest) -> HTTPResponse {
        switch failure {
        case .loginRequired:
            // A form sent with a session that has ended (its code revoked, or the working day over): say so,
            // rather than a silent redirect. The body was never read (the head was refused), so it is not kept.
            if request.method == .post, let token = request.cookies[sessionCookieName], !token.isEmpty {
                var response = loginPage(status: 401, error: nil, ended: "U bent uitgelogd terwijl u het formulier invulde: uw toegangscode "
                    + "is ingetrokken of uw sessie is verlopen. Wat u invulde, is niet verstuurd en niet opgeslagen. Ga terug in uw browser "
                    + "om uw tekst te kopiëren, en log opnieuw in; werkt uw code niet meer, vraag de coördinator dan om een nieuwe.")
                if let cookie = expiredCookie(sessionCookieName) { response.setCookie(cookie) }
                return response
            }
            return .redirect(to: "/inloggen")
        case .forbidden(let message):
            return errorPage(status: 403, message: message, request: request)
        case .csrf:
            return errorPage(status: 403, message: "Het formulier is verlopen of kwam niet van deze website. "
                             + "Ga terug, laad de pagina opnieuw en probeer het nog eens.", request: request)
        case .notFound(let message):
            return errorPage(status: 404, message: message, request: request)
        case .conflict(let message):
            return errorPage(status: 409, message: message, request: request)
        }
    }

    /// The live session of the request's cookie, if any.
    func webSession(_ request: HTTPRequest) -> Session? {
        guard let token = request.cookies[sessionCookieName], !token.isEmpty else { return nil }
        return ops.session(token: token)
    }

    /// The session, which must belong to `role`; otherwise the login redirect or a 403 page.
    func requireSession(_ request: HTTPRequest, role: Role) throws -> Session {
        guard let session = webSession(request) else { throw WebFailure.loginRequired }
        guard session.principal.role == role else {
            throw WebFailure.forbidden(role == .coordinator
                ? "Deze pagina is alleen voor coördinatoren. U bent ingelogd met een toegangscode van een griffie."
                : "Deze pagina is alleen voor griffies. U bent ingelogd met een toegangscode van een coördinator.")
        }
        return session
    }

    /// A POST's fields (urlencoded, or the text parts of a multipart form), after checking its
    /// CSRF field against `expected`. A missing or different token is `WebFailure.csrf`. Files
    /// are accepted only in the fields named in `files`, and only once the CSRF field (which our
    /// forms send first) has been checked: nothing from a forged form is ever stored.
    func checkedForm(_ request: HTTPRequest, expected: String, files: Set<String> = [],
                     limits: MultipartLimits = .upload) throws -> FormBody {
        let check = { (fields: [(String, String)]) throws in
            let sent = fields.first { $0.0 == "csrf" }?.1 ?? ""
            guard !expected.isEmpty, Toegangscode.constantTimeEquals(sent, expected) else { throw WebFailure.csrf }
        }
        let form: FormBody
        do {
            form = try FormBody.read(request, ops: ops, files: files, limits: limits, beforeFile: check)
        } catch let problem as Problem where problem.status == 415 {
            throw WebFailure.csrf // not a form a browser sends, so not from one of our pages
        }
        try check(form.fields)
        return form
    }

    /// `Set-Cookie` for a new session token (HttpOnly, SameSite=Lax, Secure when configured).
    func sessionCookie(token: String) -> SetCookie? {
        try? SetCookie(name: sessionCookieName, value: token, path: "/", maxAge: Int(Session.lifetime),
                       httpOnly: true, secure: configuration.secureCookies, sameSite: .lax)
    }

    func expiredCookie(_ name: String, path: String = "/") -> SetCookie? {
        try? SetCookie(name: name, value: "", path: path, maxAge: 0, httpOnly: true,
                       secure: configuration.secureCookies, sameSite: .lax)
    }
}
