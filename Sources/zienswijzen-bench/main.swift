// Benchmarks, run in release mode by the scripts in Tests/Benchmarks. Not shipped.
//
// Usage: zienswijzen-bench SUBCOMMAND [ARGS...]
// Each subcommand lives in its own file; add yours to `subcommands`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let subcommands: [String: (_ arguments: [String]) throws -> Void] = [
    "sqlite-inserts": SQLiteInsertsBenchmark.run,
    "sqlite-inserts-script": SQLiteInsertsBenchmark.printScript,
    "status-query": StatusQueryBenchmark.run,
    "http-server": HTTPServerBenchmark.run,
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let subcommand = subcommands[name] else {
    print("usage: zienswijzen-bench SUBCOMMAND [ARGS...]; subcommands: \(subcommands.keys.sorted().joined(separator: ", "))")
    exit(2)
}
do {
    try subcommand(Array(arguments.dropFirst()))
} catch {
    print("zienswijzen-bench \(name): \(error)")
    exit(1)
}
