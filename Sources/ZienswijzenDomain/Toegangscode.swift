import Crypto

/// Toegangscodes: random, human-typable bearer codes, stored only as a hash.
///
/// A code is 20 symbols of Crockford base32 (`0-9` and `A-Z` without `I L O U`), 5 bits each,
/// so 100 bits, shown as five groups of four: `7K3M-QX9D-2HBT-WV4N-8RJE`. Crockford's alphabet
/// avoids letters that read like digits, and `normalize` forgives the usual typing slips.
package enum Toegangscode {
    /// Crockford base32 symbols, value order.
    package static let alphabet: [Character] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// Symbols in a code (20 × 5 bits = 100 bits).
    package static let length = 20

    /// A new code from the system CSPRNG (`SystemRandomNumberGenerator`: `getrandom(2)` on Linux,
    /// `arc4random` on Darwin). Each symbol is drawn uniformly from the 32, so the code carries
    /// the full 100 bits.
    package static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let symbols = (0..<length).map { _ in alphabet[Int(UInt8.random(in: 0..<32, using: &rng))] }
        return grouped(String(symbols))
    }

    /// A normalized code in groups of four with dashes, for showing to a person.
    package static func grouped(_ normalized: String) -> String {
        var out = ""
        for (n, c) in normalized.enumerated() {
            if n > 0, n % 4 == 0 { out.append("-") }
            out.append(c)
        }
        return out
    }

    /// What a person typed, in canonical form: upper case, spaces, tabs and dashes removed,
    /// Crockford's aliases mapped (`O` → `0`, `I` and `L` → `1`). Nil for any other character or
    /// for the wrong number of symbols; such a code cannot be valid, so it is refused without a
    /// database lookup.
    package static func normalize(_ typed: String) -> String? {
        guard typed.utf8.count <= 200 else { return nil }
        var out: [Character] = []
        out.reserveCapacity(length)
        for scalar in typed.unicodeScalars {
            switch scalar {
            case " ", "\t", "-", "\u{2010}", "\u{2011}", "\u{2013}": continue  // dashes a word processor may put in
            case "a"..."z", "A"..."Z", "0"..."9":
                var c = Character(scalar).uppercased().first ?? "?"
                switch c {
                case "O": c = "0"
                case "I", "L": c = "1"
                case "U": return nil
                default: break
                }
                out.append(c)
            default:
                return nil
            }
        }
        guard out.count == length else { return nil }
        return String(out)
    }

    /// Lowercase hex SHA-256 of the normalized code, the only form stored.
    ///
    /// A plain fast hash is adequate here, unlike for passwords: a password hash must be slow
    /// because people choose guessable passwords, but these codes are 100 random bits, so even a
    /// stolen table of hashes cannot be reversed by guessing (2^100 tries). No salt is needed for
    /// the same reason, and an unsalted hash lets a login look the code up by its hash directly.
    package static func hash(normalized: String) -> String {
        Hex.encode(SHA256.hash(data: Array(normalized.utf8)))
    }

    /// Compares two hex digests in time that depends only on their lengths (which are public),
    /// not on where they first differ, so timing reveals nothing about a stored hash.
    package static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
