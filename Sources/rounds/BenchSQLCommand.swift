import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsLabs
import SyntheticEHR

/// `rounds bench ehr` and `rounds bench judge`: the SQL labs' speed, each next to a ceiling measured
/// in the same run with the `sqlite3` command-line tool.
extension BenchCommand {
    struct EHR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ehr",
            abstract: "Time the synthetic EHR generator against sqlite3's CSV import of the same visits.",
            usage: "rounds bench ehr [--visits <visits>] [--seed <seed>] [--directory <path>]\n[--json]",
            discussion: """
                Generates a database of --visits visit rows (with their patients and every other table), \
                then exports its encounters table to CSV and times `sqlite3`'s `.import` of that CSV into \
                an empty table of the same schema, with the same pragmas (no journal, no fsync): the \
                fastest way the SQLite tools offer to load those rows. The main ratio is the import's \
                time over the generator's: above 1, the generator writes the visits and everything else \
                faster than sqlite3 loads the visits alone. Memory (resident set) is sampled as the \
                generator runs, to show it stays flat. Needs the `sqlite3` tool (Debian: sqlite3).

                Example: rounds bench ehr --visits 10000000
                """)

        @Option(help: "Visit rows to generate.") var visits = 1_000_000
        @Option(help: "The random seed.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("Where to put the files (removed afterwards).", valueName: "path"))
        var directory: String?
        @Flag(help: "Print the figures as JSON.") var json = false

        struct Figures: Encodable {
            let visits: Int
            let patients: Int
            let rows: Int
            let generateSeconds: Double
            let loadSeconds: Double
            let indexSeconds: Double
            let importRows: Int
            let importSeconds: Double
            /// Import time over generation time, for the same visit rows.
            let ratioByVisits: Double
            /// Generator rows per second over import rows per second.
            let ratioByRows: Double
            /// Resident memory at each quarter of the run, in MiB.
            let residentMiB: [Double]
        }

        mutating func run() async throws {
            let sqlite3 = try SQLiteTool.find()
            let folder =
                directory
                ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                    "rounds-bench-\(UUID().uuidString)"
                ).path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
            let generated = folder + "/generated.sqlite"
            let csv = folder + "/visits.csv"
            let imported = folder + "/imported.sqlite"
            for path in [generated, csv, imported] { try? FileManager.default.removeItem(atPath: path) }

            // 1. The generator, sampling memory at each quarter.
            let samples = ResidentSamples()
            let bar = json ? nil : ProgressBar()
            let summary = try EHRGenerator(.init(visits: visits, seed: seed)).generate(to: generated) { progress in
                samples.record(fraction: progress.fraction)
                bar?.update(progress)
            }
            bar?.finish()

            // 2. The ceiling: sqlite3 imports the same visit rows from CSV.
            try SQLiteTool.run(sqlite3, arguments: ["-csv", generated, "SELECT * FROM encounters"], output: csv)
            let create = EHRSchema.table("encounters")?.createSQL ?? ""
            let script = """
                PRAGMA page_size = 4096;
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                PRAGMA cache_size = -65536;
                \(create);
                .import \(csv) encounters
                SELECT count(*) FROM encounters;
                """
            let started = Date()
            let counted = try SQLiteTool.run(sqlite3, arguments: ["-csv", imported], input: script)
            let importSeconds = Date().timeIntervalSince(started)
            // The journal_mode pragma prints the new mode first; the count is the last line.
            let importRows = counted.split(whereSeparator: \.isNewline).last.flatMap { Int($0) } ?? 0
            guard importRows == summary.visits else {
                throw ValidationError(
                    "sqlite3 imported \(importRows) rows, not the \(summary.visits) visits generated; the figures would not compare."
                )
            }
            let figures = Figures(
                visits: summary.visits, patients: summary.patients, rows: summary.rows,
                generateSeconds: summary.seconds, loadSeconds: summary.loadSeconds, indexSeconds: summary.indexSeconds,
                importRows: importRows, importSeconds: importSeconds,
                ratioByVisits: importSeconds / summary.seconds,
                ratioByRows: (Double(summary.rows) / summary.seconds) / (Double(importRows) / importSeconds),
                residentMiB: samples.values)
            if json {
                try Terminal.printJSON(figures)
                return
            }
            print(
                "Generator: \(summary.visits.formatted()) visits, \(summary.patients.formatted()) patients, \(summary.rows.formatted()) rows in \(Self.seconds(summary.seconds)) (\(Self.seconds(summary.loadSeconds)) loading, \(Self.seconds(summary.indexSeconds)) indexing) · \(Int(Double(summary.rows) / summary.seconds).formatted()) rows/s"
            )
            print(
                "sqlite3 .import of the same \(importRows.formatted()) visit rows from CSV: \(Self.seconds(importSeconds)) · \(Int(Double(importRows) / importSeconds).formatted()) rows/s"
            )
            print(
                String(
                    format:
                        "Ratio to the ceiling: %.2f× by visits (import time / generator time), %.1f× by rows per second",
                    figures.ratioByVisits, figures.ratioByRows))
            if !samples.values.isEmpty {
                print(
                    "Resident memory at 25/50/75/100%: "
                        + samples.values.map { String(format: "%.0f MiB", $0) }.joined(separator: ", "))
            }
        }

        static func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }
    }

    struct Judge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "judge",
            abstract: "Time SQL lab verdicts against sqlite3 running the same two queries bare.",
            usage: "rounds bench judge [--rounds <rounds>] [--only <only>]\n[--content <folder> ...] [--json]",
            discussion: """
                For every SQL lab (not the tuning lab) a verdict is timed on the practice database, with \
                the reference solution handed in as the learner's query: the sandboxed run on the practice \
                database, the run on the hidden one, and the comparisons. The references' own results are \
                cached, as in a running server after a lab's first hand-in (the cold first verdict is shown \
                too). The baseline is the `sqlite3` tool running the learner's query and the reference, \
                bare, on the same database (its `.timer`), in the same run. Needs the `sqlite3` tool.
                """)

        @Option(help: "Verdicts per lab.") var rounds = 7
        @Option(help: "Only labs whose id contains this.") var only: String?
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print the figures as JSON.") var json = false

        struct LabFigures: Encodable {
            let lab: String
            let coldMilliseconds: Double
            let p50Milliseconds: Double
            let p95Milliseconds: Double
            let bareMilliseconds: Double
            let ratio: Double
        }

        struct Figures: Encodable {
            let database: String
            let patients: Int
            let labs: [LabFigures]
            let p95Milliseconds: Double
            let labsUnder50Milliseconds: Int
            let worstRatio: Double
            let medianRatio: Double
        }

        mutating func run() async throws {
            let sqlite3 = try SQLiteTool.find()
            let library = content.load()
            let grader = try SQLLabText.grader(library)
            guard let judge = grader.sql else { return }
            let labs = library.labs.filter { $0.kind == .sql && (only.map($0.id.contains) ?? true) }
            guard !labs.isEmpty else { throw ValidationError("no SQL lab matches.") }
            let database = judge.databases.standard
            var rows: [LabFigures] = []
            var all: [Double] = []
            for lab in labs {
                let cold = try Self.time { _ = try judge.grade(lab, sql: lab.solution) }
                var samples: [Double] = []
                for _ in 0..<rounds {
                    var verdict: SQLJudge.Verdict?
                    samples.append(try Self.time { verdict = try judge.grade(lab, sql: lab.solution) })
                    guard verdict?.accepted == true else {
                        throw ValidationError("\(lab.id): its reference is not accepted: \(verdict?.message ?? "").")
                    }
                }
                samples.sort()
                all += samples
                // sqlite3, bare: the learner's query and the reference, each timed by .timer, best of three.
                var bare: [Double] = []
                for _ in 0..<3 {
                    let output = try SQLiteTool.run(
                        sqlite3, arguments: ["-readonly", database],
                        input: ".timer on\n.output /dev/null\n\(lab.solution)\n\(lab.solution)\n")
                    let times = output.matches(of: /Run Time: real ([0-9.]+)/).compactMap { Double($0.1) }
                    bare.append(times.reduce(0, +) * 1000)
                }
                let bareBest = bare.min() ?? .nan
                let p50 = samples[samples.count / 2]
                let p95 = Self.p95(samples)
                rows.append(
                    LabFigures(
                        lab: lab.id, coldMilliseconds: cold, p50Milliseconds: p50, p95Milliseconds: p95,
                        bareMilliseconds: bareBest, ratio: p50 / bareBest))
            }
            all.sort()
            let ratios = rows.map(\.ratio).sorted()
            let figures = Figures(
                database: database, patients: judge.databases.patients, labs: rows,
                p95Milliseconds: Self.p95(all),
                labsUnder50Milliseconds: rows.filter { $0.p95Milliseconds < 50 }.count,
                worstRatio: ratios.last ?? .nan, medianRatio: ratios[ratios.count / 2])
            if json {
                try Terminal.printJSON(figures)
                return
            }
            print(
                "SQL lab verdicts on \(judge.databases.patients.formatted()) patients (\(rounds) per lab, references cached):\n"
            )
            print(
                "lab".padding(toLength: 38, withPad: " ", startingAt: 0)
                    + "   cold    p50    p95   bare×2  verdict/bare")
            for row in rows {
                print(
                    row.lab.padding(toLength: 38, withPad: " ", startingAt: 0)
                        + String(
                            format: " %6.0f %6.0f %6.0f %8.0f %8.2f×", row.coldMilliseconds, row.p50Milliseconds,
                            row.p95Milliseconds, row.bareMilliseconds, row.ratio))
            }
            print(
                String(
                    format:
                        "\nAll verdicts: p95 %.0f ms; %d of %d labs have a p95 under 50 ms. Verdict / bare sqlite3 (learner + reference): median %.2f×, worst %.2f×.",
                    figures.p95Milliseconds, figures.labsUnder50Milliseconds, rows.count, figures.medianRatio,
                    figures.worstRatio))
            print("(times in ms; bare×2 is sqlite3 running the learner's query and the reference once each)")
        }

        static func time(_ work: () throws -> Void) rethrows -> Double {
            try Feedback.microseconds(ContinuousClock().measure(work)) / 1000
        }

        /// The nearest-rank 95th percentile of sorted samples.
        static func p95(_ sorted: [Double]) -> Double {
            sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
        }
    }
}

/// The `sqlite3` command-line tool, the benchmarks' ceiling.
enum SQLiteTool {
    static func find() throws -> String {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for folder in paths where FileManager.default.isExecutableFile(atPath: "\(folder)/sqlite3") {
            return "\(folder)/sqlite3"
        }
        throw ValidationError(
            "the benchmark needs the sqlite3 command-line tool as its baseline; install it (Debian: apt-get install sqlite3)."
        )
    }

    /// Runs sqlite3 with `input` on standard input; returns standard output, or writes it to `output`.
    @discardableResult
    static func run(_ tool: String, arguments: [String], input: String? = nil, output: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let inPipe = Pipe()
        let errPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        process.standardError = errPipe
        var outPipe: Pipe?
        if let output {
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            let pipe = Pipe()
            outPipe = pipe
            process.standardOutput = pipe
        }
        try process.run()
        if let input {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        let text = outPipe.map { String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) } ?? ""
        let error = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, error.isEmpty else {
            throw ValidationError("sqlite3 failed (\(process.terminationStatus)): \(error.prefix(400))")
        }
        return text
    }
}

/// Resident memory at each quarter of a run, read from /proc (Linux; empty elsewhere).
final class ResidentSamples: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0.25
    private(set) var values: [Double] = []

    func record(fraction: Double) {
        lock.lock()
        defer { lock.unlock() }
        while fraction >= next - 1e-9 && next <= 1.0 {
            if let mib = Self.residentMiB() { values.append(mib) }
            next += 0.25
        }
    }

    static func residentMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap({ Double($0) })
        else { return nil }
        return kib / 1024
    }
}
