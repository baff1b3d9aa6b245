import Crypto

/// Lowercase hex SHA-256 of some bytes.
package func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
    Hex.encode(SHA256.hash(data: Array(bytes)))
}

/// Lowercase hex SHA-256 of a string's UTF-8 bytes.
package func sha256Hex(_ string: String) -> String {
    sha256Hex(Array(string.utf8))
}
