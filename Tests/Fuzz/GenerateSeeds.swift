// Writes every parser test-corpus case to a file, as the seed corpus of the libFuzzer run.
// Built and run by fuzz-parser.sh together with the parser sources and the corpus files.
#if canImport(Glibc)
import Glibc
#endif

@main
struct GenerateSeeds {
    static func main() {
        guard CommandLine.arguments.count == 2 else { return }
        let directory = CommandLine.arguments[1]
        let cases = headCorpus + framingCorpus + bodyCorpus
        for (i, c) in cases.enumerated() {
            guard let file = fopen("\(directory)/seed-\(i)", "wb") else { continue }
            _ = c.raw.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
        print("wrote \(cases.count) seeds to \(directory)")
    }
}
