/// Entity tags for conditional GET (RFC 9110 §8.8.3, §13.1.2).
package enum EntityTags {
    /// Whether the `If-None-Match` fields (all of them, as sent) match `etag`: `*`, or any listed
    /// tag equal to it by weak comparison. Empty fields: no condition, false.
    package static func noneMatchHits(_ fields: [String], _ etag: String) -> Bool {
        fields.lazy.flatMap { $0.split(separator: ",") }.map { $0.trimmingHTTPWhitespace() }
            .contains { $0 == "*" || weakEquals($0, etag) }
    }

    /// Weak comparison (RFC 9110 §8.8.3.2): equal opaque tags, ignoring any `W/` prefix.
    package static func weakEquals(_ a: String, _ b: String) -> Bool {
        func opaque(_ tag: String) -> Substring { tag.hasPrefix("W/") ? tag.dropFirst(2) : tag[...] }
        return opaque(a) == opaque(b)
    }
}
