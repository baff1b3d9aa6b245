import ArgumentParser
import Foundation
import ZienswijzenDomain
import ZienswijzenOperations

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue, list and revoke access codes.", subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a griffie code (--gemeente) or a coordinator code (--coordinator); the code is the last line of stdout.")
        @OptionGroup var options: DatabaseOption
        @Option(name: .long, help: "CBS code of the gemeente, e.g. GM0518 (env ZIENSWIJZEN_GEMEENTE).")
        var gemeente: String = env("ZIENSWIJZEN_GEMEENTE") ?? ""
        @Flag(name: .long, help: "Issue a coordinator (RSIV) code.")
        var coordinator = false
        @Option(name: .long, help: "Who holds the code, e.g. 'Griffie Den Haag' (env ZIENSWIJZEN_NAME).")
        var name: String = env("ZIENSWIJZEN_NAME") ?? ""
        @Option(name: .long, help: "E-mail address of the griffie, where reminders go (env ZIENSWIJZEN_EMAIL).")
        var email: String = env("ZIENSWIJZEN_EMAIL") ?? ""

        /// The gemeente, nil for a coordinator code.
        var gemeenteCode: String? { gemeente.isEmpty ? nil : gemeente.uppercased() }

        func validate() throws {
            if coordinator && gemeenteCode != nil { throw ValidationError("Give either --gemeente or --coordinator, not both.") }
            if !coordinator && gemeenteCode == nil { throw ValidationError("Missing --gemeente GM0518 (or --coordinator --name N).") }
            if coordinator && name.isEmpty { throw ValidationError("Missing --name for the coordinator code.") }
            if !name.isEmpty, let problem = TextRules.nameProblem(name, max: SubmissionRules.maxNaam) {
                throw ValidationError("--name \(problem).")
            }
            if !email.isEmpty && coordinator { throw ValidationError("--email is for a griffie code (its reminders).") }
            if !email.isEmpty && !TextRules.isValidEmail(email) { throw ValidationError("--email '\(email)' is not an e-mail address.") }
        }

        func run() throws {
            let ops = try openOperations(options.database)
            let issued: IssuedCode
            do {
                issued = try ops.issueCode(role: coordinator ? .coordinator : .griffie, gemeente: gemeenteCode, naam: name,
                                           email: email.isEmpty ? nil : email, by: .cli)
            } catch Refusal.invalid(let params, _) where params.contains(where: { $0.name == "gemeente" }) {
                throw Failure("Unknown gemeente '\(gemeenteCode ?? "")'; see GET /api/v1/gemeenten for the codes.")
            }
            print("Issued code \(issued.record.id) (\(issued.record.role.rawValue)\(gemeenteCode.map { " " + $0 } ?? ""), \(issued.record.naam)). It is shown once:")
            print(issued.code)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List access codes (never the codes themselves).")
        @OptionGroup var options: DatabaseOption

        func run() throws {
            let ops = try openOperations(options.database)
            print(["id", "rol", "gemeente", "naam", "aangemaakt", "laatst gebruikt", "ingetrokken"].joined(separator: "\t"))
            for r in try ops.toegangscodes(by: .cli) {
                print([String(r.id), r.role.rawValue, r.gemeente ?? "-", r.naam, AmsterdamTime.rfc3339(r.aangemaaktOp),
                       r.laatstGebruiktOp.map(AmsterdamTime.rfc3339) ?? "-", r.ingetrokkenOp.map(AmsterdamTime.rfc3339) ?? "-"]
                    .joined(separator: "\t"))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an access code by its id.")
        @OptionGroup var options: DatabaseOption
        @Argument(help: "The code's id, as `token list` shows it.")
        var id: Int64

        func run() throws {
            let ops = try openOperations(options.database)
            do {
                try ops.revokeCode(id: id, by: .cli)
            } catch Refusal.notFound {
                throw Failure("No active access code with id \(id).")
            }
            print("Revoked code \(id).")
        }
    }
}
