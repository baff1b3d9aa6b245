/// The request method, as sent (methods are case-sensitive, RFC 9110 §9.1).
package struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package var description: String { rawValue }

    package static let get = HTTPMethod("GET")
    package static let head = HTTPMethod("HEAD")
    package static let post = HTTPMethod("POST")
    package static let put = HTTPMethod("PUT")
    package static let patch = HTTPMethod("PATCH")
    package static let delete = HTTPMethod("DELETE")
    package static let options = HTTPMethod("OPTIONS")
}

package struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    package var major: Int
    package var minor: Int
    package init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }
    package static let http1_0 = HTTPVersion(major: 1, minor: 0)
    package static let http1_1 = HTTPVersion(major: 1, minor: 1)
    package var description: String { "HTTP/\(major).\(minor)" }
}

/// What the parser hands over once the header section is complete, before any body byte is read.
package struct RequestHead: Sendable, Equatable {
    package var method: HTTPMethod
    /// The request-target exactly as sent (origin-form `/path?query`, or `*`, or absolute-form).
    package var target: String
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    /// How the body is framed, as decided by the parser from Content-Length / Transfer-Encoding.
    package var framing: BodyFraming

    package init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders, framing: BodyFraming) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.framing = framing
    }
}

package enum BodyFraming: Sendable, Equatable {
    case none
    case contentLength(Int)
    case chunked
}

/// A complete request as a handler sees it.
package struct HTTPRequest: Sendable {
    package var head: RequestHead
    /// The percent-decoded, dot-segment-free path (see `RequestTarget`).
    package var path: String
    /// The raw query string after `?`, without the `?`; nil when absent.
    package var query: String?
    /// The body when it is in memory (the policy's `memoryLimit` or less); empty when it was
    /// spooled to a file (`spooledBody`). `bodyReader()` reads either.
    package var body: [UInt8]
    /// The body when it was larger than the policy's `memoryLimit`: an unlinked temporary file,
    /// closed when the last copy of this request is gone. Nil when the body is in `body`.
    package var spooledBody: SpooledBody?
    /// Trailer fields of a chunked body (usually empty), never merged into `headers`; fields that
    /// must not be trailers (RFC 9110 §6.5.1) have been discarded.
    package var trailers: HTTPHeaders
    /// The peer's address as text (`127.0.0.1`, `::1`), for logs and rate limits.
    package var remoteAddress: String
    /// Path parameters filled in by the router (`{gemeente}` -> `GM0518`).
    package var parameters: [String: String]

    package var method: HTTPMethod { head.method }
    package var headers: HTTPHeaders { head.headers }
    /// The body's length, in memory or spooled.
    package var bodyLength: Int { spooledBody?.length ?? body.count }
    /// Whether the body is in a spool file rather than in `body`.
    package var isBodySpooled: Bool { spooledBody != nil }

    package init(head: RequestHead, path: String, query: String?, body: [UInt8] = [], trailers: HTTPHeaders = HTTPHeaders(),
                 remoteAddress: String = "", parameters: [String: String] = [:], spooledBody: SpooledBody? = nil) {
        self.head = head
        self.path = path
        self.query = query
        self.body = body
        self.spooledBody = spooledBody
        self.trailers = trailers
        self.remoteAddress = remoteAddress
        self.parameters = parameters
    }
}

/// A response body: bytes in hand, a producer that writes pieces, or a source the connection
/// pulls pieces from. Bodies of unknown length are sent chunked on HTTP/1.1, or delimited by
/// closing the connection on HTTP/1.0.
package enum ResponseBody: Sendable {
    case bytes([UInt8])
    /// The producer is called off the I/O queues; each `write` blocks until the piece is queued.
    /// It holds a handler thread for as long as the client takes to download: for large or slow
    /// bodies prefer `.pull`.
    case stream(@Sendable (_ write: (ArraySlice<UInt8>) throws -> Void) throws -> Void)
    /// The connection asks `source` for the next piece on a handler thread whenever it has sent
    /// what it had, so no thread is held while the client is slow. With `length` the response
    /// carries Content-Length (a source that delivers a different total closes the connection);
    /// without, it is chunked (HTTP/1.1) or close-delimited (HTTP/1.0). HEAD, 204 and 304 never
    /// pull.
    case pull(length: Int?, any ResponseChunkSource)

    package static let empty = ResponseBody.bytes([])
}

package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: ResponseBody

    package init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: ResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.headers = HTTPHeaders([("Content-Type", contentType)])
        self.body = .bytes(body)
    }

    package init(status: Int, contentType: String, text: String) {
        self.init(status: status, contentType: contentType, body: Array(text.utf8))
    }
}

/// The application side of the server: decides on a request head, then answers the request.
///
/// `decide` and `respond` run on the server's handler threads, never on an I/O queue, and may
/// block briefly (a SQLite transaction). The server bounds how many run at once.
package protocol HTTPResponder: Sendable {
    /// The largest body accepted for this request; a larger Content-Length gets 413 before any
    /// body byte is read, and a chunked body is cut off with 413 once it passes the limit. Used by
    /// the default `decide`.
    func bodyLimit(for head: RequestHead) -> Int
    /// Called once the head of a request WITH a body (Content-Length > 0 or chunked) has arrived,
    /// before any body byte is read. Runs on a handler thread (it may block briefly, e.g. a SQLite
    /// lookup of an access code), never on an I/O queue; the connection reads nothing meanwhile,
    /// and sends `100 Continue` (when asked for) only after an accept. Requests without a body
    /// skip it. The default accepts up to `bodyLimit(for:)`, all in memory.
    func decide(_ head: RequestHead, remoteAddress: String) -> HeadDecision
    func respond(to request: HTTPRequest) -> HTTPResponse
    /// An answer from memory for a complete request without a body, given on the connection's
    /// I/O queue, which spares the trip to a handler thread and back; nil (the default) sends the
    /// request to `respond(to:)` as usual. It must be cheap and must never block: no SQLite, no
    /// file reads, no locks held for long.
    func respondInline(to request: HTTPRequest) -> HTTPResponse?
    /// The answer to a request the server refuses before any handler runs — a malformed request
    /// (400, 414, 431, 501, 505; `head` is nil when it could not be parsed), 413 over the body
    /// limit, 417, or 408 — so an application can explain the refusal in its own format. Nil (the
    /// default) sends the minimal empty answer.
    /// Runs on the connection's event loop: it must be cheap and must not block. The connection
    /// is closed after it whatever the response says.
    func refusal(status: Int, head: RequestHead?) -> HTTPResponse?
}

extension HTTPResponder {
    package func refusal(status: Int, head: RequestHead?) -> HTTPResponse? { nil }
    package func respondInline(to request: HTTPRequest) -> HTTPResponse? { nil }
}

/// Where a `.pull` response body comes from.
///
/// `next()` is called on a handler thread, one call at a time (never concurrently, though not
/// always on the same thread), and only when the connection has sent everything it had: no
/// thread waits for a slow client. Return pieces of 16-64 KiB; an empty piece is skipped; nil
/// ends the body; a thrown error cuts the response short (the connection closes, so the client
/// sees an incomplete body). Release resources (a file descriptor) in `deinit`: the connection
/// drops the source when the response ends or the connection closes, possibly while no `next()`
/// has returned nil.
package protocol ResponseChunkSource: Sendable {
    func next() throws -> ArraySlice<UInt8>?
}
