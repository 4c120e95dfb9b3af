import ArgumentParser
import Foundation
import RoundsCore
import RoundsStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write everything Rounds holds about you: settings, sessions, answers, reviews and lab hand-ins.",
        discussion: """
            JSON goes to standard output, or to --out FILE. CSV needs --out FOLDER and writes \
            \(HistoryCSV.files.joined(separator: ", ")). Dates are ISO 8601 in UTC. `rounds import` reads \
            either format back.

            Examples:
              rounds export > rounds-history.json
              rounds export --format csv --out rounds-history/
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @Option(help: "json or csv.") var format: Format = .json
    @Option(help: ArgumentHelp("Write here instead of standard output (a folder for csv).", valueName: "path"))
    var out: String?
    @OptionGroup var storeOptions: StoreOptions

    mutating func validate() throws {
        if format == .csv, out == nil {
            throw ValidationError("--format csv writes several files; give a folder with --out.")
        }
    }

    mutating func run() async throws {
        let store = try await storeOptions.open()
        let learner = try await store.learner(named: StoreOptions.localLearner)
        let export = try await store.export(learner)
        switch format {
        case .json:
            let data = try ExportCoding.encoder.encode(export)
            if let out {
                try data.write(to: URL(fileURLWithPath: out))
                Terminal.standardError(
                    "Wrote \(export.attempts.count) answers and \(export.reviews.count) reviews to \(out).")
            } else {
                print(String(decoding: data, as: UTF8.self))
            }
        case .csv:
            try HistoryCSV.write(export, to: URL(fileURLWithPath: out!, isDirectory: true))
            Terminal.standardError("Wrote \(HistoryCSV.files.joined(separator: ", ")) to \(out!).")
        }
    }
}
