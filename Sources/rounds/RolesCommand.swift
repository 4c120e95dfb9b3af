import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsStore

struct RolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "The roles Rounds prepares for, and your readiness for each.",
        subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the roles with your readiness for each.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: [{id, name, summary, readiness, target}].") var json = false

        struct Row: Encodable {
            let id, name, summary: String
            let readiness: Int
            let target: Bool
        }

        mutating func run() async throws {
            let library = content.load()
            let store = try await storeOptions.open()
            let learner = try await store.learner(named: StoreOptions.localLearner)
            let progress = try await library.progress(learnerID: learner.id, in: store).progress
            let rows = library.roles.map { role in
                Row(
                    id: role.id, name: role.name, summary: role.summary,
                    readiness: progress.roles.first { $0.role == role.id }?.percent ?? 0,
                    target: role.id == learner.settings.targetRole)
            }
            if json {
                try Terminal.printJSON(rows)
                return
            }
            for row in rows {
                print(
                    Terminal.pad(row.id, 30) + Terminal.pad(Terminal.truncate(row.name, to: 40), 41)
                        + String(format: "%3d%%", row.readiness) + (row.target ? "  ◀ target" : ""))
            }
            print("\nrounds roles show ID: the role's interview stages, skill weights and what to practise next.")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "A role's interview stages, skill weights, your readiness skill by skill, and what would raise it most."
        )

        @Argument(help: "The role id (rounds roles list).") var id: String
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: {role, readiness, skills, next}.") var json = false

        mutating func run() async throws {
            let library = content.load()
            guard let role = library.role(id: id) else {
                throw ValidationError(
                    "unknown role '\(id)'. Roles: \(library.roles.map(\.id).joined(separator: ", ")).")
            }
            let store = try await storeOptions.open()
            let learner = try await store.learner(named: StoreOptions.localLearner)
            let snapshot = try await library.progress(learnerID: learner.id, in: store)
            let report = library.roleReport(role, snapshot: snapshot, settings: learner.settings)
            if json {
                try Terminal.printJSON(report)
                return
            }
            RolesCommand.printReport(report, library: library)
        }
    }

    /// A role's stages, market notes, readiness skill by skill and what would raise it most, as
    /// `rounds roles show` prints it (and the first run of `rounds practice`).
    static func printReport(_ report: RoleReport, library: ContentLibrary) {
        let role = report.role
        print("\(role.name)\n\(role.summary)\n")
        print("Interview stages")
        for (index, stage) in role.stages.enumerated() {
            print(
                "  \(index + 1). \(stage.name)" + (stage.minutes.map { " (\($0) min)" } ?? "") + ": \(stage.focus)")
        }
        for note in role.market {
            print("\nMarket: \(note.statement) (\(note.asOf); \(note.source.title), retrieved \(note.retrieved))")
        }
        print("\nYour readiness: \(report.readiness)%\n")
        print(Terminal.pad("Skill", 34) + Terminal.pad("weight", 8) + Terminal.pad("mastery", 30) + "left")
        for row in report.skills {
            print(
                Terminal.pad(Terminal.truncate(row.name, to: 33), 34)
                    + Terminal.pad(String(format: "%g", row.weight), 8)
                    + Chart.bar(row.mastery, width: 20)
                    + String(format: " %3d%%  ", Int((row.mastery * 100).rounded()))
                    + "\(row.headroom) pts")
        }
        print("\nWhat would raise it most")
        for item in report.next {
            print("  " + Terminal.pad(item.kind.rawValue, 9) + Terminal.truncate(item.title, to: 68))
            print("  " + String(repeating: " ", count: 9) + "\(item.id): \(item.why)")
        }
    }
}
