import Crypto

/// Lowercase hex SHA-256 of some bytes.
package func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
    hex(SHA256.hash(data: Array(bytes)))
}

/// Lowercase hex SHA-256 of a string's UTF-8 bytes.
package func sha256Hex(_ string: String) -> String {
    sha256Hex(Array(string.utf8))
}

/// Lowercase hex of a digest.
package func hex(_ digest: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for byte in digest {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
