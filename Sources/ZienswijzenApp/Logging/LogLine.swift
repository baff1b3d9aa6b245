import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One log line as UTF-8 bytes, in logfmt (`ts=... level=info msg=request key=value`) or JSON
/// (`{"ts":"...","level":"info",...}`, every value a string). Built byte by byte into a buffer the
/// caller keeps, so a line costs no intermediate strings; values are escaped so a client's bytes can
/// never start a new line or forge a field.
///
/// Escaping (both formats): `"` `\` as `\"` `\\`; LF, CR, TAB as `\n` `\r` `\t`; other control
/// characters (C0, DEL, C1) and U+2028/U+2029 as `\u00XX`/`\u2028`; everything else as it is.
/// A logfmt value is quoted when it is empty or holds a space, `=`, `"`, a control character or
/// anything non-ASCII.
struct LogLine {
    enum Format: String, Sendable, CaseIterable {
        case logfmt, json
    }

    let format: Format
    private(set) var bytes: [UInt8]
    private var fields = 0

    init(_ format: Format, capacity: Int = 256) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        self.init(format, appendingTo: bytes)
    }

    /// A line appended to `buffer` (the log writer's pending bytes, so the line is formatted in
    /// place); `finish()` gives the whole buffer back.
    init(_ format: Format, appendingTo buffer: [UInt8]) {
        self.format = format
        bytes = buffer
        if format == .json { bytes.append(UInt8(ascii: "{")) }
    }

    /// Appends `key=value` (or `"key":"value"`). Keys are plain ASCII names.
    mutating func field(_ key: StaticString, _ value: some StringProtocol) {
        field(key.utf8Start, key.utf8CodeUnitCount, value)
    }

    mutating func field(_ key: String, _ value: some StringProtocol) {
        var key = key
        key.withUTF8 { field($0.baseAddress!, $0.count, value) }
    }

    /// An integer value, written without escaping.
    mutating func field(_ key: StaticString, _ value: Int) {
        separator()
        name(key.utf8Start, key.utf8CodeUnitCount)
        if format == .json { bytes.append(UInt8(ascii: "\"")) }
        appendInt(value)
        if format == .json { bytes.append(UInt8(ascii: "\"")) }
    }

    /// `key=<the time now>` (see `timestamp()`), written without an intermediate string.
    mutating func timestampField(_ key: StaticString) {
        separator()
        name(key.utf8Start, key.utf8CodeUnitCount)
        if format == .json { bytes.append(UInt8(ascii: "\"")) }
        Self.appendTimestamp(to: &bytes)
        if format == .json { bytes.append(UInt8(ascii: "\"")) }
    }

    /// `key=value` for a number of hundredths, written as Swift prints the `Double` (`0.12`,
    /// `3.5`, `7.0`).
    mutating func hundredthsField(_ key: StaticString, _ hundredths: Int) {
        separator()
        name(key.utf8Start, key.utf8CodeUnitCount)
        if format == .json { bytes.append(UInt8(ascii: "\"")) }
        appendInt(hundredths / 100)
        bytes.append(UInt8(ascii: "."))
        let fraction = hundredths % 100
        if fraction % 10 == 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10))
        } else {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10))
            bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
        }
        if format == .json { bytes.append(UInt8(ascii: "\"")) }
    }

    /// The finished line, with its newline.
    mutating func finish() -> [UInt8] {
        if format == .json { bytes.append(UInt8(ascii: "}")) }
        bytes.append(0x0A)
        return bytes
    }

    // MARK: Pieces

    private mutating func field(_ key: UnsafePointer<UInt8>, _ keyCount: Int, _ value: some StringProtocol) {
        separator()
        name(key, keyCount)
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { appendValue($0) }
        if done == nil { appendValue(Array(value.utf8)) }
    }

    /// A value, quoted and escaped as the format needs, judged in one pass over its bytes.
    private mutating func appendValue<C: Collection<UInt8>>(_ utf8: C) {
        var classes: UInt8 = 0
        Self.byteClasses.withUnsafeBufferPointer { table in
            for byte in utf8 { classes |= table[Int(byte)] }
        }
        let quoted = format == .json || utf8.isEmpty || classes & Self.needsQuotes != 0
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        if classes & Self.needsEscape != 0 { escape(utf8) } else { bytes.append(contentsOf: utf8) }
        if quoted { bytes.append(UInt8(ascii: "\"")) }
    }

    private static let needsQuotes: UInt8 = 1
    private static let needsEscape: UInt8 = 2
    /// Per byte value: whether it makes a logfmt value quoted (space, `=`, `"`, controls,
    /// non-ASCII) and whether it may need escaping (`"`, `\`, controls, DEL, and the lead bytes of
    /// C1 controls and U+2028/U+2029).
    private static let byteClasses: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        var classes: UInt8 = 0
        if byte == 0x20 || byte == 0x3D || byte == 0x22 || byte < 0x20 || byte >= 0x7F { classes |= needsQuotes }
        if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xC2 || byte == 0xE2 { classes |= needsEscape }
        return classes
    }

    private mutating func separator() {
        if fields > 0 { bytes.append(format == .json ? UInt8(ascii: ",") : UInt8(ascii: " ")) }
        fields += 1
    }

    private mutating func name(_ key: UnsafePointer<UInt8>, _ count: Int) {
        if format == .json { bytes.append(UInt8(ascii: "\"")) }
        bytes.append(contentsOf: UnsafeBufferPointer(start: key, count: count))
        if format == .json {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: ":"))
        } else {
            bytes.append(UInt8(ascii: "="))
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Escapes per byte of UTF-8: C1 controls (U+0080-U+009F, `C2 80`-`C2 9F`) and U+2028/U+2029
    /// (`E2 80 A8`/`E2 80 A9`) are recognized by their byte sequences.
    private mutating func escape<C: Collection<UInt8>>(_ utf8: C) {
        var i = utf8.startIndex
        func byte(after index: C.Index, _ n: Int) -> UInt8? {
            var j = index
            for _ in 0..<n {
                j = utf8.index(after: j)
                if j == utf8.endIndex { return nil }
            }
            return utf8[j]
        }
        while i != utf8.endIndex {
            let b = utf8[i]
            var consumed = 1
            switch b {
            case UInt8(ascii: "\""): bytes += [0x5C, 0x22]
            case UInt8(ascii: "\\"): bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
            case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
            case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
            case 0x00..<0x20, 0x7F: unicodeEscape(UInt32(b))
            case 0xC2:
                if let next = byte(after: i, 1), (0x80...0x9F).contains(next) {
                    unicodeEscape(UInt32(next))
                    consumed = 2
                } else {
                    bytes.append(b)
                }
            case 0xE2:
                if byte(after: i, 1) == 0x80, let third = byte(after: i, 2), third == 0xA8 || third == 0xA9 {
                    unicodeEscape(third == 0xA8 ? 0x2028 : 0x2029)
                    consumed = 3
                } else {
                    bytes.append(b)
                }
            default: bytes.append(b)
            }
            for _ in 0..<consumed { i = utf8.index(after: i) }
        }
    }

    private mutating func unicodeEscape(_ value: UInt32) {
        bytes += [0x5C, UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(Self.hex[Int((value >> UInt32(shift)) & 0xF)]) }
    }

    mutating func appendInt(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8((magnitude / divisor) % 10))
            divisor /= 10
        }
    }

    /// The time now in UTC as `2026-12-03T13:22:19.436Z`, from the system clock without Foundation.
    static func timestamp() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendTimestamp(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The formatted time up to the whole second (`2026-12-03T13:22:19.`), kept for the second it
    /// names: most lines of a busy second share it.
    private static let secondPrefix = Mutex<(second: Int, bytes: [UInt8])>((-1, []))

    private static func appendTimestamp(to out: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = Int(now.tv_sec)
        secondPrefix.withLock { cached in
            if cached.second != second {
                cached = (second, formatSecond(now.tv_sec))
            }
            out.append(contentsOf: cached.bytes)
        }
        let millis = Int(now.tv_nsec / 1_000_000)
        out.append(UInt8(ascii: "0") + UInt8(millis / 100))
        out.append(UInt8(ascii: "0") + UInt8(millis / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(millis % 10))
        out.append(UInt8(ascii: "Z"))
    }

    private static func formatSecond(_ time: time_t) -> [UInt8] {
        var seconds = time
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(20)
        func digits(_ n: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((n / divisor) % 10))
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        out.append(UInt8(ascii: "-")); digits(Int(parts.tm_mon) + 1, 2)
        out.append(UInt8(ascii: "-")); digits(Int(parts.tm_mday), 2)
        out.append(UInt8(ascii: "T")); digits(Int(parts.tm_hour), 2)
        out.append(UInt8(ascii: ":")); digits(Int(parts.tm_min), 2)
        out.append(UInt8(ascii: ":")); digits(Int(parts.tm_sec), 2)
        out.append(UInt8(ascii: "."))
        return out
    }
}
