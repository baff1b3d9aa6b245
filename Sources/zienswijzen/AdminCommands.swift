import ArgumentParser
import Foundation
import SQLite
import Zienswijzen

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations and exit.")
    @OptionGroup var options: DatabaseOption

    func run() throws {
        let (_, applied) = try openDatabase(options.database)
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
        let db = try Database(path: options.database, readers: 1)
        try db.backup(to: to)
        let check = try Database(path: to, readers: 1).integrityCheck()
        guard check == ["ok"] else { throw Failure("Backup written but integrity_check says: \(check.joined(separator: "; "))") }
        print("Backup written to \(to) (integrity_check ok).")
    }
}

struct Deadline: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage a consultation's deadline.", subcommands: [Set.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a consultation's deadline (audited as 'cli').")
        @OptionGroup var options: DatabaseOption
        @OptionGroup var which: ConsultationOption
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
            let (db, _) = try openDatabase(options.database)
            try db.write { conn in
                guard try CatalogStore.consultation(conn, id: which.consultation) != nil else {
                    throw Failure("No consultation '\(which.consultation)'.")
                }
                try CatalogStore.updateConsultation(conn, id: which.consultation, deadline: .some(deadline), rboVergadering: nil, status: nil)
                try AuditStore.record(conn, at: Date(), actor: "cli", actie: "raadpleging-gewijzigd", onderwerp: which.consultation,
                                      details: "deadline=\(AmsterdamTime.rfc3339(deadline))")
            }
            print("Deadline of \(which.consultation): \(AmsterdamTime.rfc3339(deadline)) (\(AmsterdamTime.inWords(deadline))).")
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the export of a consultation to stdout.")
    @OptionGroup var options: DatabaseOption
    @OptionGroup var which: ConsultationOption
    @Option(name: .long, help: "csv or json (env ZIENSWIJZEN_FORMAT).")
    var format: String = env("ZIENSWIJZEN_FORMAT") ?? "csv"

    func validate() throws {
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json, not '\(format)'.") }
    }

    func run() throws {
        let (db, _) = try openDatabase(options.database)
        let bytes: [UInt8] = try db.read { conn in
            guard let c = try CatalogStore.consultation(conn, id: which.consultation) else {
                throw Failure("No consultation '\(which.consultation)'.")
            }
            let versions = try VersionStore.currentOfAll(conn, raadpleging: c.id)
            if format == "json" {
                let json = JSONValue.array(versions.map { $0.json(sha256: $0.digest) }).serialized(pretty: true)
                return json.last == 0x0A ? json : json + [0x0A]
            }
            return CSVExport.make(consultation: c, gemeenten: try CatalogStore.gemeenten(conn), versions: versions)
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
        let (db, _) = try openDatabase(options.database)
        for e in try db.read({ try AuditStore.entries($0, limit: limit) }) {
            print([String(e.id), AmsterdamTime.rfc3339(e.op), e.actor, e.actie, e.onderwerp, e.details, e.adres]
                .joined(separator: "\t"))
        }
    }
}

/// Opens and migrates the database, reporting problems in one line.
func openDatabase(_ path: String) throws -> (Database, [String]) {
    do {
        return try Schema.open(path: path)
    } catch let error as MigrationError {
        throw Failure("Migrations refused: \(error)")
    } catch {
        throw Failure("Cannot open database \(path): \(error)")
    }
}
