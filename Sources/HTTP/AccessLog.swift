import Logging

/// One finished request, for the access log and the application's metrics hook.
package struct RequestLogRecord: Sendable {
    /// The method as sent (may be any token).
    package var method: String
    /// The raw path, without the query (the query may carry secrets such as tokens).
    package var path: String
    /// The status sent; 0 if the connection failed before a response began.
    package var status: Int
    /// Bytes of the response written to the socket (head + body).
    package var bytesSent: Int
    /// From the first byte of the request to the last byte of the response handed to the kernel.
    package var duration: Duration
    package var remoteAddress: String
    package var connectionID: UInt64
    /// The response's `X-Request-ID`, when the application set one.
    package var requestID: String? = nil
}

package enum AccessLog {
    /// Longest escaped path kept in a log line.
    package static let maxPathLength = 200

    /// Makes attacker-controlled text safe for a log line: printable ASCII stays, quotes and
    /// backslashes are escaped, everything else (control bytes, non-ASCII) becomes `\xNN`, and the
    /// result is truncated with `...` so a 8 KB request line cannot flood the log.
    package static func escape(_ text: String, limit: Int = maxPathLength) -> String {
        // The usual case, a short path of printable ASCII, changes nothing: no new string.
        let plain: (UInt8) -> Bool = { $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if text.utf8.count <= limit,
           text.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(plain) }) ?? text.utf8.allSatisfy(plain) {
            return text
        }
        var out = ""
        out.reserveCapacity(min(text.utf8.count, limit) + 8)
        var written = 0
        for byte in text.utf8 {
            if written >= limit {
                out += "..."
                break
            }
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "\\x"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
            written += 1
        }
        return out
    }

    /// The fields of the access-log event, escaped, for a structured log handler.
    static func metadata(_ record: RequestLogRecord) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "method": "\(escape(record.method, limit: 20))", "path": "\(escape(record.path))",
            "status": "\(record.status)", "bytes": "\(record.bytesSent)", "duration_ms": "\(milliseconds(record.duration))",
            "client": "\(escape(record.remoteAddress, limit: 64))",
        ]
        if let id = record.requestID { metadata["request_id"] = "\(escape(id, limit: 128))" }
        return metadata
    }

    package static func milliseconds(_ duration: Duration) -> Double {
        let millis = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return (millis * 100).rounded() / 100
    }
}
