import HTTP
import Synchronization
import ZienswijzenDomain

/// An answer that is the same for everyone and changes only when data changes (the gemeenten,
/// the consultations, the OpenAPI document), kept in memory with a strong `ETag`: built on the
/// first request after a change, then served as it is, and answered with 304 when the client
/// already holds it (`If-None-Match`).
///
/// The caller reads the version (`Operations.dataGeneration`, and for answers that count down, the
/// current second) before it reads the data, so data older than the version is never kept under
/// it. Anything per user (status, export, a griffie's own zienswijze) is never a snapshot.
package final class Snapshot: Sendable {
    package struct Version: Equatable, Sendable {
        package var generation: UInt64
        /// Something else the body depends on, such as the second for a countdown.
        package var tick: Int

        package init(generation: UInt64, tick: Int = 0) {
            self.generation = generation
            self.tick = tick
        }
    }

    private final class Entry: Sendable {
        let version: Version
        let body: [UInt8]
        let etag: String
        let okHeaders: HTTPHeaders
        let notModifiedHeaders: HTTPHeaders

        init(version: Version, body: [UInt8], contentType: String, headers: [(String, String)]) {
            self.version = version
            self.body = body
            etag = "\"" + sha256Hex(body).prefix(32) + "\""
            var validators = HTTPHeaders(headers)
            validators.add("ETag", etag)
            notModifiedHeaders = validators
            validators.add("Content-Type", contentType)
            okHeaders = validators
        }
    }

    private let contentType: String
    private let headers: [(String, String)]
    private let maxEntries: Int
    private let entries = Mutex<[String: Entry]>([:])

    /// - Parameters:
    ///   - headers: sent with every answer, 200 and 304 (`Cache-Control`, CORS).
    ///   - maxEntries: keys kept at once (one per consultation id); past it the memory is cleared.
    package init(contentType: String = "application/json; charset=utf-8",
                 headers: [(String, String)] = [("Cache-Control", "no-cache")], maxEntries: Int = 64) {
        self.contentType = contentType
        self.headers = headers
        self.maxEntries = maxEntries
    }

    /// The answer for `key` at `version`: from memory, or from `build` (whose errors are thrown
    /// as they are, and nothing is kept).
    package func response(to request: HTTPRequest, key: String = "", version: Version,
                          build: () throws -> [UInt8]) throws -> HTTPResponse {
        let entry: Entry
        if let kept = entries.withLock({ $0[key] }), kept.version == version {
            entry = kept
        } else {
            entry = Entry(version: version, body: try build(), contentType: contentType, headers: headers)
            entries.withLock { entries in
                if entries.count >= maxEntries && entries[key] == nil { entries.removeAll() }
                entries[key] = entry
            }
        }
        return response(entry, request)
    }

    /// The kept answer for `key` when it is still at `version`, else nil: never builds, so it may
    /// run on an I/O queue (see `HTTPResponder.respondInline`).
    package func keptResponse(to request: HTTPRequest, key: String = "", version: Version) -> HTTPResponse? {
        guard let kept = entries.withLock({ $0[key] }), kept.version == version else { return nil }
        return response(kept, request)
    }

    private func response(_ entry: Entry, _ request: HTTPRequest) -> HTTPResponse {
        let noneMatch = request.headers.values("If-None-Match")
        if !noneMatch.isEmpty && EntityTags.noneMatchHits(noneMatch, entry.etag) {
            return HTTPResponse(status: 304, headers: entry.notModifiedHeaders)
        }
        return HTTPResponse(status: 200, headers: entry.okHeaders, body: .bytes(entry.body))
    }
}
