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
            line.field("client", AccessLog.escape(record.remoteAddress, limit: 64))
            let micros = record.duration.components.seconds * 1_000_000
                + record.duration.components.attoseconds / 1_000_000_000_000
            let hundredths = (micros + 5) / 10
            line.hundredthsField("duration_ms", Int(hundredths))
            line.field("method", AccessLog.escape(record.method, limit: 20))
            line.field("path", AccessLog.escape(record.path))
            if let id = record.requestID { line.field("request_id", AccessLog.escape(id, limit: 128)) }
            line.field("status", record.status)
        }
    }
}
