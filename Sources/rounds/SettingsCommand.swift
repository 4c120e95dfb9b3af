import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsStore

struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show or change your target role, level, interview date, hours a week and desired retention.",
        usage:
            "rounds settings [--role <role>] [--level <level>]\n[--interview-date <date>] [--hours <h>] [--retention <r>]\n[--db <path>] [--content <folder> ...] [--json]",
        discussion: """
            Desired retention is the chance of recall at which a question comes back: higher means \
            shorter intervals and more reviews (0.70 to 0.97; default 0.90).

            Your level (beginner, intermediate or advanced) is where new questions start; your \
            answers move you up from it.

            Hours a week is the time the study plan (`rounds plan`) spreads over the days (0.5 to 80; \
            until you set it, the plan assumes \(StudyPlanner.hours(perWeek: LearnerSettings.defaultHoursPerWeek))).

            Examples:
              rounds settings --role healthcare-data-analyst --interview-date 2027-02-01 --hours 6
              rounds settings --retention 0.95
            """
    )

    @Option(help: ArgumentHelp("Your target role id.", valueName: "role")) var role: String?
    @Option(help: ArgumentHelp("Your current level: beginner, intermediate or advanced.", valueName: "level"))
    var level: Level?
    @Option(help: ArgumentHelp("Your interview date, YYYY-MM-DD.", valueName: "date")) var interviewDate: String?
    @Option(help: ArgumentHelp("Hours a week you can study, 0.5 to 80.", valueName: "h")) var hours: Double?
    @Option(help: ArgumentHelp("Desired retention, 0.70 to 0.97.", valueName: "r")) var retention: Double?
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var content: ContentOptions
    @Flag(help: "Print the settings as JSON.") var json = false

    mutating func validate() throws {
        if let retention, !FSRS.retentionRange.contains(retention) {
            throw ValidationError("--retention must be between 0.70 and 0.97, got \(retention).")
        }
        if let hours, !StudyPlanner.hoursRange.contains(hours) {
            throw ValidationError("--hours must be between 0.5 and 80, got \(hours).")
        }
        if let interviewDate, let problem = LearnerSettings.interviewDateProblem(interviewDate) {
            throw ValidationError("--interview-date: \(problem)")
        }
    }

    mutating func run() async throws {
        let store = try await storeOptions.open()
        let learner = try await store.learner(named: StoreOptions.localLearner)
        var settings = learner.settings
        if let role {
            let library = content.load()
            guard library.role(id: role) != nil else {
                throw ValidationError(
                    "unknown role '\(role)'. Roles: \(library.roles.map(\.id).joined(separator: ", ")).")
            }
            settings.targetRole = role
        }
        if let level { settings.level = level }
        if let interviewDate { settings.interviewDate = interviewDate }
        if let retention { settings.desiredRetention = retention }
        if let hours { settings.hoursPerWeek = hours }
        if settings != learner.settings { try await store.updateSettings(settings, learnerID: learner.id) }
        if json {
            try Terminal.printJSON(settings)
        } else {
            print("Target role:       \(settings.targetRole ?? "not set (rounds settings --role ID)")")
            print("Level:             \(settings.level?.rawValue ?? "not set (new questions start at beginner)")")
            print("Interview date:    \(settings.interviewDate ?? "not set")")
            print(
                "Hours a week:      "
                    + (settings.hoursPerWeek.map { StudyPlanner.hours(perWeek: $0) }
                        ?? "not set (the plan assumes \(StudyPlanner.hours(perWeek: LearnerSettings.defaultHoursPerWeek)))")
            )
            print("Desired retention: \(String(format: "%.2f", settings.desiredRetention))")
        }
    }
}
