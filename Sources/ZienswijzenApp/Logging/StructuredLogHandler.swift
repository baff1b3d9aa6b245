import Foundation
import Logging

/// One line per event on stderr, as logfmt (`ts=... level=info msg="..." key=value`) or JSON
/// (`LogLine`), written through a batching `LogWriter`. Values are escaped so a client's bytes can
/// never start a new line or forge a field.
package struct StructuredLogHandler: LogHandler {
    package enum Format: String, Sendable, CaseIterable {
        case logfmt, json
    }

    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .info
    let label: String
    let format: Format
    let writer: LogWriter

    package init(label: String, format: Format, writer: LogWriter = .standardError) {
        self.label = label
        self.format = format
        self.writer = writer
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let merged = event.metadata.map { self.metadata.merging($0) { _, new in new } } ?? self.metadata
        writer.append(lineFormat, urgent: event.level >= .warning) { line in
            line.timestampField("ts")
            line.field("level", event.level.rawValue)
            line.field("msg", event.message.description)
            for key in merged.keys.sorted() { line.field(key, "\(merged[key]!)") }
        }
    }

    var lineFormat: LogLine.Format { format == .json ? .json : .logfmt }

    static func timestamp() -> String { LogLine.timestamp() }

    /// One line (without its newline) of these fields, as `log` writes them; for tests.
    static func logfmt(_ fields: [(String, String)]) -> String { text(fields, .logfmt) }
    static func json(_ fields: [(String, String)]) -> String { text(fields, .json) }

    private static func text(_ fields: [(String, String)], _ format: LogLine.Format) -> String {
        var line = LogLine(format)
        for (key, value) in fields { line.field(key, value) }
        return String(decoding: line.finish().dropLast(), as: UTF8.self)
    }
}
