import Foundation
import Testing

/// The `zienswijzen` executable as a user runs it: exit statuses, what goes to stdout and stderr.
@Suite struct CommandLineTests {
    /// The built executable, beside the test bundle in the build directory.
    static let binary: URL = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("zienswijzen")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/debug/zienswijzen").standardized
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryDatabase() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zw-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("cli.sqlite").path
    }

    @Test func migrateTwiceAppliesOnlyOnce() throws {
        let db = try temporaryDatabase()
        let first = try run(["migrate", "--database", db])
        #expect(first.status == 0 && first.stdout.contains("0001_schema") && first.stdout.contains("0002_seed"))
        let second = try run(["migrate", "--database", db])
        #expect(second.status == 0 && second.stdout.contains("Nothing to migrate"))
    }

    @Test(arguments: [
        ["serve", "--port", "nope"],
        ["token", "issue"],
        ["token", "issue", "--coordinator"],
        ["token", "issue", "--gemeente", "GM0518", "--coordinator", "--name", "x"],
        ["deadline", "set", "--at", "tomorrow"],
        ["export", "--format", "xlsx"],
        ["backup"],
        ["frobnicate"],
    ])
    func badArgumentsExitTwoWithAFirstLineNamingTheProblem(arguments: [String]) throws {
        let result = try run(arguments + ["--database", try temporaryDatabase()])
        #expect(result.status == 2)
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Error:") || first.hasPrefix("error:"), "first line: \(first)")
    }

    @Test func issuedCodeIsTheLastLineAndNeverListed() throws {
        let db = try temporaryDatabase()
        let issued = try run(["token", "issue", "--gemeente", "gm0518", "--database", db])
        #expect(issued.status == 0)
        let code = issued.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(code.wholeMatch(of: /[0-9A-Z]{4}(-[0-9A-Z]{4}){4}/) != nil, "code line: \(code)")
        let list = try run(["token", "list", "--database", db])
        #expect(list.status == 0 && list.stdout.contains("GM0518"))
        #expect(!list.stdout.contains(code))
        let audit = try run(["audit", "--database", db])
        #expect(audit.stdout.contains("toegangscode-uitgegeven") && !audit.stdout.contains(code))
        let revoke = try run(["token", "revoke", "1", "--database", db])
        #expect(revoke.status == 0)
        #expect(try run(["token", "revoke", "1", "--database", db]).status == 1)
    }

    @Test func unknownGemeenteIsRefused() throws {
        let result = try run(["token", "issue", "--gemeente", "GM9999", "--database", try temporaryDatabase()])
        #expect(result.status != 0 && result.stderr.contains("GM9999"))
    }

    @Test func deadlineSetAndExportThroughEnvironment() throws {
        let db = try temporaryDatabase()
        let set = try run(["deadline", "set", "--at", "2026-12-01T17:00:00+01:00"], environment: ["ZIENSWIJZEN_DATABASE": db])
        #expect(set.status == 0 && set.stdout.contains("2026-12-01T17:00:00+01:00") && set.stdout.contains("december"))
        let csv = try run(["export"], environment: ["ZIENSWIJZEN_DATABASE": db, "ZIENSWIJZEN_FORMAT": "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.split(separator: "\r\n", omittingEmptySubsequences: true).count == 28)
        let json = try run(["export", "--format", "json", "--database", db])
        #expect(json.status == 0 && json.stdout.hasPrefix("[") && json.stdout.hasSuffix("]\n"))
    }
}
