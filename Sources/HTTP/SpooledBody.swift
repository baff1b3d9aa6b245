#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed call on a spool file: the call and the `errno` right after it.
package struct SpoolError: Error, Sendable, Equatable, CustomStringConvertible {
    package var call: String
    package var code: Int32
    package init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }
    package var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }
}

/// A request body that was too large for memory, in a temporary file that has no name: created
/// with `O_TMPFILE` (Linux), or `mkstemp` then `unlink` at once, so nothing is left behind
/// whatever happens to the process; the space is freed when the descriptor is closed.
///
/// The descriptor is closed in `deinit`: an `HTTPRequest` may be copied freely (all copies share
/// this object), and the file goes away when the last copy of the request is gone — normally
/// when the handler returns. A handler that wants the body longer keeps the request (or this
/// object); a `BodyReader` keeps it open too, while the reader lives. Reads use `pread`, which has no shared file offset, so any number of `BodyReader`s
/// may read at once from any thread.
///
/// `@unchecked Sendable`: `length` and the file's contents are written only by the connection's
/// I/O queue while the body arrives, strictly before the request is handed to a handler (the
/// hand-over through the handler pool orders those writes before every read); afterwards the
/// object is only read, with `pread`.
package final class SpooledBody: @unchecked Sendable {
    let fd: Int32
    /// Bytes in the file.
    package private(set) var length = 0

    /// Creates an empty, unlinked file in `directory` (the server does this; `package` so that
    /// application tests can build a request with a spooled body).
    package init(directory: String) throws(SpoolError) {
        #if os(Linux)
        // O_TMPFILE = __O_TMPFILE | O_DIRECTORY (Glibc does not export the combined constant).
        let oTmpFile: Int32 = 0o20000000 | O_DIRECTORY
        let tmp = open(directory, oTmpFile | O_RDWR | O_CLOEXEC, 0o600)
        if tmp >= 0 {
            fd = tmp
            return
        }
        // Not every file system supports O_TMPFILE: fall back to a named file, unlinked at once.
        #endif
        var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast())
            + Array("zienswijzen-body-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if created < 0 { throw SpoolError(call: "mkstemp in \(directory)", code: errno) }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        _ = fcntl(created, F_SETFD, FD_CLOEXEC)
        fd = created
    }

    deinit { close(fd) }

    /// Appends bytes at the end (connection side, before the hand-over). Retries EINTR and short
    /// writes; ENOSPC and other failures are thrown.
    func append(_ bytes: UnsafeRawBufferPointer) throws(SpoolError) {
        var offset = 0
        while offset < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + offset, bytes.count - offset, off_t(length + offset))
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw SpoolError(call: "pwrite", code: code)
            }
            if n == 0 { throw SpoolError(call: "pwrite", code: EIO) }
            offset += n
        }
        length += bytes.count
    }

    /// Appends bytes; only before the body is shared with other threads (see above).
    package func append(_ bytes: [UInt8]) throws(SpoolError) {
        let result: Result<Void, SpoolError> = bytes.withUnsafeBytes { raw in
            do throws(SpoolError) {
                try append(raw)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Up to `count` bytes from `offset` (fewer only at the end of the body).
    package func read(at offset: Int, count: Int) throws(SpoolError) -> [UInt8] {
        let wanted = max(0, min(count, length - offset))
        if wanted == 0 { return [] }
        var out = [UInt8](repeating: 0, count: wanted)
        var got = 0
        while got < wanted {
            let n = out.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + got, wanted - got, off_t(offset + got))
            }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw SpoolError(call: "pread", code: code)
            }
            if n == 0 { throw SpoolError(call: "pread (file shorter than the body)", code: EIO) }
            got += n
        }
        return out
    }
}

/// Reads a request body front to back in pieces of at most `pieceSize` bytes (64 KiB by
/// default), from memory or from the spool file, so a handler can process a body of any size
/// (hash it, parse it with `MultipartStreamParser`, copy it elsewhere) holding one piece at a time.
///
/// A value: each reader has its own position; copies read independently.
package struct BodyReader: Sendable {
    package static let defaultPieceSize = 64 * 1024

    private let memory: [UInt8]
    private let spool: SpooledBody?
    package let pieceSize: Int
    /// Bytes handed out so far.
    package private(set) var offset = 0

    package init(_ request: HTTPRequest, pieceSize: Int = BodyReader.defaultPieceSize) {
        memory = request.body
        spool = request.spooledBody
        self.pieceSize = max(1, min(pieceSize, BodyReader.defaultPieceSize))
    }

    /// The whole body's length.
    package var length: Int { spool?.length ?? memory.count }

    /// The next piece, or nil at the end of the body.
    package mutating func next() throws(SpoolError) -> ArraySlice<UInt8>? {
        if offset >= length { return nil }
        let piece: ArraySlice<UInt8>
        if let spool {
            piece = try spool.read(at: offset, count: pieceSize)[...]
        } else {
            piece = memory[offset..<min(memory.count, offset + pieceSize)]
        }
        offset += piece.count
        return piece
    }

    /// The rest of the body in one array, if it is at most `limit` bytes (else nil, nothing read).
    package mutating func readAll(limit: Int) throws(SpoolError) -> [UInt8]? {
        guard length - offset <= limit else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(length - offset)
        while let piece = try next() { out += piece }
        return out
    }
}

extension HTTPRequest {
    /// A reader over the body, wherever it is (memory or spool).
    package func bodyReader(pieceSize: Int = BodyReader.defaultPieceSize) -> BodyReader {
        BodyReader(self, pieceSize: pieceSize)
    }
}
