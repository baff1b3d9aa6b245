/// Splits a raw request-target into path and query at the first `?`, without decoding: for the
/// access log (which records what was sent, escaped) and as the fallback for a target that
/// `RequestTarget.parse` refuses (the router then answers 400).
enum RequestTargetSplit {
    static func split(_ target: String) -> (path: String, query: String?) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target, nil) }
        let path = String(target[..<mark])
        let query = String(target[target.index(after: mark)...])
        return (path, query)
    }
}
