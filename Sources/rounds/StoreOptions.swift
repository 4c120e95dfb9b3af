import ArgumentParser
import Foundation
import RoundsCore
import RoundsFeedback
import RoundsStore

/// Where the learner's history lives.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The database file. Default: ROUNDS_DB, else ~/.local/share/rounds/rounds.sqlite (Linux; XDG_DATA_HOME is honoured) or ~/Library/Application Support/Rounds/rounds.sqlite (macOS).",
            valueName: "path"))
    var db: String?

    /// The command line practises as one local learner.
    static let localLearner = "local"

    /// Where the store lives: `--db`, else ROUNDS_DB, else the per-user default.
    var location: StoreLocation { StoreLocation(sqlitePath: db ?? SQLiteStore.defaultPath()) }

    func open() throws -> any Storage {
        do {
            return try location.open()
        } catch {
            throw ValidationError("\(error). Choose another file with --db or ROUNDS_DB.")
        }
    }
}
