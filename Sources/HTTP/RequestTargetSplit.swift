/// Splits a raw request-target into path and query at the first `?`.
///
/// INTEGRATOR: this is the one place the connection computes `HTTPRequest.path`/`query`; swap
/// it for `RequestTarget` (percent-decoding, dot segments) from the router branch. Until then
/// `path` is the raw, undecoded path part.
enum RequestTargetSplit {
    static func split(_ target: String) -> (path: String, query: String?) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target, nil) }
        let path = String(target[..<mark])
        let query = String(target[target.index(after: mark)...])
        return (path, query)
    }
}
