import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sees every commit to a WAL-mode database, by any process, with one read of shared memory:
/// the first copy of the wal-index header at the start of the `-shm` file (48 bytes; iChange,
/// mxFrame, the frame and header checksums all move on every commit, and the salts on every
/// restart of the log; https://www.sqlite.org/walformat.html §2.1). It is how SQLite's own readers
/// notice a change, without a system call or a lock.
///
/// The file is mapped read-only the first time it exists with a whole header (SQLite creates it
/// with the first transaction); until then `fingerprint()` is nil and callers rely on their own
/// counter. A header read while a writer updates it gives some other value, which only costs one
/// rebuild more. SQLite does not truncate the `-shm` file while this process has the database
/// open, so the mapping stays valid; it is unmapped when the object goes away.
final class WALIndexHeader: Sendable {
    private static let headerBytes = 48
    private let path: String
    /// The mapped address, or 0 while unmapped.
    private let address = Atomic<UInt>(0)
    private let mapping = Mutex<UnsafeMutableRawPointer?>(nil)

    init(databasePath: String) {
        path = databasePath + "-shm"
    }

    deinit {
        mapping.withLock { pointer in
            if let pointer { munmap(pointer, Int(getpagesize())) }
        }
    }

    /// A hash of the header as it is now, or nil when the file cannot be mapped (yet).
    func fingerprint() -> UInt64? {
        var base = address.load(ordering: .acquiring)
        if base == 0 {
            base = map()
            if base == 0 { return nil }
        }
        let header = UnsafeRawPointer(bitPattern: base)!
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for word in 0..<(Self.headerBytes / 8) {
            hash = (hash ^ header.load(fromByteOffset: word * 8, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            hash ^= hash >> 29
        }
        return hash
    }

    private func map() -> UInt {
        mapping.withLock { pointer -> UInt in
            if let pointer { return UInt(bitPattern: pointer) }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return 0 }
            defer { close(fd) }
            var info = stat()
            // Mapping past the end of the file would fault on the first read (SIGBUS).
            guard fstat(fd, &info) == 0, Int(info.st_size) >= 2 * Self.headerBytes else { return 0 }
            let length = Int(getpagesize())
            guard let mapped = mmap(nil, min(length, Int(info.st_size)), PROT_READ, MAP_SHARED, fd, 0),
                  mapped != MAP_FAILED else { return 0 }
            pointer = mapped
            address.store(UInt(bitPattern: mapped), ordering: .releasing)
            return UInt(bitPattern: mapped)
        }
    }
}
