/// The application's answer to a request head that announces a body (`HTTPResponder.decide`),
/// given before any body byte is read.
package enum HeadDecision: Sendable {
    /// Read the body under this policy, then call `respond(to:)`.
    case accept(BodyPolicy)
    /// Answer with this response now; the body is never read. The response goes out with
    /// `Connection: close`; then the connection discards a bounded amount of input (the linger
    /// limits) and closes. A client that sent `Expect: 100-continue` gets this instead of `100`.
    case refuse(HTTPResponse)
}

/// How the server reads an accepted body.
package struct BodyPolicy: Sendable, Equatable {
    /// The largest body accepted: a larger Content-Length is answered 413 at once (before any
    /// body byte is read); a chunked body is cut off with 413 as soon as it passes the limit.
    package var limit: Int
    /// Bodies up to this size stay in memory (`HTTPRequest.body`); larger ones are written to an
    /// unlinked temporary file as they arrive (`HTTPRequest.spooledBody`, read with `BodyReader`).
    package var memoryLimit: Int

    package init(limit: Int, memoryLimit: Int) {
        self.limit = max(0, limit)
        self.memoryLimit = max(0, memoryLimit)
    }
}

extension HTTPResponder {
    /// Today's behaviour: accept up to `bodyLimit(for:)`, everything in memory.
    package func decide(_ head: RequestHead, remoteAddress: String) -> HeadDecision {
        let limit = bodyLimit(for: head)
        return .accept(BodyPolicy(limit: limit, memoryLimit: limit))
    }
}
