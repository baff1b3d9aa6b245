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
/// routed to GET and the server drops the body. Files are read whole: they are small assets.
package struct StaticFiles: Sendable {
    /// The root as resolved at start-up; nil if it did not exist (then every request is 404).
    package let resolvedRoot: String?
    package let cacheControl: String
    /// Renders the 404, so the application can use its own page.
    package var notFound: @Sendable (HTTPRequest) -> HTTPResponse = { _ in .text(404, "404 Not Found\n") }

    package init(root: String, cacheControl: String = "public, max-age=3600") {
        self.resolvedRoot = StaticFiles.realPath(root)
        self.cacheControl = cacheControl
    }

    /// The response for `relativePath` (the route's catch-all, already percent-decoded and free
    /// of dot segments by `RequestTarget`, but checked again here).
    package func response(for relativePath: String, request: HTTPRequest) -> HTTPResponse {
        guard let file = lookup(relativePath) else { return notFound(request) }
        var headers = HTTPHeaders()
        headers.add("ETag", file.etag)
        headers.add("Last-Modified", IMFFixdate.format(secondsSince1970: file.modifiedSeconds))
        headers.add("Cache-Control", cacheControl)
        if notModified(file, request.headers) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers.add("Content-Type", StaticFiles.contentType(forPath: relativePath))
        headers.add("X-Content-Type-Options", "nosniff")
        return HTTPResponse(status: 200, headers: headers, body: .bytes(file.bytes))
    }

    // MARK: Conditional requests

    private func notModified(_ file: File, _ headers: HTTPHeaders) -> Bool {
        let noneMatch = headers.values("If-None-Match")
        if !noneMatch.isEmpty {
            let tags = noneMatch.flatMap { $0.split(separator: ",") }.map { $0.trimmingHTTPWhitespace() }
            return tags.contains { $0 == "*" || StaticFiles.weakEquals($0, file.etag) }
        }
        // A date in the future is invalid (RFC 9110 §13.1.3) and ignored.
        if let since = headers["If-Modified-Since"], let date = IMFFixdate.parse(since), date <= time(nil) {
            return file.modifiedSeconds <= date
        }
        return false
    }

    /// Weak comparison (RFC 9110 §8.8.3.2): equal opaque tags, ignoring any `W/` prefix.
    static func weakEquals(_ a: String, _ b: String) -> Bool {
        func opaque(_ tag: String) -> Substring { tag.hasPrefix("W/") ? tag.dropFirst(2) : tag[...] }
        return opaque(a) == opaque(b)
    }

    // MARK: File system

    struct File {
        var bytes: [UInt8]
        var modifiedSeconds: Int
        var etag: String
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
        return StaticFiles.readFile(resolved)
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
    private static func readFile(_ path: String) -> File? {
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
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        let seconds = Int(modified.tv_sec)
        let nanoseconds = Int(modified.tv_nsec)
        let etag = "\"\(String(size, radix: 16))-\(String(seconds, radix: 16))."
            + "\(String(nanoseconds, radix: 16))-\(String(UInt64(info.st_ino), radix: 16))\""
        return File(bytes: bytes, modifiedSeconds: seconds, etag: etag)
    }
}
