import ArgumentParser
import Foundation
import RoundsCore
import RoundsFeedback
import RoundsStore

/// Where the learner's history lives.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The database: a file, or a PostgreSQL server as postgres://user@host:5432/rounds. Default: DATABASE_URL, else ROUNDS_DB, else ~/.local/share/rounds/rounds.sqlite (Linux; XDG_DATA_HOME is honoured) or ~/Library/Application Support/Rounds/rounds.sqlite (macOS).",
            valueName: "path"))
    var db: String?

    /// The command line practises as one local learner.
    static let localLearner = "local"

    /// Where the store lives: `--db` (a file, or a `postgres://` address), else DATABASE_URL (a
    /// PostgreSQL server), else ROUNDS_DB, else the per-user file.
    var location: StoreLocation {
        if let db { return StoreLocation(db: db) }
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], StoreLocation.isPostgresURL(url) {
            return StoreLocation(db: url)
        }
        return StoreLocation(sqlitePath: SQLiteStore.defaultPath())
    }

    func open() async throws -> any Storage {
        do {
            return try await location.open()
        } catch {
            throw ValidationError("\(error). Choose another database with --db, DATABASE_URL or ROUNDS_DB.")
        }
    }
}
