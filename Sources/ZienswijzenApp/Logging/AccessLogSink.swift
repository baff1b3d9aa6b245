import HTTP

/// The access log: one `msg=request` line per finished request, formatted straight into the log
/// writer's buffer on the I/O thread that finished the request (no `Logger`, no metadata
/// dictionary, no intermediate strings). The fields are those `AccessLog` describes, in the
/// same order and escaping as the structured log handler would write them.
package struct AccessLogSink: Sendable {
    let format: LogLine.Format
    let writer: LogWriter

    package init(format: StructuredLogHandler.Format, writer: LogWriter = .standardError) {
        self.format = format == .json ? .json : .logfmt
        self.writer = writer
    }

    package func record(_ record: RequestLogRecord) {
        writer.append(format) { line in
            line.timestampField("ts")
            line.field("level", "info")
            line.field("msg", "request")
            line.field("bytes", record.bytesSent)
            Self.escaped(record.remoteAddress, limit: 64) { line.field("client", $0) }
            let micros = record.duration.components.seconds * 1_000_000
                + record.duration.components.attoseconds / 1_000_000_000_000
            let hundredths = (micros + 5) / 10
            line.hundredthsField("duration_ms", Int(hundredths))
            Self.escaped(record.method, limit: 20) { line.field("method", $0) }
            Self.escaped(record.path, limit: AccessLog.maxPathLength) { line.field("path", $0) }
            if let id = record.requestID { Self.escaped(id, limit: 128) { line.field("request_id", $0) } }
            line.field("status", record.status)
        }
    }

    /// `AccessLog.escape(text)`, without building a new string when it would change nothing
    /// (the usual case: a short path of printable ASCII).
    private static func escaped(_ text: String, limit: Int, _ use: (String) -> Void) {
        let printable: (UInt8) -> Bool = { $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        let plain = text.utf8.count <= limit
            && (text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(printable) } ?? text.utf8.allSatisfy(printable))
        use(plain ? text : AccessLog.escape(text, limit: limit))
    }
}
