import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves files below one root directory (`Public/`), with validators for browser caches.
///
/// Containment is checked twice, in different ways, because one mistake here exposes the disk:
/// 1. the relative path's segments must be non-empty and must not start with `.` (no `..`, no
///    `.`, no hidden files such as `.env` or `.git`), and contain no NUL;
/// 2. the joined path is resolved with `realpath` (following every symlink) and must still lie
///    inside the root, itself resolved once at start-up; the resolved part below the root must
///    again contain no hidden segment.
/// Anything else, a directory, a missing or unreadable file, gets 404, never 403: the response
/// does not tell which paths exist.
///
/// Conditional requests (RFC 9110 §13): `If-None-Match` (weak comparison, lists, `*`) wins over
/// `If-Modified-Since`; either can give 304 with the validators and `Cache-Control`. HEAD is
/// routed to GET and the server drops the body.
///
/// Files up to `cacheableSize` are kept in memory with their headers after the first request;
/// each later request checks the file with one `stat(2)` of its resolved path (device, inode,
/// size, modification time in nanoseconds) and reads it again only when that changed, so an
/// edited, replaced or deleted file is never served stale. A resolved path that a symlink later
/// turns elsewhere names another inode, fails the check, and goes through containment again.
/// Larger files are read per request.
package struct StaticFiles: Sendable {
    /// The root as resolved at start-up; nil if it did not exist (then every request is 404).
    package let resolvedRoot: String?
    package let cacheControl: String
    /// Renders the 404, so the application can use its own page.
    package var notFound: @Sendable (HTTPRequest) -> HTTPResponse = { _ in .text(404, "404 Not Found\n") }
    /// Largest file kept in memory, and the most bytes kept in all.
    package static let cacheableSize = 1 << 20
    package static let cacheBudget = 32 << 20
    private let cache = Cache()

    package init(root: String, cacheControl: String = "public, max-age=3600") {
        self.resolvedRoot = StaticFiles.realPath(root)
        self.cacheControl = cacheControl
    }

    /// The response for `relativePath` (the route's catch-all, already percent-decoded and free
    /// of dot segments by `RequestTarget`, but checked again here).
    package func response(for relativePath: String, request: HTTPRequest) -> HTTPResponse {
        guard let file = cachedFile(relativePath) else { return notFound(request) }
        return response(file, request)
    }

    /// The response for a file kept in memory and unchanged on disk (one `stat`), else nil:
    /// never reads a file, so it may run on an I/O queue (see `HTTPResponder.respondInline`).
    package func keptResponse(for relativePath: String, request: HTTPRequest) -> HTTPResponse? {
        guard let cached = cache.entries.withLock({ $0[relativePath] }),
              StaticFiles.identity(ofPath: cached.resolvedPath) == cached.identity else { return nil }
        return response(cached, request)
    }

    private func response(_ file: File, _ request: HTTPRequest) -> HTTPResponse {
        if notModified(file, request.headers) {
            return HTTPResponse(status: 304, headers: file.validators)
        }
        return HTTPResponse(status: 200, headers: file.headers, body: .bytes(file.bytes))
    }

    // MARK: Conditional requests

    private func notModified(_ file: File, _ headers: HTTPHeaders) -> Bool {
        let noneMatch = headers.values("If-None-Match")
        if !noneMatch.isEmpty { return EntityTags.noneMatchHits(noneMatch, file.etag) }
        // A date in the future is invalid (RFC 9110 §13.1.3) and ignored.
        if let since = headers["If-Modified-Since"], let date = IMFFixdate.parse(since), date <= time(nil) {
            return file.modifiedSeconds <= date
        }
        return false
    }

    // MARK: Memory

    /// The file from memory when `stat` says it is unchanged, else from `lookup` (and kept).
    private func cachedFile(_ relativePath: String) -> File? {
        if let cached = cache.entries.withLock({ $0[relativePath] }),
           let identity = StaticFiles.identity(ofPath: cached.resolvedPath), identity == cached.identity {
            return cached
        }
        guard let file = lookup(relativePath) else {
            cache.entries.withLock { _ = $0.removeValue(forKey: relativePath) }
            return nil
        }
        if file.bytes.count <= StaticFiles.cacheableSize {
            cache.entries.withLock { entries in
                let kept = entries.values.reduce(0) { $0 + $1.bytes.count } - (entries[relativePath]?.bytes.count ?? 0)
                if kept + file.bytes.count <= StaticFiles.cacheBudget { entries[relativePath] = file }
            }
        }
        return file
    }

    private final class Cache: Sendable {
        let entries = Mutex<[String: File]>([:])
    }

    // MARK: File system

    /// What `stat` says about a file: equal identities mean the same bytes.
    package struct Identity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    /// A file read whole, with the headers of its 200 and 304 answers made once.
    final class File: Sendable {
        let resolvedPath: String
        let identity: Identity
        let bytes: [UInt8]
        let etag: String
        let validators: HTTPHeaders
        let headers: HTTPHeaders
        var modifiedSeconds: Int { identity.modifiedSeconds }

        init(resolvedPath: String, identity: Identity, bytes: [UInt8], contentType: String, cacheControl: String) {
            self.resolvedPath = resolvedPath
            self.identity = identity
            self.bytes = bytes
            etag = "\"\(String(identity.size, radix: 16))-\(String(identity.modifiedSeconds, radix: 16))."
                + "\(String(identity.modifiedNanoseconds, radix: 16))-\(String(identity.inode, radix: 16))\""
            var validators = HTTPHeaders()
            validators.add("ETag", etag)
            validators.add("Last-Modified", IMFFixdate.format(secondsSince1970: identity.modifiedSeconds))
            validators.add("Cache-Control", cacheControl)
            self.validators = validators
            var headers = validators
            headers.add("Content-Type", contentType)
            headers.add("X-Content-Type-Options", "nosniff")
            self.headers = headers
        }
    }

    /// Opens and reads the file if every containment rule holds, else nil.
    func lookup(_ relativePath: String) -> File? {
        guard let root = resolvedRoot else { return nil }
        // Every test is on bytes: a String comparison would treat canonically equivalent paths as
        // equal (U+212A KELVIN SIGN == "K"), and "." followed by a combining mark is one Character
        // that is not ".", though the file system sees a name starting with a dot.
        let segments = Array(relativePath.utf8).split(separator: Self.slash, omittingEmptySubsequences: false)
        guard !segments.isEmpty,
              segments.allSatisfy({ !$0.isEmpty && $0.first != Self.dot && !$0.contains(0) })
        else { return nil }
        guard let resolved = StaticFiles.realPath(root + "/" + relativePath) else { return nil }
        let prefix = Array((root.hasSuffix("/") ? root : root + "/").utf8)
        let resolvedBytes = Array(resolved.utf8)
        guard resolvedBytes.starts(with: prefix) else { return nil }
        let inside = resolvedBytes.dropFirst(prefix.count).split(separator: Self.slash)
        guard !inside.isEmpty, !inside.contains(where: { $0.first == Self.dot }) else { return nil }
        return StaticFiles.readFile(resolved, contentType: StaticFiles.contentType(forPath: relativePath), cacheControl: cacheControl)
    }

    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Reads a regular file whole; size and dates come from `fstat` on the same descriptor, so the
    /// validators describe the bytes actually sent.
    private static func readFile(_ path: String, contentType: String, cacheControl: String) -> File? {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base + offset, size - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break } // the file shrank while we read it
            offset += count
        }
        if offset < size { bytes.removeLast(size - offset) }
        return File(resolvedPath: path, identity: identity(info), bytes: bytes, contentType: contentType, cacheControl: cacheControl)
    }

    /// The identity of the file at `path` (following symlinks), nil when there is no such file.
    package static func identity(ofPath path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return identity(info)
    }

    private static func identity(_ info: stat) -> Identity {
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int(info.st_size),
                        modifiedSeconds: Int(modified.tv_sec), modifiedNanoseconds: Int(modified.tv_nsec))
    }
}
