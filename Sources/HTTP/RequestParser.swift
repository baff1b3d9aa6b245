// STUB: the interface of the incremental request parser. The parser work replaces the body of
// this file (and may split it); the public shape below is what the connection layer codes against.

/// Limits the parser enforces while bytes stream in.
package struct ParserLimits: Sendable {
    /// Longest request line; longer is 414.
    package var maxRequestLine: Int = 8 * 1024
    /// Largest header section (all field lines together); larger is 431.
    package var maxHeaderBytes: Int = 64 * 1024
    /// Most header fields; more is 431.
    package var maxHeaderCount: Int = 100
    /// Largest chunk-extension / trailer section in a chunked body; larger is 400 (trailers 431).
    package var maxChunkExtension: Int = 1024
    package var maxTrailerBytes: Int = 8 * 1024
    package init() {}
}

/// Why a request could not be parsed: the status to answer with (400, 414, 431, 501, 505) and a
/// short English reason for the log (never echoing the client's bytes unescaped).
/// After any parse error the connection must be closed: framing can no longer be trusted.
package struct HTTPParseError: Error, Sendable, Equatable {
    package var status: Int
    package var reason: String
    package init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }
}

package enum ParserEvent: Sendable, Equatable {
    /// The header section is complete. Nothing of the body has been consumed yet, so the caller
    /// can check limits, send `100 Continue`, or refuse, before asking for more events.
    case head(RequestHead)
    /// A piece of the body (de-chunked). Pieces are never empty.
    case body([UInt8])
    /// The message is complete; trailers are empty unless a chunked body carried some.
    case end(trailers: HTTPHeaders)
}

/// An incremental HTTP/1.1 request parser (RFC 9112) over bytes.
///
/// Feed it whatever arrived; pull events until it returns nil (it needs more bytes). It keeps its
/// position, so bytes are never scanned twice. After `.end` the next request of a pipeline starts
/// from the leftover bytes. After an error it stays failed.
package struct RequestParser: Sendable {
    package var limits: ParserLimits

    package init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }

    /// Appends received bytes to the parser's buffer.
    package mutating func feed(_ bytes: some Collection<UInt8>) {}

    /// The next event, or nil when more bytes are needed.
    package mutating func next() throws(HTTPParseError) -> ParserEvent? { nil }

    /// Bytes buffered but not yet consumed (e.g. a pipelined next request), for tests and limits.
    package var bufferedByteCount: Int { 0 }
}
