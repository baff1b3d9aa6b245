/// Routes requests by method and path pattern to handlers; built once at start-up, then shared.
///
/// Matching, after `RequestTarget` has decoded the path:
/// - a pattern segment is a literal, a `{name}` parameter (one non-empty segment) or a trailing
///   `{name...}` catch-all (the rest, one or more non-empty segments, slashes kept);
/// - of the routes that match path and method, the most specific wins: at the first segment where
///   two patterns differ, a literal beats a parameter, which beats a catch-all;
/// - HEAD is served by the GET handler unless a HEAD route exists (the server drops the body);
/// - a path no pattern matches is 404; a path that matches but not with this method is 405 with
///   `Allow` (sorted, HEAD included wherever GET is);
/// - an empty segment (`/a/`, `//a`) matches nothing, so a trailing slash is 404 (ADR API-48),
///   except `/` itself;
/// - `OPTIONS *` gets 204 with every method the router knows in `Allow`; `*` with any other method
///   is 400.
///
/// A value type: `add` mutates while building, then the finished router is handed to the server
/// and only read. Every stored property is Sendable, so no locking is involved.
package struct Router: HTTPResponder {
    /// Renders the router's own 400/404/405 answers, so the application can speak problem+json or
    /// HTML. `allow` is the Allow list for 405 (empty otherwise); the router adds the `Allow` header
    /// itself if the fallback leaves it out.
    package typealias Fallback = @Sendable (_ status: Int, _ request: HTTPRequest, _ allow: [String]) -> HTTPResponse
    package typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse
    /// A route's answer from memory, or nil to leave the request to `Handler` on a handler
    /// thread. Runs on an I/O queue: it must not block (no SQLite, no file reads; a `stat` is fine).
    package typealias InlineHandler = @Sendable (HTTPRequest) -> HTTPResponse?
    /// A route's verdict on a request head with a body, before the body is read (see
    /// `HTTPResponder.decide`); it gets the head, the client address and the path parameters.
    package typealias HeadDecider = @Sendable (_ head: RequestHead, _ remoteAddress: String,
                                               _ parameters: [String: String]) -> HeadDecision

    /// A class, so a lookup passes a reference around rather than copying five fields.
    private final class Route: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        let bodyLimit: Int
        let decider: HeadDecider?
        let handler: Handler
        let inline: InlineHandler?

        init(method: HTTPMethod, pattern: RoutePattern, bodyLimit: Int, decider: HeadDecider?, handler: @escaping Handler,
             inline: InlineHandler?) {
            self.method = method
            self.pattern = pattern
            self.bodyLimit = bodyLimit
            self.decider = decider
            self.handler = handler
            self.inline = inline
        }
    }

    private var table: [Route] = []
    /// The routes whose pattern has no parameter, by pattern text: a path found here is answered
    /// by one of them without walking the table (an all-literal pattern is the most specific
    /// match there can be), provided one of them takes the method.
    private var literal: [String: [Route]] = [:]
    /// Positions in `table` by the pattern's first segment when that is a literal; `wildFirst`
    /// holds the rest (a parameter or catch-all first, and `/`). A path can only match routes of
    /// its own first segment and those, so the scan below looks at no other.
    private var byFirstSegment: [String: [Int]] = [:]
    private var wildFirst: [Int] = []

    /// The body limit for requests that match no route or have an invalid target: enough for a
    /// small error body, no more, so unknown URLs cannot be used to upload large bodies.
    package var defaultBodyLimit: Int = 64 * 1024

    package var fallback: Fallback = Router.plainTextFallback

    package init() {}

    /// Every route as registered, in registration order (tests walk these against the API document).
    package var routes: [(method: String, pattern: String)] {
        table.map { ($0.method.rawValue, $0.pattern.text) }
    }

    /// Registers `handler` for `method` and `pattern`; `inline`, when given, may answer first from
    /// memory on the I/O queue (see `respondInline`).
    ///
    /// A malformed pattern or a duplicate method + pattern is a programming error in the
    /// application's start-up code (never reachable from a request), so it stops the process with
    /// the reason rather than leaving a route silently missing.
    package mutating func add(_ method: HTTPMethod, _ pattern: String, bodyLimit: Int = 1 << 20,
                              decide decider: HeadDecider? = nil, inline: InlineHandler? = nil,
                              _ handler: @escaping Handler) {
        let parsed: RoutePattern
        switch RoutePattern.parse(pattern) {
        case .success(let value): parsed = value
        case .failure(let error): preconditionFailure(error.description)
        }
        precondition(!table.contains { $0.method == method && $0.pattern.text == pattern },
                     "route \(method) \(pattern) registered twice")
        precondition(bodyLimit >= 0, "negative body limit for \(method) \(pattern)")
        let route = Route(method: method, pattern: parsed, bodyLimit: bodyLimit, decider: decider, handler: handler,
                          inline: inline)
        if case .literal(let first)? = parsed.segments.first {
            byFirstSegment[first, default: []].append(table.count)
        } else {
            wildFirst.append(table.count)
        }
        table.append(route)
        if parsed.segments.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            literal[pattern, default: []].append(route)
        }
    }

    // MARK: HTTPResponder

    package func bodyLimit(for head: RequestHead) -> Int {
        guard let target = try? RequestTarget.parse(head.target),
              case .found(let route, _) = lookup(method: head.method, path: target.path)
        else { return defaultBodyLimit }
        return route.bodyLimit
    }

    /// The verdict on a request head with a body: a path no route has, or a method it does not
    /// allow, is answered at once (404/405 through the fallback) without reading the body; a
    /// route's own `decide` judges the rest; without one the body is read up to the route's
    /// limit, all in memory.
    package func decide(_ head: RequestHead, remoteAddress: String) -> HeadDecision {
        guard let target = try? RequestTarget.parse(head.target), target.path != "*" else {
            // `respond` answers these (400, or OPTIONS *) after a small body.
            return .accept(BodyPolicy(limit: defaultBodyLimit, memoryLimit: defaultBodyLimit))
        }
        let request = HTTPRequest(head: head, path: target.path, query: target.query, remoteAddress: remoteAddress)
        switch lookup(method: head.method, path: target.path) {
        case .found(let route, let parameters):
            if let decider = route.decider { return decider(head, remoteAddress, parameters) }
            return .accept(BodyPolicy(limit: route.bodyLimit, memoryLimit: route.bodyLimit))
        case .notFound:
            return .refuse(fallback(404, request, []))
        case .methodNotAllowed(let allow):
            var response = fallback(405, request, allow)
            if !response.headers.contains("Allow") { response.headers.set("Allow", allow.joined(separator: ", ")) }
            return .refuse(response)
        }
    }

    package func respond(to request: HTTPRequest) -> HTTPResponse {
        var request = request
        do {
            let target = try RequestTarget.parse(request.head.target)
            request.path = target.path
            request.query = target.query
        } catch {
            return fallback(400, request, [])
        }
        if request.path == "*" {
            guard request.method == .options else { return fallback(400, request, []) }
            var response = HTTPResponse(status: 204)
            response.headers.set("Allow", Router.allowList(table.map(\.method)).joined(separator: ", "))
            return response
        }
        switch lookup(method: request.method, path: request.path) {
        case .found(let route, let parameters):
            request.parameters = parameters
            return route.handler(request)
        case .notFound:
            return fallback(404, request, [])
        case .methodNotAllowed(let allow):
            var response = fallback(405, request, allow)
            if !response.headers.contains("Allow") {
                response.headers.set("Allow", allow.joined(separator: ", "))
            }
            return response
        }
    }

    /// The answer of the matching route's inline handler, or nil (no such handler, it declined,
    /// or the request has a body or a target that `respond` must judge).
    package func respondInline(to request: HTTPRequest) -> HTTPResponse? {
        guard request.body.isEmpty, request.spooledBody == nil,
              let target = try? RequestTarget.parse(request.head.target), target.path != "*",
              case .found(let route, let parameters) = lookup(method: request.method, path: target.path),
              let inline = route.inline
        else { return nil }
        var request = request
        request.path = target.path
        request.query = target.query
        request.parameters = parameters
        return inline(request)
    }

    // MARK: Matching

    private enum Lookup {
        case found(Route, [String: String])
        case notFound
        case methodNotAllowed([String])
    }

    private func lookup(method: HTTPMethod, path: String) -> Lookup {
        guard path.hasPrefix("/") else { return .notFound }
        if let candidates = literal[path] {
            // On the same pattern an explicit HEAD route beats the GET fallback.
            if let route = candidates.first(where: { $0.method == method })
                ?? (method == .head ? candidates.first(where: { $0.method == .get }) : nil) {
                return .found(route, [:])
            }
        }
        let segments = Router.segments(of: path)
        var best: (route: Route, parameters: [String: String])?
        var allowed: [HTTPMethod] = []
        for position in candidates(firstSegment: segments.first) {
            let route = table[position]
            guard let parameters = route.pattern.match(segments) else { continue }
            allowed.append(route.method)
            guard route.method == method || (method == .head && route.method == .get) else { continue }
            if let current = best {
                let moreSpecific = route.pattern.isMoreSpecific(than: current.route.pattern)
                let samePattern = route.pattern == current.route.pattern
                // On the same pattern an explicit HEAD route beats the GET fallback.
                if moreSpecific || (samePattern && route.method == method) {
                    best = (route, parameters)
                }
            } else {
                best = (route, parameters)
            }
        }
        if let best { return .found(best.route, best.parameters) }
        if allowed.isEmpty { return .notFound }
        return .methodNotAllowed(Router.allowList(allowed))
    }

    /// The segments of a path that starts with `/`, split at every `/` byte (`/` is none; empty
    /// segments are kept, so `/a/` and `//a` match nothing). By bytes, not `Character`s: a `/`
    /// followed by a combining mark is one `Character` that is not `/`, but it separates
    /// segments all the same.
    static func segments(of path: String) -> [Substring] {
        guard path != "/" else { return [] }
        let utf8 = path.utf8
        var segments: [Substring] = []
        var start = utf8.index(after: utf8.startIndex)
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                segments.append(path[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        segments.append(path[start..<utf8.endIndex])
        return segments
    }

    /// The positions in `table` of the routes a path with this first segment could match, in
    /// table order (the order breaks ties between equally specific patterns).
    private func candidates(firstSegment: Substring?) -> [Int] {
        guard let firstSegment, let sameFirst = byFirstSegment[String(firstSegment)] else { return wildFirst }
        if wildFirst.isEmpty { return sameFirst }
        var merged: [Int] = []
        merged.reserveCapacity(sameFirst.count + wildFirst.count)
        var i = 0, j = 0
        while i < sameFirst.count || j < wildFirst.count {
            if j == wildFirst.count || (i < sameFirst.count && sameFirst[i] < wildFirst[j]) {
                merged.append(sameFirst[i]); i += 1
            } else {
                merged.append(wildFirst[j]); j += 1
            }
        }
        return merged
    }

    /// Sorted, unique method names, with HEAD wherever GET is served.
    private static func allowList(_ methods: [HTTPMethod]) -> [String] {
        var names = Set(methods.map(\.rawValue))
        if names.contains("GET") { names.insert("HEAD") }
        return names.sorted()
    }

    /// The default rendering: a short plain-text body such as `404 Not Found`.
    package static let plainTextFallback: Fallback = { status, _, _ in
        HTTPResponse.text(status, "\(status) \(HTTPStatus.reason(status))\n")
    }
}

extension Router {
    /// Serves `files` under `prefix` (e.g. `/assets`) as `GET prefix/{path...}` (HEAD follows).
    package mutating func addStaticFiles(_ prefix: String, _ files: StaticFiles) {
        add(.get, prefix + "/{path...}", bodyLimit: 0, inline: { request in
            files.keptResponse(for: request.parameters["path"] ?? "", request: request)
        }) { request in
            files.response(for: request.parameters["path"] ?? "", request: request)
        }
    }
}
