import ArgumentParser
import Foundation
import RoundsStore

/// `rounds db`: the database itself, for operators.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Migrate the database, or copy a SQLite database to PostgreSQL.",
        subcommands: [Migrate.self, Copy.self]
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

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a SQLite database, with everything in it, to an empty PostgreSQL database.",
            usage: "rounds db copy --from <file.sqlite> --to <postgres://…> [--json]",
            discussion: """
                For a learner or a cohort that outgrows one file. Every table is copied with its ids \
                (learners, sessions, answers, reviews, lab hand-ins, drafts, accounts, API tokens and \
                sign-in sessions, so nobody has to sign in again) in one transaction: all of it or \
                nothing. The PostgreSQL database must be empty; it is migrated first. Stop the \
                instances that use the file before copying it.

                The copy is then checked: each table's rows are counted on both sides, and every \
                learner's full export is read from both stores and compared. The command fails if \
                anything differs.

                Example:
                  rounds db copy --from ~/.local/share/rounds/rounds.sqlite --to postgres://rounds@db.example.org:5432/rounds
                """
        )

        @Option(help: ArgumentHelp("The SQLite file to copy.", valueName: "file.sqlite")) var from: String
        @Option(help: ArgumentHelp("The PostgreSQL database to copy into.", valueName: "postgres://…")) var to: String
        @Flag(help: "Print the report as JSON.") var json = false

        mutating func run() async throws {
            let source = StoreLocation(db: from)
            let target = StoreLocation(db: to)
            let report: StoreCopy.Report
            do {
                report = try await StoreCopy.copy(from: source, to: target)
            } catch let error as StoreCopy.CopyError {
                Terminal.standardError("rounds: \(error.description)")
                throw ExitCode(1)
            }
            if json {
                struct Output: Encodable {
                    let from: String
                    let to: String
                    let report: StoreCopy.Report
                    let verified: Bool
                }
                try Terminal.printJSON(
                    Output(from: source.description, to: target.description, report: report, verified: report.verified))
            } else {
                print("Copied \(source.description) to \(target.description):")
                for table in report.tables {
                    let mark = table.source == table.target ? "" : "  DIFFERS"
                    print("  \(table.name): \(table.source) copied, \(table.target) in PostgreSQL\(mark)")
                }
                print(
                    report.differingLearners.isEmpty
                        ? "Every learner's export (\(report.learnersCompared)) is identical in both databases."
                        : "Exports differ for: \(report.differingLearners.joined(separator: ", "))")
            }
            guard report.verified else {
                Terminal.standardError(
                    "rounds: the copy does not match the file; drop the PostgreSQL database, and report this with the output above."
                )
                throw ExitCode(1)
            }
        }
    }
}
