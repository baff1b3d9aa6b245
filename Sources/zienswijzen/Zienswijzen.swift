import ArgumentParser
import Foundation
import ZienswijzenDomain

/// The command line. Every option can also come from an environment variable (`ZIENSWIJZEN_...`),
/// named in its help text; a flag on the command line wins.
@main
struct ZienswijzenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zienswijzen",
        abstract: "Zienswijzen van gemeenteraden op het regionaal beleidsplan: server en beheer.",
        subcommands: [Serve.self, Migrate.self, Token.self, Deadline.self, Export.self, Backup.self,
                      AuditLog.self, Healthcheck.self, Reminders.self])

    /// Bad arguments exit with status 2 after a first line naming the problem (API.md), instead of
    /// ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let message = fullMessage(for: error)
                FileHandle.standardError.write(Data((message.isEmpty ? "error: invalid arguments" : message).utf8 + [0x0A]))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// The value of an environment variable, nil when unset or empty.
func env(_ name: String) -> String? {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
    return value
}

struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env ZIENSWIJZEN_DATABASE).")
    var database: String = env("ZIENSWIJZEN_DATABASE") ?? "zienswijzen.sqlite"
}

struct RaadplegingOption: ParsableArguments {
    @Option(name: .long, help: "Consultation (raadpleging) id (env ZIENSWIJZEN_CONSULTATION).")
    var consultation: String = env("ZIENSWIJZEN_CONSULTATION") ?? Raadpleging.defaultID
}

/// A command-line failure that is not about the arguments: one line on stderr, exit status 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
