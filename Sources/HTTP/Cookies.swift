/// The cookies a request carries, parsed leniently from its `Cookie` header fields
/// (RFC 6265 §5.4 shape `a=b; c=d`).
///
/// Lenient because browsers are: pairs without `=` are skipped, whitespace around names and
/// values is trimmed, and one pair of surrounding double quotes is removed from a value. Order is
/// kept; when a name repeats (same name on different paths), `first` returns the first, which is
/// the browser's most specific one (§5.4 step 2).
package struct RequestCookies: Sendable, Equatable {
    package private(set) var pairs: [(name: String, value: String)] = []

    package init(headers: HTTPHeaders) {
        // Split on the bytes `;` and `=` only: Swift's Character comparison would also split on
        // U+037E GREEK QUESTION MARK, which is canonically equivalent to ";".
        for field in headers.values("Cookie") {
            for piece in Array(field.utf8).split(separator: UInt8(ascii: ";")) {
                guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { continue }
                let name = String(decoding: piece[..<equals], as: UTF8.self).trimmingHTTPWhitespace()
                guard !name.isEmpty else { continue }
                var value = String(decoding: piece[(equals + 1)...], as: UTF8.self).trimmingHTTPWhitespace()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                pairs.append((name, value))
            }
        }
    }

    package subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    package func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    package static func == (lhs: RequestCookies, rhs: RequestCookies) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0 == $1 }
    }
}

extension HTTPRequest {
    package var cookies: RequestCookies { RequestCookies(headers: headers) }
}

/// Why a `Set-Cookie` could not be built: the name or value would break the header's syntax
/// (and could inject attributes), or a `__Host-`/`__Secure-` prefix's rules are not met.
package enum CookieError: Error, Sendable, Equatable {
    case invalidName
    case invalidValue
    case invalidPath
    case prefixRequirements
}

/// A `Set-Cookie` header value (RFC 6265 §4.1), with safe defaults: `Path=/`, `HttpOnly`,
/// `Secure` and `SameSite=Lax`. No `Domain` attribute is offered: a host-only cookie is not sent
/// to sibling subdomains, which is what a session cookie wants.
package struct SetCookie: Sendable, Equatable {
    package enum SameSite: String, Sendable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    package let name: String
    package let value: String
    package let path: String?
    /// Seconds; 0 deletes the cookie, nil makes it a session cookie.
    package let maxAge: Int?
    package let httpOnly: Bool
    package let secure: Bool
    package let sameSite: SameSite?

    /// Validates as it builds, so a `SetCookie` that exists is always a well-formed header value.
    /// The value is not encoded: callers that need arbitrary text should base64url it first.
    package init(name: String, value: String, path: String? = "/", maxAge: Int? = nil,
                 httpOnly: Bool = true, secure: Bool = true, sameSite: SameSite? = .lax) throws(CookieError) {
        guard !name.isEmpty, name.utf8.allSatisfy(MIMEParameters.isTokenByte) else { throw .invalidName }
        guard value.utf8.allSatisfy(isCookieOctet) else { throw .invalidValue }
        if let path {
            // av-octet: any CHAR except CTLs or ";" (§4.1.1).
            guard path.hasPrefix("/"), path.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") })
            else { throw .invalidPath }
        }
        // Cookie prefixes (RFC 6265bis §4.1.3): browsers drop cookies that break these rules.
        if name.hasPrefix("__Secure-") && !secure { throw .prefixRequirements }
        if name.hasPrefix("__Host-") && (!secure || path != "/") { throw .prefixRequirements }
        if sameSite == SameSite.none && !secure { throw .prefixRequirements }
        self.name = name
        self.value = value
        self.path = path
        self.maxAge = maxAge
        self.httpOnly = httpOnly
        self.secure = secure
        self.sameSite = sameSite
    }

    /// A cookie that tells the browser to forget `name` (same path, `Max-Age=0`).
    package static func deleting(_ name: String, path: String? = "/", secure: Bool = true) throws(CookieError) -> SetCookie {
        try SetCookie(name: name, value: "", path: path, maxAge: 0, secure: secure)
    }

    package var headerValue: String {
        var text = "\(name)=\(value)"
        if let path { text += "; Path=\(path)" }
        if let maxAge { text += "; Max-Age=\(max(0, maxAge))" }
        if httpOnly { text += "; HttpOnly" }
        if secure { text += "; Secure" }
        if let sameSite { text += "; SameSite=\(sameSite.rawValue)" }
        return text
    }
}

extension HTTPResponse {
    /// Adds a `Set-Cookie` field (one per cookie: Set-Cookie values are never comma-joined).
    package mutating func setCookie(_ cookie: SetCookie) {
        headers.add("Set-Cookie", cookie.headerValue)
    }
}

/// RFC 6265 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash.
private func isCookieOctet(_ byte: UInt8) -> Bool {
    byte >= 0x21 && byte <= 0x7E && byte != 0x22 && byte != 0x2C && byte != 0x3B && byte != 0x5C
}
