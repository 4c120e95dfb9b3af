import ArgumentParser
import Foundation
import RoundsCore
import RoundsStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read back a history written by `rounds export` (a JSON file or a CSV folder).",
        discussion: """
            Sessions, answers, reviews and lab hand-ins are added to your history, and job openings and \
            company notes to yours; anything already there (the same question answered at the same \
            moment, the same posting, a company you have notes on) is skipped, so importing twice is \
            safe. Your settings are left as they are.
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
        let store = try await storeOptions.open()
        let learner = try await store.learner(named: StoreOptions.localLearner)
        let summary = try await store.importEverything(export, into: learner.id)
        print(
            "Imported \(summary.attemptsAdded) answers, \(summary.reviewsAdded) reviews, \(summary.sessionsAdded) sessions, \(summary.labAttemptsAdded) lab hand-ins, \(summary.openingsAdded) openings and \(summary.companyNotesAdded) company notes; skipped \(summary.skipped) already present."
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
