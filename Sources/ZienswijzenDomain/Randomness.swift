/// Random identifiers from the system's secure generator (`getrandom(2)` on Linux).
package func randomHexID() -> String {
    var generator = SystemRandomNumberGenerator()
    return Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
}
