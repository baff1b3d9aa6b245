import ArgumentParser
import Foundation
import ZienswijzenDelivery
import ZienswijzenDomain
import ZienswijzenEdge
import ZienswijzenOperations

/// The notification options of `serve` (and of `reminders run`, which writes reminders as the
/// server would). Each has its `ZIENSWIJZEN_*` variable; all are checked at start, one line per
/// problem. Numbers are read as text and checked here, so a bad variable is reported, not ignored.
struct NotificationOptions: ParsableArguments {
    @Option(name: .long, help: "Mail program that reads a message on stdin and its recipients from the headers, e.g. \"/usr/sbin/sendmail -t -i\" or \"/usr/bin/msmtp -t -i\"; empty: no e-mail is sent (env ZIENSWIJZEN_SENDMAIL).")
    var sendmail: String = env("ZIENSWIJZEN_SENDMAIL") ?? ""
    @Option(name: .long, help: "Sender address of every e-mail, e.g. zienswijzen@rsiv-haaglanden.nl; needed with --sendmail (env ZIENSWIJZEN_MAIL_FROM).")
    var mailFrom: String = env("ZIENSWIJZEN_MAIL_FROM") ?? ""
    @Option(name: .long, help: "Optional RSIV address that gets a copy of every confirmation and the notice of a disabled webhook (env ZIENSWIJZEN_MAIL_RSIV).")
    var mailRsiv: String = env("ZIENSWIJZEN_MAIL_RSIV") ?? ""
    @Option(name: .long, help: "Seconds before the first retry of a failed delivery; doubles after each failure (env ZIENSWIJZEN_RETRY_INITIAL).")
    var retryInitial: String = env("ZIENSWIJZEN_RETRY_INITIAL") ?? "30"
    @Option(name: .long, help: "Most seconds between two attempts (env ZIENSWIJZEN_RETRY_MAX).")
    var retryMax: String = env("ZIENSWIJZEN_RETRY_MAX") ?? "3600"
    @Option(name: .long, help: "Attempts in all before a delivery is marked failed (env ZIENSWIJZEN_RETRY_ATTEMPTS).")
    var retryAttempts: String = env("ZIENSWIJZEN_RETRY_ATTEMPTS") ?? "12"
    @Option(name: .long, help: "Failed attempts in a row after which a webhook endpoint is switched off (env ZIENSWIJZEN_WEBHOOK_DISABLE_AFTER).")
    var webhookDisableAfter: String = env("ZIENSWIJZEN_WEBHOOK_DISABLE_AFTER") ?? "30"
    @Option(name: .long, help: "Seconds a webhook request may take in all (env ZIENSWIJZEN_WEBHOOK_TIMEOUT).")
    var webhookTimeout: String = env("ZIENSWIJZEN_WEBHOOK_TIMEOUT") ?? "10"
    @Option(name: .long, help: "Allow webhook endpoints on private, loopback and link-local addresses, and plain http: true or false (env ZIENSWIJZEN_WEBHOOK_ALLOW_PRIVATE).")
    var webhookAllowPrivate: String = env("ZIENSWIJZEN_WEBHOOK_ALLOW_PRIVATE") ?? "false"
    @Option(name: .long, help: "Days that delivered messages are kept before they are removed (env ZIENSWIJZEN_OUTBOX_RETENTION_DAYS).")
    var outboxRetentionDays: String = env("ZIENSWIJZEN_OUTBOX_RETENTION_DAYS") ?? "30"
    @Option(name: .long, help: "The CloudEvents 'source' of every event, a URN such as urn:nld:oin:<OIN>:systeem:zienswijzen (env ZIENSWIJZEN_EVENT_SOURCE).")
    var eventSource: String = env("ZIENSWIJZEN_EVENT_SOURCE") ?? CloudEvent.defaultSource

    private func number(_ text: String, _ flag: String, _ range: ClosedRange<Int>, _ problems: inout [String]) -> Int {
        guard let value = Int(text), range.contains(value) else {
            problems.append("\(flag) '\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            return range.lowerBound
        }
        return value
    }

    /// The settings, or every problem with the options (one line each).
    func settings(publicURL: String?) -> (NotificationSettings, mail: SendmailTransport?, problems: [String]) {
        var problems: [String] = []
        var settings = NotificationSettings()
        settings.publicURL = publicURL
        var transport: SendmailTransport?
        if !sendmail.isEmpty {
            if let parsed = SendmailTransport(command: sendmail) {
                problems += parsed.problems()
                transport = parsed
                settings.mailDescription = parsed.summary
            } else {
                problems.append("--sendmail '\(sendmail)' has an unbalanced quote.")
            }
            if mailFrom.isEmpty {
                problems.append("--mail-from is needed with --sendmail: the sender address of every e-mail.")
            }
        } else if !mailFrom.isEmpty || !mailRsiv.isEmpty {
            problems.append("--mail-from and --mail-rsiv need --sendmail: without a mail program no e-mail is sent.")
        }
        if !mailFrom.isEmpty {
            if TextRules.isValidEmail(mailFrom) { settings.mailFrom = transport == nil ? nil : MailAddress(mailFrom, name: "Zienswijzen") }
            else { problems.append("--mail-from '\(mailFrom)' is not an e-mail address.") }
        }
        if !mailRsiv.isEmpty {
            if TextRules.isValidEmail(mailRsiv) { settings.rsivCopy = mailRsiv }
            else { problems.append("--mail-rsiv '\(mailRsiv)' is not an e-mail address.") }
        }
        let initial = number(retryInitial, "--retry-initial", 1...86_400, &problems)
        let maximum = number(retryMax, "--retry-max", 1...604_800, &problems)
        if maximum < initial { problems.append("--retry-max (\(maximum)) must not be less than --retry-initial (\(initial)).") }
        settings.retry = RetryPolicy(initialDelay: initial, maxDelay: maximum,
                                     maxAttempts: number(retryAttempts, "--retry-attempts", 1...100, &problems))
        settings.disableWebhookAfter = number(webhookDisableAfter, "--webhook-disable-after", 1...10_000, &problems)
        _ = number(webhookTimeout, "--webhook-timeout", 1...300, &problems)
        settings.retention = Double(number(outboxRetentionDays, "--outbox-retention-days", 1...3650, &problems)) * 86_400
        switch webhookAllowPrivate.lowercased() {
        case "true": settings.allowPrivateTargets = true
        case "false": settings.allowPrivateTargets = false
        default: problems.append("--webhook-allow-private must be true or false, not '\(webhookAllowPrivate)'.")
        }
        if CloudEvent.isValidSource(eventSource) { settings.eventSource = eventSource }
        else { problems.append("--event-source '\(eventSource)' is not a URN such as urn:nld:oin:00000001823288444000:systeem:zienswijzen.") }
        return (settings, transport, problems)
    }

    var webhookTimeoutSeconds: Double { Double(Int(webhookTimeout) ?? 10) }
}

/// The reminder scheduler by hand: one step at a given time.
struct Reminders: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reminders to griffies that have not submitted.", subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: """
            Run one reminder scheduling step at --at (default: now), as the server does every 30 seconds: reminders \
            due then are written to the outbox, and the running server delivers them. Steps already reached are \
            never sent again. Needs the server's mail options (--sendmail, --mail-from) or their variables.
            """)
        @OptionGroup var options: DatabaseOption
        @OptionGroup var notify: NotificationOptions
        @Option(name: .long, help: "The moment to schedule for, RFC 3339 (env ZIENSWIJZEN_REMINDERS_AT).")
        var at: String = env("ZIENSWIJZEN_REMINDERS_AT") ?? ""
        @Option(name: .long, help: "The site's public address for links (env ZIENSWIJZEN_PUBLIC_URL).")
        var publicURL: String = env("ZIENSWIJZEN_PUBLIC_URL") ?? ""

        func validate() throws {
            var problems = notify.settings(publicURL: nil).problems
            if notify.sendmail.isEmpty { problems.append("--sendmail and --mail-from are needed: reminders are e-mails.") }
            if !at.isEmpty && AmsterdamTime.parseRFC3339(at) == nil {
                problems.append("--at '\(at)' is not an RFC 3339 time such as 2026-11-24T09:00:00+01:00.")
            }
            if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n")) }
        }

        func run() throws {
            let settings = notify.settings(publicURL: publicURL.isEmpty ? nil : PublicURL.normalized(publicURL)).0
            let (ops, _) = try openOperationsReporting(options.database, notifications: settings)
            let now = at.isEmpty ? Date() : (AmsterdamTime.parseRFC3339(at) ?? Date())
            let runs = try ops.scheduleReminders(at: now)
            if runs.isEmpty { print("No reminders due at \(AmsterdamTime.rfc3339(now)).") }
            for run in runs {
                print("\(run.raadpleging): \(run.stap) days before the deadline: \(run.gemeenten.joined(separator: " "))")
            }
        }
    }
}
