import ArgumentParser
import Foundation
import RoundsContent

/// Options shared by every command that reads the question bank.
struct ContentOptions: ParsableArguments {
    @Option(
        name: .customLong("content"),
        help: ArgumentHelp(
            "An extra content pack to load after the bundled one (repeatable). Its questions add to the bank or replace bundled ones with the same id. ROUNDS_CONTENT does the same, paths separated by ':'.",
            valueName: "folder"))
    var extraPacks: [String] = []

    /// Loads the bank. Problems in files are reported on standard error; the rest still loads.
    func load(reportProblems: Bool = true) -> ContentLibrary {
        let loader = ContentLoader.standard(extra: extraPacks.map { URL(fileURLWithPath: $0, isDirectory: true) })
        let result = loader.load()
        if reportProblems, !result.errors.isEmpty {
            Terminal.standardError(
                "rounds: \(result.errors.count) content error\(result.errors.count == 1 ? "" : "s"); the files with errors were skipped. Run `rounds content lint` for details."
            )
        }
        return result.library
    }
}
