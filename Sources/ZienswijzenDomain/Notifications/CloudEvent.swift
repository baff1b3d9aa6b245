import Foundation

/// A CloudEvents 1.0 event in the JSON event format (structured mode), as the NL GOV profile for
/// CloudEvents asks: `source` a URN naming this system, `type` reverse-DNS, `id` a UUID, `subject`
/// what it is about (a kenmerk), `time` RFC 3339, `datacontenttype` `application/json`.
package struct CloudEvent: Sendable, Equatable {
    package var id: String
    package var source: String
    package var type: String
    package var subject: String
    package var time: Date
    package var data: JSONValue

    /// The media type of a structured-mode body (the HTTP binding's `Content-Type`).
    package static let mediaType = "application/cloudevents+json; charset=utf-8"

    package init(id: String, source: String, type: String, subject: String, time: Date, data: JSONValue) {
        self.id = id
        self.source = source
        self.type = type
        self.subject = subject
        self.time = time
        self.data = data
    }

    /// The event for `gebeurtenis`, for an endpoint that may (`personal`) or may not get personal data.
    package init(_ gebeurtenis: Gebeurtenis, id: String, source: String, personal: Bool) {
        self.init(id: id, source: source, type: gebeurtenis.type.cloudEventType, subject: gebeurtenis.subject,
                  time: gebeurtenis.at, data: gebeurtenis.data(personal: personal))
    }

    /// The JSON object, context attributes first.
    package var json: JSONValue {
        .object([
            ("specversion", "1.0"),
            ("id", .string(id)),
            ("source", .string(source)),
            ("type", .string(type)),
            ("subject", .string(subject)),
            ("time", .string(Self.timestamp(time))),
            ("datacontenttype", "application/json"),
            ("data", data),
        ])
    }

    /// The body to send.
    package var body: [UInt8] { json.serialized() }

    /// RFC 3339 in UTC with whole seconds (`2026-11-25T09:30:00Z`), which every CloudEvents SDK reads.
    package static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    /// A default `source`: a URN naming this system. Set the organisation's own (with its OIN,
    /// `urn:nld:oin:<OIN>:systeem:zienswijzen`) with `--event-source`.
    package static let defaultSource = "urn:nld:rsiv-haaglanden:systeem:zienswijzen"

    /// Whether `text` can be a `source`: a URN (`urn:` and at least two more parts), printable ASCII.
    package static func isValidSource(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard text.lowercased().hasPrefix("urn:"), bytes.count <= 255,
              bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        return text.split(separator: ":", omittingEmptySubsequences: false).count >= 3
            && !text.split(separator: ":", omittingEmptySubsequences: false).contains { $0.isEmpty }
    }
}
