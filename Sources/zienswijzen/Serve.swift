import ArgumentParser
import Foundation
import HTTP
import Logging
import ZienswijzenApp
import ZienswijzenDelivery
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Migrate the database, then serve the web pages and the API until SIGTERM or SIGINT.")

    @Option(name: .long, help: "Address to listen on: 127.0.0.1, 0.0.0.0, ::1 or :: (env ZIENSWIJZEN_HOST).")
    var host: String = env("ZIENSWIJZEN_HOST") ?? "127.0.0.1"
    @Option(name: .long, help: "TCP port; 0 picks a free one and logs it (env ZIENSWIJZEN_PORT).")
    var port: Int = Int(env("ZIENSWIJZEN_PORT") ?? "") ?? 8080
    @OptionGroup var options: DatabaseOption
    @Option(name: .long, help: "Directory with the web assets, templates and openapi.json (env ZIENSWIJZEN_PUBLIC).")
    var `public`: String = env("ZIENSWIJZEN_PUBLIC") ?? "Public"
    @Option(name: .long, help: "Comma-separated proxy addresses whose X-Forwarded-For is trusted (env ZIENSWIJZEN_TRUST_PROXY).")
    var trustProxy: String = env("ZIENSWIJZEN_TRUST_PROXY") ?? ""
    @Option(name: .long, help: "Mark the session cookie Secure: true when users reach the site over HTTPS (env ZIENSWIJZEN_SECURE_COOKIES).")
    var secureCookies: Bool = Bool(env("ZIENSWIJZEN_SECURE_COOKIES") ?? "") ?? false
    @Option(name: .long, help: "The site's public address for links in messages, e.g. https://zienswijzen.example.nl (env ZIENSWIJZEN_PUBLIC_URL).")
    var publicURL: String = env("ZIENSWIJZEN_PUBLIC_URL") ?? ""
    @Option(name: .long, help: "Name of the RSIV contact shown in the footer of every page (env ZIENSWIJZEN_CONTACT_NAAM).")
    var contactNaam: String = env("ZIENSWIJZEN_CONTACT_NAAM") ?? ""
    @Option(name: .long, help: "E-mail address of the RSIV contact shown in the footer (env ZIENSWIJZEN_CONTACT_EMAIL).")
    var contactEmail: String = env("ZIENSWIJZEN_CONTACT_EMAIL") ?? ""
    @Option(name: .long, help: "Telephone number of the RSIV contact shown in the footer (env ZIENSWIJZEN_CONTACT_TELEFOON).")
    var contactTelefoon: String = env("ZIENSWIJZEN_CONTACT_TELEFOON") ?? ""
    @Option(name: .long, help: "Log format: logfmt or json (env ZIENSWIJZEN_LOG_FORMAT).")
    var logFormat: String = env("ZIENSWIJZEN_LOG_FORMAT") ?? "logfmt"
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error (env ZIENSWIJZEN_LOG_LEVEL).")
    var logLevel: String = env("ZIENSWIJZEN_LOG_LEVEL") ?? "info"
    @Option(name: .long, help: "Seconds that in-flight requests get on shutdown (env ZIENSWIJZEN_SHUTDOWN_GRACE).")
    var shutdownGrace: Int = Int(env("ZIENSWIJZEN_SHUTDOWN_GRACE") ?? "") ?? 10
    @Option(name: .long, help: "Most open connections; more get 503 (env ZIENSWIJZEN_MAX_CONNECTIONS).")
    var maxConnections: Int = Int(env("ZIENSWIJZEN_MAX_CONNECTIONS") ?? "") ?? 10_000
    @Option(name: .long, help: "Most open connections from one address (trusted proxies are exempt); 0 turns the limit off (env ZIENSWIJZEN_MAX_CONNECTIONS_PER_ADDRESS).")
    var maxConnectionsPerAddress: Int = Int(env("ZIENSWIJZEN_MAX_CONNECTIONS_PER_ADDRESS") ?? "") ?? 128
    @Option(name: .long, help: "Slowest request body accepted after a 5 s grace, in bytes per second; slower is 408. 0 turns it off (env ZIENSWIJZEN_MIN_BODY_RATE).")
    var minBodyRate: Int = Int(env("ZIENSWIJZEN_MIN_BODY_RATE") ?? "") ?? 240
    @Option(name: .long, help: "Slowest a client may read a response after a 5 s grace, in bytes per second; slower is cut off. 0 turns it off (env ZIENSWIJZEN_MIN_RESPONSE_RATE).")
    var minResponseRate: Int = Int(env("ZIENSWIJZEN_MIN_RESPONSE_RATE") ?? "") ?? 240
    @Option(name: .long, help: "Directory for request bodies over 64 KiB while they arrive (unlinked files, never left behind) (env ZIENSWIJZEN_SPOOL_DIRECTORY).")
    var spoolDirectory: String = env("ZIENSWIJZEN_SPOOL_DIRECTORY") ?? ServerConfiguration.defaultSpoolDirectory
    @OptionGroup var notify: NotificationOptions

    /// Every problem with the options, one line each.
    func validate() throws {
        var problems: [String] = []
        if !(0...65535).contains(port) { problems.append("--port \(port) is not a TCP port (0-65535).") }
        if host.isEmpty { problems.append("--host is empty.") }
        if StructuredLogHandler.Format(rawValue: logFormat) == nil { problems.append("--log-format must be logfmt or json, not '\(logFormat)'.") }
        if Logger.Level(rawValue: logLevel) == nil { problems.append("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical.") }
        if shutdownGrace < 0 || shutdownGrace > 3600 { problems.append("--shutdown-grace must be 0-3600 seconds.") }
        if maxConnections < 1 { problems.append("--max-connections must be at least 1.") }
        if maxConnectionsPerAddress < 0 { problems.append("--max-connections-per-address must be 0 (off) or more.") }
        if minBodyRate < 0 { problems.append("--min-body-rate must be 0 (off) or more bytes per second.") }
        if minResponseRate < 0 { problems.append("--min-response-rate must be 0 (off) or more bytes per second.") }
        var spoolIsDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: spoolDirectory, isDirectory: &spoolIsDirectory) || !spoolIsDirectory.boolValue
            || !FileManager.default.isWritableFile(atPath: spoolDirectory) {
            problems.append("--spool-directory \(spoolDirectory) is not a writable directory.")
        }
        if !publicURL.isEmpty && PublicURL.normalized(publicURL) == nil {
            problems.append("--public-url '\(publicURL)' is not an http(s) address such as https://zienswijzen.example.nl (no query, user or fragment).")
        }
        if contactEmail.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) || (!contactEmail.isEmpty && !contactEmail.contains("@")) {
            problems.append("--contact-email '\(contactEmail)' is not an e-mail address such as rsiv@politie.example.nl.")
        }
        problems += notify.settings(publicURL: nil).problems
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: `public`, isDirectory: &isDirectory) || !isDirectory.boolValue {
            problems.append("--public \(`public`) is not a directory (run from the repository root, or point it at Public/).")
        }
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() throws {
        let format = StructuredLogHandler.Format(rawValue: logFormat) ?? .logfmt
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StructuredLogHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "zienswijzen")
        // Lines wait in memory for at most 50 ms; whatever is queued goes out before the process ends.
        defer { LogWriter.standardError.flush() }
        try AmsterdamTime.verifyAvailable()
        let normalizedPublicURL = publicURL.isEmpty ? nil : PublicURL.normalized(publicURL)
        let (notifications, mail, _) = notify.settings(publicURL: normalizedPublicURL)
        // The server checkpoints the write-ahead log in its maintenance, never in a COMMIT.
        let (ops, applied) = try openOperationsReporting(options.database, logger: logger, notifications: notifications,
                                                         backgroundCheckpoints: true)
        if !applied.isEmpty { logger.info("migrations applied", metadata: ["names": "\(applied.joined(separator: ","))"]) }
        try printBootstrapCodeIfNeeded(ops)

        var appConfiguration = AppConfiguration()
        appConfiguration.edge.publicDirectory = `public`
        appConfiguration.edge.secureCookies = secureCookies
        appConfiguration.edge.publicURL = publicURL.isEmpty ? nil : PublicURL.normalized(publicURL)
        appConfiguration.edge.contact = Contact(naam: contactNaam, email: contactEmail, telefoon: contactTelefoon)
        appConfiguration.trustedProxies = Set(trustProxy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let app = App(ops: ops, configuration: appConfiguration)

        var serverConfiguration = ServerConfiguration()
        serverConfiguration.host = host
        serverConfiguration.port = port
        serverConfiguration.maxConnections = maxConnections
        serverConfiguration.shutdownGracePeriod = .seconds(shutdownGrace)
        serverConfiguration.maxConnectionsPerAddress = maxConnectionsPerAddress
        // Handlers block on SQLite and on copying uploads into it; up to 64 may run at once (only
        // as many as needed are awake), so 16 large uploads never hold every handler a receipt needs.
        serverConfiguration.maxConcurrentHandlers = max(64, ServerConfiguration.defaultHandlerCount)
        // A trusted proxy carries everybody's connections; nobody else is exempt (not even loopback).
        serverConfiguration.connectionLimitExemptAddresses = appConfiguration.trustedProxies
        serverConfiguration.minRequestBodyDataRate = minBodyRate
        serverConfiguration.minResponseDataRate = minResponseRate
        serverConfiguration.spoolDirectory = spoolDirectory
        // The access log is formatted straight into the batching log writer, not through a Logger.
        serverConfiguration.accessLogEnabled = false
        if level <= .info {
            let accessLog = AccessLogSink(format: format)
            serverConfiguration.onRequestCompleted = { accessLog.record($0) }
        }
        let maintenance = Maintenance(ops: ops)
        let box = ServerBox()
        let server = HTTPServer(configuration: serverConfiguration,
                                responder: app.makeResponder(openConnections: { box.server?.openConnections ?? 0 }),
                                logger: logger)
        box.server = server
        let worker = DeliveryWorker(ops: ops, mail: mail,
                                    webhooks: URLSessionWebhookSender(timeout: notify.webhookTimeoutSeconds,
                                                                      allowPrivate: notifications.allowPrivateTargets),
                                    logger: logger)
        let bound = try server.start()
        server.shutdownOnSignals()
        worker.start()
        if mail == nil { logger.notice("no --sendmail: e-mail (confirmations, reminders) is not sent") }
        logger.info("listening", metadata: ["url": "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)/", "port": "\(bound)", "database": "\(options.database)"])
        maintenance.start()
        server.waitUntilStopped()
        worker.stop()
        maintenance.stop()
        logger.info("stopped; database closed")
    }

    /// On the very first start, with no coordinator code yet, prints a one-time coordinator code to
    /// stderr so a newcomer can log in and issue the rest.
    private func printBootstrapCodeIfNeeded(_ ops: Operations) throws {
        let issued = try ops.bootstrapCoordinatorIfNeeded()
        if let issued {
            FileHandle.standardError.write(Data("""
                No coordinator code existed, so one was issued. It is shown only this once:

                    \(issued)

                Log in with it at /inloggen, or use it as `Authorization: Bearer <code>`.

                """.utf8))
        }
    }
}

/// Lets the metrics closure read the server's connection count once the server exists.
/// `@unchecked Sendable`: written once on the main thread before the server starts, read after.
final class ServerBox: @unchecked Sendable {
    var server: HTTPServer?
}

struct Healthcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when the server on this machine answers /readyz (for Docker's HEALTHCHECK; needs no curl).")
    @Option(name: .long, help: "Port of the server (env ZIENSWIJZEN_PORT).")
    var port: Int = Int(env("ZIENSWIJZEN_PORT") ?? "") ?? 8080
    @Option(name: .long, help: "Host to ask (env ZIENSWIJZEN_HEALTHCHECK_HOST).")
    var host: String = env("ZIENSWIJZEN_HEALTHCHECK_HOST") ?? "127.0.0.1"

    func run() throws {
        let status = try probe(host: host, port: port, path: "/readyz", timeoutSeconds: 3)
        guard status == 200 else { throw Failure("/readyz answered \(status)") }
        print("ok")
    }
}
