/// Random identifiers from the system's secure generator (`getrandom(2)` on Linux): 128 bits as
/// 32 lowercase hex digits, from two 64-bit draws.
package func randomHexID() -> String {
    var generator = SystemRandomNumberGenerator()
    let words = (generator.next(), generator.next())
    return Hex.encode(withUnsafeBytes(of: words) { Array($0) })
}
