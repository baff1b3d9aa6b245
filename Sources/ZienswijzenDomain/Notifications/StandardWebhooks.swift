import Crypto
import Foundation

/// Signing as the Standard Webhooks specification describes, so receivers can verify with its
/// libraries: the secret is `whsec_` + base64 of the key bytes; the signed content is
/// `{webhook-id}.{webhook-timestamp}.{body}`; the signature is HMAC-SHA256 of it, base64, sent as
/// `webhook-signature: v1,<signature>`, beside `webhook-id` (the same for every retry of one
/// message) and `webhook-timestamp` (Unix seconds of this attempt).
package enum StandardWebhooks {
    package static let secretPrefix = "whsec_"

    /// A new secret: 32 random bytes from the system's secure generator.
    package static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return secretPrefix + Data(bytes).base64EncodedString()
    }

    /// The key bytes of a secret (`whsec_` + base64; the prefix is optional, as in the libraries).
    package static func key(secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else { return nil }
        return Array(data)
    }

    /// `v1,<base64 HMAC-SHA256>` over `id.timestamp.body`; nil for a secret that is not base64.
    package static func signature(secret: String, id: String, timestamp: Int, body: [UInt8]) -> String? {
        guard let key = key(secret: secret) else { return nil }
        var content = Array("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers of one delivery attempt.
    package static func headers(secret: String, id: String, timestamp: Int, body: [UInt8]) -> [(String, String)]? {
        guard let signature = signature(secret: secret, id: id, timestamp: timestamp, body: body) else { return nil }
        return [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature)]
    }
}
