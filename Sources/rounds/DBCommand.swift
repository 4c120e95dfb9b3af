import ArgumentParser
import Foundation
import RoundsStore

/// `rounds db`: the database itself, for operators.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Migrate the database and say which migrations it has.",
        subcommands: [Migrate.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the migrations the database does not have yet, and list them all.",
            usage: "rounds db migrate [--db <path or postgres://…>] [--json]",
            discussion: """
                Every command migrates the database it opens, so this is for operators who upgrade a \
                server before starting its instances. On PostgreSQL the migrations run under an advisory \
                lock, so instances that start at once wait for each other instead of racing.

                Examples:
                  rounds db migrate
                  rounds db migrate --db postgres://rounds@db.example.org:5432/rounds
                """
        )

        @OptionGroup var storeOptions: StoreOptions
        @Flag(help: "Print the migrations as JSON.") var json = false

        mutating func run() async throws {
            let store = try await storeOptions.open()
            let applied = try await store.appliedMigrations()
            if json {
                struct Report: Encodable {
                    let database: String
                    let applied: [String]
                    let current: Bool
                }
                try Terminal.printJSON(
                    Report(
                        database: storeOptions.location.description, applied: applied,
                        current: applied == SchemaMigrations.names))
                return
            }
            print("\(storeOptions.location.description): \(applied.count) migrations applied")
            for name in applied { print("  \(name)") }
        }
    }
}
