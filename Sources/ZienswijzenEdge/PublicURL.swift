/// The site's public address, as an operator configures it (`--public-url`).
package enum PublicURL {
    /// `http(s)://host[:port][/path]` without a trailing slash, or nil when `text` is not such a
    /// URL: another scheme, user info, a query or fragment, spaces or non-ASCII (write an IDN host
    /// in its `xn--` form), a bad host or port.
    package static func normalized(_ text: String) -> String? {
        var rest = Substring(text)
        let scheme: String
        if rest.lowercased().hasPrefix("https://") { scheme = "https://" }
        else if rest.lowercased().hasPrefix("http://") { scheme = "http://" }
        else { return nil }
        rest = rest.dropFirst(scheme.count)
        guard rest.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), !rest.contains("?"), !rest.contains("#"),
              !rest.contains("@"), !rest.contains("\\") else { return nil }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let host = plausibleHost(String(rest[..<slash])) else { return nil }
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        guard !path.contains("//"), !path.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else { return nil }
        return scheme + host.lowercased() + path
    }

    /// `host` or `host:port` when it is a plausible DNS name, IPv4 or bracketed IPv6 literal with
    /// an optional port; nil otherwise (so a `Host` header can never smuggle text into a link).
    package static func plausibleHost(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= 260 else { return nil }
        var host = Substring(text)
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            let port = host[host.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number), port.allSatisfy(\.isASCII) else { return nil }
            host = host[..<colon]
        }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            let inner = host.dropFirst().dropLast()
            return !inner.isEmpty && inner.utf8.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) ? text : nil
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let ok = !labels.isEmpty && labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
        return ok ? text : nil
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }
}
