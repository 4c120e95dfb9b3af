import ArgumentParser
import Foundation
import RoundsLabs
import SyntheticEHR

struct EHRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ehr",
        abstract: "Generate the synthetic EHR that the SQL labs run on.",
        discussion: """
            The data is invented: no real patient is in it. Each SQL lab lists the tables it uses, \
            with every column and index (`rounds labs show ID`), and the data-quality problems planted \
            in them (units, duplicates, missing values) are what the labs ask you to find. The project's \
            docs/ehr.md describes the generator in full.

            Examples:
              rounds ehr generate --patients 10000 --out small.sqlite
              rounds ehr generate --visits 10000000 --seed 7 --out big.sqlite
              rounds ehr prepare            # the labs' databases, built once
              rounds ehr prepare --tuning   # also the 10-million-visit database for the tuning lab
            """,
        subcommands: [Generate.self, Prepare.self])
}

/// Draws a progress bar on standard error when it is a terminal: rows per second and time left.
struct ProgressBar: Sendable {
    let started = Date()
    let enabled = isatty(STDERR_FILENO) == 1

    func update(_ progress: EHRGenerator.Progress) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(started)
        let rate = Double(progress.rows) / max(elapsed, 0.001)
        let width = 30
        let filled = Int(progress.fraction * Double(width))
        let left = progress.fraction > 0.01 ? elapsed / progress.fraction - elapsed : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let text =
            progress.phase == "indexing"
            ? "\r\(bar) indexing \(progress.rows.formatted()) rows…                    "
            : "\r\(bar) \(Int(progress.fraction * 100))% \(progress.visits.formatted()) visits · \(Int(rate).formatted()) rows/s · \(Int(left.rounded())) s left   "
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

extension EHRCommand {
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic EHR to a SQLite file; the same seed gives a byte-identical file.",
            usage:
                "rounds ehr generate [--patients <patients>] [--visits <visits>]\n[--seed <seed>] [--out <path>] [--shuffled-ids] [--no-indexes] [--json]"
        )

        @Option(help: "How many patients (their visits follow). Default: 100,000 unless --visits is given.")
        var patients: Int?
        @Option(help: "How many visit rows; patients are added until there are this many.")
        var visits: Int?
        @Option(help: "The random seed.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("The SQLite file to write (replaced if it exists).", valueName: "path"))
        var out = "ehr.sqlite"
        @Flag(help: "Number rows in a shuffled order (as the labs' hidden variants are).") var shuffledIds = false
        @Flag(help: "Skip the foreign-key indexes (faster; queries join slower).") var noIndexes = false
        @Flag(help: "Print JSON: {path, seed, patients, visits, rows, rowsByTable, loadSeconds, indexSeconds}.")
        var json = false

        func validate() throws {
            if patients != nil && visits != nil {
                throw ValidationError("give --patients or --visits, not both.")
            }
        }

        mutating func run() async throws {
            let options = EHRGenerator.Options(
                patients: visits == nil ? (patients ?? 100_000) : nil, visits: visits, seed: seed,
                shuffledIDs: shuffledIds, indexes: !noIndexes)
            let bar = ProgressBar()
            let summary: EHRGenerator.Summary
            do {
                summary = try EHRGenerator(options).generate(to: out) { bar.update($0) }
            } catch let error as EHRError {
                bar.finish()
                throw ValidationError(error.description)
            }
            bar.finish()
            if json {
                try Terminal.printJSON(summary)
                return
            }
            print(
                "Wrote \(summary.path): \(summary.patients.formatted()) patients, \(summary.visits.formatted()) visits, \(summary.rows.formatted()) rows in \(String(format: "%.1f", summary.seconds)) s (\(Int(Double(summary.rows) / max(summary.loadSeconds, 0.001)).formatted()) rows/s loading, \(String(format: "%.1f", summary.indexSeconds)) s indexing)."
            )
            for (table, count) in summary.rowsByTable.sorted(by: { $0.value > $1.value }) {
                print("  \(Terminal.pad(table, 18)) \(count.formatted())")
            }
        }
    }
}

extension EHRCommand {
    struct Prepare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the SQL labs' databases now rather than on first use.",
            discussion: """
                The practice database (100,000 patients) and its hidden variant are built on first use of \
                an SQL lab anyway; the tuning lab's database (ten million visits) only on request, with \
                --tuning. They live in ROUNDS_EHR_DIR, else ~/.local/share/rounds/ehr. Existing files are kept. \
                ROUNDS_EHR_PATIENTS and ROUNDS_EHR_TUNING_VISITS lower the sizes.
                """)

        @Flag(help: "Also build the tuning lab's ten-million-visit database (a few minutes).") var tuning = false
        @Flag(help: "Print JSON: {directory, standard, hidden, tuning, built: [summary]}.") var json = false

        struct Output: Encodable {
            let directory, standard, hidden: String
            let tuning: String?
            let built: [EHRGenerator.Summary]
        }

        mutating func run() async throws {
            let databases = LabDatabases()
            let bar = ProgressBar()
            var built: [EHRGenerator.Summary] = []
            do {
                built = try databases.prepareStandard { bar.update($0) }
                if tuning, let summary = try databases.prepareTuning(progress: { bar.update($0) }) {
                    built.append(summary)
                }
            } catch {
                bar.finish()
                throw ValidationError("could not build the lab databases in \(databases.directory): \(error)")
            }
            bar.finish()
            if json {
                try Terminal.printJSON(
                    Output(
                        directory: databases.directory, standard: databases.standard, hidden: databases.hidden,
                        tuning: databases.tuningIsReady ? databases.tuning : nil, built: built))
                return
            }
            for summary in built {
                print(
                    "Built \(summary.path): \(summary.patients.formatted()) patients, \(summary.visits.formatted()) visits, \(summary.rows.formatted()) rows in \(String(format: "%.1f", summary.seconds)) s."
                )
            }
            print("Practice database: \(databases.standard)")
            print("Hidden variant:    \(databases.hidden)")
            print(
                databases.tuningIsReady
                    ? "Tuning database:   \(databases.tuning)"
                    : "Tuning database:   not built (`rounds ehr prepare --tuning` builds it).")
        }
    }
}
