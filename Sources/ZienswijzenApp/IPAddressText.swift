#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IP address literals as text.
enum IPAddressText {
    /// The canonical text of an IPv4 or IPv6 address literal (`inet_pton`, then `inet_ntop`), or
    /// nil when `text` is not one (a host name, a port, a zone, garbage).
    static func canonical(_ text: String) -> String? {
        guard text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return format(AF_INET, &v4, Int(INET_ADDRSTRLEN))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return format(AF_INET6, &v6, Int(INET6_ADDRSTRLEN))
        }
        return nil
    }

    private static func format<T>(_ family: Int32, _ address: inout T, _ length: Int) -> String? {
        var buffer = [CChar](repeating: 0, count: length)
        let written = withUnsafeBytes(of: &address) { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(length))
        }
        guard written != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
