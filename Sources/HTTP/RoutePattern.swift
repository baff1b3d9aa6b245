/// A parsed route pattern such as `/api/v1/raadplegingen/{id}/zienswijzen/{gemeente}` or
/// `/assets/{path...}`.
///
/// Patterns come from the application's code, not from requests, so a malformed one is a
/// programming error reported when the router is built (see `Router.add`).
struct RoutePattern: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        /// `{name...}`: the rest of the path, one or more non-empty segments, slashes included.
        case catchAll(String)
    }

    let text: String
    let segments: [Segment]

    /// Nil with a reason when `text` is not a valid pattern: it must start with `/`, have no empty
    /// segment (so no trailing slash, except `/` itself), use each parameter name once, and put a
    /// catch-all only last. A parameter is a whole segment: `{a}.json` is not supported.
    static func parse(_ text: String) -> Result<RoutePattern, PatternError> {
        guard text.hasPrefix("/") else { return .failure(PatternError(pattern: text, reason: "must start with /")) }
        if text == "/" { return .success(RoutePattern(text: text, segments: [])) }
        var segments: [Segment] = []
        var names: Set<String> = []
        let parts = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            guard !part.isEmpty else {
                return .failure(PatternError(pattern: text, reason: "empty segment or trailing slash"))
            }
            if part.hasPrefix("{") && part.hasSuffix("}") {
                var name = String(part.dropFirst().dropLast())
                let isCatchAll = name.hasSuffix("...")
                if isCatchAll { name = String(name.dropLast(3)) }
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    return .failure(PatternError(pattern: text, reason: "bad parameter name in \(part)"))
                }
                guard names.insert(name).inserted else {
                    return .failure(PatternError(pattern: text, reason: "parameter \(name) used twice"))
                }
                if isCatchAll {
                    guard index == parts.count - 1 else {
                        return .failure(PatternError(pattern: text, reason: "catch-all must be the last segment"))
                    }
                    segments.append(.catchAll(name))
                } else {
                    segments.append(.parameter(name))
                }
            } else {
                guard !part.contains("{"), !part.contains("}") else {
                    return .failure(PatternError(pattern: text, reason: "a parameter must be a whole segment"))
                }
                segments.append(.literal(String(part)))
            }
        }
        return .success(RoutePattern(text: text, segments: segments))
    }

    /// The parameters if `path` (split into segments, leading `/` removed) matches, else nil.
    /// Request segments must be non-empty: `/a/` and `//a` match nothing.
    func match(_ path: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        var index = 0
        for segment in segments {
            switch segment {
            case .literal(let literal):
                // Byte equality: cheaper than String's (canonical) comparison, and a path is bytes.
                guard index < path.count, path[index].utf8.elementsEqual(literal.utf8) else { return nil }
            case .parameter(let name):
                guard index < path.count, !path[index].isEmpty else { return nil }
                parameters[name] = String(path[index])
            case .catchAll(let name):
                let rest = path[index...]
                guard !rest.isEmpty, !rest.contains(where: \.isEmpty) else { return nil }
                parameters[name] = rest.joined(separator: "/")
                return parameters
            }
            index += 1
        }
        return index == path.count ? parameters : nil
    }

    /// Orders two patterns that both match a path: the first segment where they differ decides,
    /// literal over parameter over catch-all. Returns true when `self` is more specific.
    func isMoreSpecific(than other: RoutePattern) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) {
            let a = mine.rank, b = theirs.rank
            if a != b { return a > b }
        }
        return segments.count > other.segments.count
    }
}

extension RoutePattern.Segment {
    fileprivate var rank: Int {
        switch self {
        case .literal: 2
        case .parameter: 1
        case .catchAll: 0
        }
    }
}

/// A malformed route pattern, found while building the router.
struct PatternError: Error, CustomStringConvertible {
    let pattern: String
    let reason: String
    var description: String { "invalid route pattern \(pattern): \(reason)" }
}
