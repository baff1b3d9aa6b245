import Foundation
// `zienswijzen-bench http-server PORT`: our HTTP server with a fixed tiny workload, for
// Tests/Benchmarks/http-bench.sh (which compares it with Hummingbird 2 serving the same routes).
import HTTP
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum HTTPServerBenchmark {
    /// GET /json (~2 KB JSON), GET /static (20 KB bytes), POST /echo (body back).
    struct Responder: HTTPResponder {
        let json: [UInt8]
        let staticBytes: [UInt8]

        init() {
            var items: [String] = []
            var text = ""
            var i = 0
            while text.utf8.count < 2000 {
                items.append("{\"id\":\(i),\"gemeente\":\"GM\(1000 + i)\",\"status\":\"ingediend\",\"versie\":\(i % 3 + 1)}")
                text = "{\"zienswijzen\":[" + items.joined(separator: ",") + "]}"
                i += 1
            }
            json = Array(text.utf8)
            staticBytes = (0..<20_480).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        }

        func bodyLimit(for head: RequestHead) -> Int { 1 << 20 }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            switch (request.method, request.path) {
            case (.get, "/json"): HTTPResponse(status: 200, contentType: "application/json", body: json)
            case (.get, "/static"): HTTPResponse(status: 200, contentType: "application/octet-stream", body: staticBytes)
            case (.post, "/echo"): HTTPResponse(status: 200, contentType: "application/octet-stream", body: request.body)
            default: HTTPResponse(status: 404, contentType: "text/plain", text: "not found")
            }
        }
    }

    static func run(_ arguments: [String]) throws {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = Int(arguments.first ?? "8080") ?? 8080
        configuration.maxConnections = 20_000
        configuration.keepAliveIdleTimeout = .seconds(300)
        configuration.accessLogEnabled = false
        // Tuning knobs for experiments (defaults are the server's own).
        if let v = ProcessInfo.processInfo.environment["BENCH_HANDLERS"].flatMap(Int.init) { configuration.maxConcurrentHandlers = v }
        if let v = ProcessInfo.processInfo.environment["BENCH_IO_QUEUES"].flatMap(Int.init) { configuration.ioQueueCount = v }
        if let v = ProcessInfo.processInfo.environment["BENCH_AWAKE_HANDLERS"].flatMap(Int.init) { configuration.awakeHandlers = v }
        var logger = Logger(label: "http-bench")
        logger.logLevel = .warning
        let server = HTTPServer(configuration: configuration, responder: Responder(), logger: logger)
        server.shutdownOnSignals()
        let port = try server.start()
        print("http-server listening on \(port)")
        server.waitUntilStopped()
    }
}
