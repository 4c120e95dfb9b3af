import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsStore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show a day-by-day study plan to your interview date.",
        usage: """
            rounds plan [--hours <hours>] [--days <days>] [--ics <file>]
            [--db <path>] [--content <folder> ...] [--json]
            """,
        discussion: """
            The plan runs from today to the day before the interview date in your settings (`rounds \
            settings --interview-date YYYY-MM-DD`), for your target role (`--role`); without a date it \
            is a rolling week. Each day holds the reviews FSRS has due, new questions from the skills \
            the role weighs most where your mastery is lowest, a lab a week, and timed mock interviews: \
            one a week, and two in the final week. It is worked out again from your results each time \
            you ask, and says plainly what does not fit in the time left.

            Examples:
              rounds plan
              rounds settings --hours 8
              rounds plan --hours 8 --days 3
              rounds plan --ics ~/rounds-plan.ics
              rounds plan --json
            """
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var content: ContentOptions
    @Option(help: "Hours a week you can study, 0.5 to 80 (default: your settings', else 5).") var hours: Double?
    @Option(help: "Show only the first N days (the summary and --ics cover the whole plan).") var days: Int?
    @Option(
        help: ArgumentHelp("Also write the plan as an iCalendar file (RFC 5545) for a calendar app.", valueName: "file")
    )
    var ics: String?
    @Flag(help: "Print JSON: {today, interviewDate, daysLeft, role, hoursPerWeek, days, neededMinutes, …}.")
    var json = false

    func validate() throws {
        if let hours, !StudyPlanner.hoursRange.contains(hours) {
            throw ValidationError("--hours must be between 0.5 and 80; you gave \(hours).")
        }
        if let days, days < 1 { throw ValidationError("--days must be 1 or more.") }
    }

    mutating func run() async throws {
        let library = content.load()
        let store = try await storeOptions.open()
        let learner = try await store.learner(named: StoreOptions.localLearner)
        let snapshot = try await library.progress(learnerID: learner.id, in: store)
        let plan = library.studyPlan(
            for: learner.settings, snapshot: snapshot, hoursPerWeek: hours ?? learner.settings.planningHours,
            opening: try await store.planTarget(learnerID: learner.id))
        if let ics {
            let url = URL(fileURLWithPath: (ics as NSString).expandingTildeInPath)
            do {
                try plan.iCalendar(stamp: Date(), skillNames: library.skillNames).write(
                    to: url, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("Could not write \(url.path): \(error.localizedDescription)")
            }
        }
        if json {
            try Terminal.printJSON(plan)
            return
        }
        Self.render(plan, library: library, limit: days)
        if let ics { print("\nWrote the plan as iCalendar to \(ics).") }
    }

    static func render(_ plan: StudyPlan, library: ContentLibrary, limit: Int?) {
        let role = plan.roleName ?? "no target role (rounds settings --role …)"
        if let date = plan.interviewDate, let left = plan.daysLeft {
            print("Interview \(date): \(left) day\(left == 1 ? "" : "s") left · \(role)")
        } else {
            print("No interview date (rounds settings --interview-date YYYY-MM-DD): a rolling week · \(role)")
        }
        print(
            "\(StudyPlanner.hours(perWeek: plan.hoursPerWeek)) hours a week · the role needs about "
                + "\(StudyPlanner.hours(plan.neededMinutes)) h of the \(StudyPlanner.hours(plan.availableMinutes)) h "
                + "available · \(plan.fits ? "it fits" : "it does not fit")")
        for note in plan.notes { print("• " + note) }
        if !plan.leftOut.isEmpty {
            print("Left out:")
            for item in plan.leftOut {
                let name = library.skill(id: item.skill)?.name ?? item.skill
                print(
                    "  \(item.questions) new question\(item.questions == 1 ? "" : "s") of \(name) (\(item.minutes) min): \(item.reason)"
                )
            }
        }
        for day in plan.days.prefix(limit ?? plan.days.count) {
            print("\n\(day.date)  \(day.plannedMinutes) of \(day.budgetMinutes) min")
            if day.items.isEmpty { print("  rest") }
            for item in day.items {
                let skill = item.skill.map { " · " + (library.skill(id: $0)?.name ?? $0) } ?? ""
                print(
                    "  " + Terminal.pad(item.kind.rawValue, 7) + Terminal.pad("\(item.minutes) min", 8)
                        + Terminal.truncate(item.title, to: 70) + skill)
                if let id = item.id { print("  " + String(repeating: " ", count: 15) + id + "  (\(item.why))") }
            }
        }
        if let limit, limit < plan.days.count { print("\n… \(plan.days.count - limit) more days (--days to see them)") }
    }
}
