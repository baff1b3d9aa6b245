import ArgumentParser
import Logging
import Foundation
import ZienswijzenDomain
import ZienswijzenOperations

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations and exit.")
    @OptionGroup var options: DatabaseOption

    func run() throws {
        let (_, applied) = try openOperationsReporting(options.database)
        print(applied.isEmpty ? "Nothing to migrate." : "Applied: \(applied.joined(separator: ", "))")
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent online copy of the database (safe while the server runs).")
    @OptionGroup var options: DatabaseOption
    @Option(name: .long, help: "The new file to write (must not exist; env ZIENSWIJZEN_BACKUP_TO).")
    var to: String = env("ZIENSWIJZEN_BACKUP_TO") ?? ""

    func validate() throws {
        if to.isEmpty { throw ValidationError("Missing --to FILE: where to write the backup.") }
        if FileManager.default.fileExists(atPath: to) { throw ValidationError("--to \(to) exists already; choose a new file.") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: options.database) else {
            throw Failure("No database at \(options.database).")
        }
        let check = try openOperations(options.database).backup(to: to)
        guard check == ["ok"] else { throw Failure("Backup written but integrity_check says: \(check.joined(separator: "; "))") }
        print("Backup written to \(to) (integrity_check ok).")
    }
}

struct Deadline: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage a consultation's deadline.", subcommands: [Set.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a consultation's deadline (audited as 'cli').")
        @OptionGroup var options: DatabaseOption
        @OptionGroup var which: RaadplegingOption
        @Option(name: .long, help: "The new deadline, RFC 3339, e.g. 2026-12-01T17:00:00+01:00 (env ZIENSWIJZEN_DEADLINE).")
        var at: String = env("ZIENSWIJZEN_DEADLINE") ?? ""

        func validate() throws {
            if at.isEmpty { throw ValidationError("Missing --at: the new deadline (RFC 3339).") }
            guard let deadline = AmsterdamTime.parseRFC3339(at) else {
                throw ValidationError("--at '\(at)' is not an RFC 3339 time such as 2026-12-01T17:00:00+01:00.")
            }
            if !PlausibleDates.contains(deadline) {
                throw ValidationError("--at '\(at)' is outside the years \(PlausibleDates.years.lowerBound)-\(PlausibleDates.years.upperBound).")
            }
        }

        func run() throws {
            guard let deadline = AmsterdamTime.parseRFC3339(at) else { throw ValidationError("bad --at") }
            let ops = try openOperations(options.database)
            do {
                _ = try ops.change(raadpleging: which.consultation, RaadplegingChange(deadline: .some(deadline)), by: .cli)
            } catch Refusal.notFound {
                throw Failure("No consultation '\(which.consultation)'.")
            }
            print("Deadline of \(which.consultation): \(AmsterdamTime.rfc3339(deadline)) (\(AmsterdamTime.inWords(deadline))).")
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the export of a consultation to stdout.")
    @OptionGroup var options: DatabaseOption
    @OptionGroup var which: RaadplegingOption
    @Option(name: .long, help: "csv, excel (the CSV for people) or json (env ZIENSWIJZEN_FORMAT).")
    var format: String = env("ZIENSWIJZEN_FORMAT") ?? "csv"

    func validate() throws {
        guard ["csv", "excel", "json"].contains(format) else {
            throw ValidationError("--format must be csv, excel or json, not '\(format)'.")
        }
    }

    func run() throws {
        let export: ZienswijzenOperations.Export
        do {
            export = try openOperations(options.database).export(raadpleging: which.consultation, by: .cli)
        } catch Refusal.notFound {
            throw Failure("No consultation '\(which.consultation)'.")
        }
        var bytes = format == "excel" ? export.excelCSV : export.csv
        if format == "json" {
            bytes = export.json.serialized(pretty: true)
            if bytes.last != 0x0A { bytes.append(0x0A) }
        }
        FileHandle.standardOutput.write(Data(bytes))
    }
}

struct AuditLog: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the newest audit entries.")
    @OptionGroup var options: DatabaseOption
    @Option(name: .long, help: "How many entries (env ZIENSWIJZEN_AUDIT_LIMIT).")
    var limit: Int = Int(env("ZIENSWIJZEN_AUDIT_LIMIT") ?? "") ?? 50

    func run() throws {
        for e in try openOperations(options.database).auditEntries(limit: limit, before: nil, by: .cli) {
            print([String(e.id), AmsterdamTime.rfc3339(e.op), e.actor, e.actie, e.onderwerp, e.details, e.adres]
                .joined(separator: "\t"))
        }
    }
}

/// Opens and migrates the database, reporting problems in one line; returns the operations and
/// the migrations applied.
/// Opens the database for a command. Events a command causes (a moved deadline) get the same
/// CloudEvents `source` as the server's when `ZIENSWIJZEN_EVENT_SOURCE` is set.
func openOperationsReporting(_ path: String, logger: Logger = Logger(label: "zienswijzen"),
                             notifications: NotificationSettings? = nil,
                             backgroundCheckpoints: Bool = false) throws -> (Operations, [String]) {
    var settings = notifications ?? NotificationSettings()
    if notifications == nil, let source = env("ZIENSWIJZEN_EVENT_SOURCE"), CloudEvent.isValidSource(source) {
        settings.eventSource = source
    }
    do {
        return try Operations.open(path: path, logger: logger, notifications: settings,
                                   backgroundCheckpoints: backgroundCheckpoints)
    } catch {
        throw Failure(error.description)
    }
}

func openOperations(_ path: String) throws -> Operations {
    try openOperationsReporting(path).0
}
