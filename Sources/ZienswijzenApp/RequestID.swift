import Synchronization

/// Request ids for responses whose request brought none: 32 lowercase hex digits, unique for the
/// life of the process and unlike those of any other run, made without a system call or a lock.
///
/// An id is an atomic counter passed through a keyed bijection (SplitMix64's finalizer, with two
/// random keys drawn once at start), so no two requests of one process share an id, and the ids
/// do not reveal how many requests came before. They are labels for logs, not secrets: anything
/// that must not be guessed (session tokens, codes) comes from `randomHexID()`.
enum RequestID {
    private static let keys: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let counter = Atomic<UInt64>(0)
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        let first = mix(n &+ keys.0)
        let second = mix(first ^ keys.1)
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for i in 0..<16 {
                buffer[i] = digits[Int((first >> UInt64(60 - 4 * i)) & 0xF)]
                buffer[16 + i] = digits[Int((second >> UInt64(60 - 4 * i)) & 0xF)]
            }
            return 32
        }
    }

    /// SplitMix64's finalizer: a bijection on 64-bit values that scatters neighbouring inputs.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
