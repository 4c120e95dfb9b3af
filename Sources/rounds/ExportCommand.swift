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
        let store = try storeOptions.open()
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

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read back a history written by `rounds export` (a JSON file or a CSV folder).",
        discussion: """
            Sessions, answers and reviews are added to your history; anything already there (the same \
            question answered at the same moment) is skipped, so importing twice is safe. Your settings \
            are left as they are.
            """
    )

    @Argument(help: ArgumentHelp("A JSON file, or a folder of CSV files.", valueName: "path")) var path: String
    @OptionGroup var storeOptions: StoreOptions

    mutating func run() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("\(path): no such file or folder.")
        }
        let export: LearnerExport
        do {
            if isDirectory.boolValue {
                export = try HistoryCSV.read(from: URL(fileURLWithPath: path, isDirectory: true))
            } else {
                export = try ExportCoding.decoder.decode(
                    LearnerExport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            }
        } catch let failure as HistoryCSV.Failure {
            throw ValidationError(failure.description)
        } catch let error as DecodingError {
            throw ValidationError("\(path) is not a Rounds export: \(ImportCommand.describe(error)).")
        }
        guard export.format <= LearnerExport.formatVersion else {
            throw ValidationError(
                "\(path) is export format \(export.format); this Rounds reads up to \(LearnerExport.formatVersion). Update Rounds."
            )
        }
        let store = try storeOptions.open()
        let learner = try await store.learner(named: StoreOptions.localLearner)
        let summary = try await store.importHistory(export, into: learner.id)
        print(
            "Imported \(summary.attemptsAdded) answers, \(summary.reviewsAdded) reviews, \(summary.sessionsAdded) sessions and \(summary.labAttemptsAdded) lab hand-ins; skipped \(summary.skipped) already present."
        )
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing `\(key.stringValue)` at \(path(context).isEmpty ? "the top level" : path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context).isEmpty ? "the top level" : path(context))"
        @unknown default: return "\(error)"
        }
    }
}
