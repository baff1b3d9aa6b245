import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which webhook addresses are acceptable, and which network addresses count as private.
///
/// An endpoint must be `https` (plain `http` only where private targets are allowed, for a test
/// receiver or an internal network), without user, password or fragment. Private, loopback,
/// link-local and other non-public addresses are refused unless the operator allows them
/// (`--webhook-allow-private`), so a coordinator cannot point the server at the machine itself or
/// the network behind it. This judges literal addresses and `localhost` at registration; the
/// delivery worker judges every address a name resolves to before each attempt.
package enum WebhookTarget {
    /// Dutch, for `invalidParams`: why `url` cannot be an endpoint; nil when it can.
    package static func problem(_ url: String, allowPrivate: Bool) -> String? {
        guard url.utf8.count <= 2000, url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { return "moet een volledig webadres zijn, zoals https://dms.example.nl/hook" }
        if scheme != "https" && !(scheme == "http" && allowPrivate) {
            return allowPrivate ? "moet met https:// of http:// beginnen" : "moet met https:// beginnen"
        }
        if components.user != nil || components.password != nil { return "mag geen gebruikersnaam of wachtwoord bevatten" }
        if components.fragment != nil { return "mag geen #-deel hebben" }
        if !allowPrivate, isPrivateHost(host) { return "wijst naar een privé- of lokaal netwerkadres; dat is niet toegestaan" }
        return nil
    }

    /// `localhost` names and literal addresses that are not public.
    package static func isPrivateHost(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        if let bytes = literalAddress(name) { return !isPublic(bytes) }
        return false
    }

    /// The bytes of a literal IPv4 (4) or IPv6 (16) address, or nil for a name.
    package static func literalAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// Whether an address (4 or 16 bytes) is a public unicast address. Not public: this network,
    /// private (RFC 1918), shared (100.64/10), loopback, link-local, IETF/benchmark/documentation
    /// ranges, multicast and reserved; for IPv6 also unspecified, unique-local (fc00::/7),
    /// link-local, multicast, documentation, and IPv4-mapped or NAT64 forms of a non-public IPv4.
    package static func isPublic(_ b: [UInt8]) -> Bool {
        if b.count == 4 {
            switch (b[0], b[1], b[2]) {
            case (0, _, _), (10, _, _), (127, _, _): return false
            case (100, 64...127, _): return false
            case (169, 254, _): return false
            case (172, 16...31, _): return false
            case (192, 0, 0), (192, 0, 2), (192, 168, _), (198, 18...19, _), (198, 51, 100), (203, 0, 113): return false
            case (224...255, _, _): return false
            default: return true
            }
        }
        guard b.count == 16 else { return false }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return isPublic(Array(b[12..<16])) }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return false }                  // :: and ::1
        if b[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return isPublic(Array(b[12..<16])) }
        if b[0] & 0xFE == 0xFC { return false }                                // fc00::/7
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return false }                // fe80::/10
        if b[0] == 0xFF { return false }                                       // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return false } // 2001:db8::/32
        return true
    }
}
