import Foundation
import SQLite
import ZienswijzenDomain
import ZienswijzenStore

/// `status-query VERSIONS_PER_GEMEENTE RUNS DBPATH`: fills a fresh database with that many
/// versions for each of the 27 gemeenten, then times the status overview (`StatusStore.overview`,
/// the query behind GET .../status) and the export's `currentOfAll`, printing p50/p99/max.
enum StatusQueryBenchmark {
    static func run(_ arguments: [String]) throws {
        let perGemeente = Int(arguments.first ?? "") ?? 200
        let runs = Int(arguments.dropFirst().first ?? "") ?? 500
        let path = arguments.dropFirst(2).first ?? "/var/tmp/zw-status-bench.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let (db, _) = try Schema.open(path: path)
        let consultation = Raadpleging.defaultID
        let gemeenten = try db.read { try GemeenteStore.all($0) }
        guard let raadpleging = try db.read({ try RaadplegingStore.find($0, id: consultation) }) else { return }
        let input = ZienswijzeInput(
            standpunt: .instemmendMetOpmerkingen, datumRaadsbesluit: LocalDate(iso: "2026-11-20"),
            indiener: Indiener(naam: "A. de Griffier", email: "griffie@example.nl"),
            toelichting: String(repeating: "Vrije tekst van de raad. ", count: 20),
            opmerkingen: [Opmerking(thema: "cybercrime", tekst: "Opmerking."), Opmerking(thema: "ondermijning", tekst: "Nog een.")])
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        try db.write { conn in
            var previous: [String: Versie] = [:]
            for round in 0..<perGemeente {
                for g in gemeenten {
                    let versie = Versie.next(in: raadpleging, gemeente: g.code, after: previous[g.code], kind: .submission,
                                             input: input, bijlagen: [], at: start.addingTimeInterval(Double(round)))
                    try VersieStore.insert(conn, versie, toegangscodeID: nil)
                    previous[g.code] = versie
                }
            }
        }
        print("filled: \(gemeenten.count) gemeenten x \(perGemeente) versions = \(gemeenten.count * perGemeente) versions")
        report("status overview (StatusStore.overview)", runs: runs) {
            _ = try db.read { try StatusStore.overview($0, raadpleging: consultation) }
        }
        report("export rows (VersieStore.currentOfAll)", runs: max(1, runs / 5)) {
            _ = try db.read { try VersieStore.currentOfAll($0, raadpleging: consultation) }
        }
        let plan = try db.read { conn in
            try conn.query("EXPLAIN QUERY PLAN " + StatusStore.statusSQL, [consultation, Date()]).compactMap { $0.string("detail") }
        }
        print("EXPLAIN QUERY PLAN of the status query:")
        for line in plan { print("  \(line)") }
    }

    private static func report(_ label: String, runs: Int, _ body: () throws -> Void) {
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<runs {
            let elapsed = clock.measure { try? body() }
            samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        samples.sort()
        func pct(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
        print(String(format: "%@: %d runs, p50 %.0f µs, p99 %.0f µs, max %.0f µs", label, runs, pct(0.5), pct(0.99), samples.last ?? 0))
    }
}
