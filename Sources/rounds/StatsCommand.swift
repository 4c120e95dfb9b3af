import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsStore

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show mastery per skill, readiness per role, what is due, your streak and recent scores.",
        discussion: """
            Mastery of a skill is the mean of your latest score on each of its questions you have \
            answered, times a confidence that grows with the number answered (full from \
            \(LearnerProgress.questionsForFullConfidence) questions): one perfect answer shows 20% mastery, not 100%.

            Readiness for a role is the role's skill weights applied to your mastery: \
            Σ weight × mastery ÷ Σ weight. The weights are in Content/roles/<role>.yaml.

            Due counts are reviews scheduled by now and within the next 7 days. The streak counts \
            consecutive days, up to today or yesterday, with at least one answer.
            """
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var content: ContentOptions
    @Flag(
        help:
            "Print JSON: {skills, roles, dueNow, dueThisWeek, streakDays, recentScores, attempts, week, readinessOverTime}."
    )
    var json = false

    mutating func run() async throws {
        let library = content.load()
        let store = try await storeOptions.open()
        let learner = try await store.learner(named: StoreOptions.localLearner)
        let progress = try await library.progress(learnerID: learner.id, in: store).progress
        let plan = try await library.planProgress(
            learner, in: store, opening: try await store.planTarget(learnerID: learner.id))
        if json {
            try Terminal.printJSON(StatsJSON(progress: progress, plan: plan))
            return
        }
        if let date = learner.settings.interviewDate,
            let day = StudyPlanner.day(date, calendar: .current),
            let left = Calendar.current.dateComponents(
                [.day], from: Calendar.current.startOfDay(for: Date()), to: day
            ).day, left >= 0
        {
            print("Interview \(date): \(left) day\(left == 1 ? "" : "s") left · rounds plan shows the days to it")
        }
        print(
            "\(progress.attempts) answer\(progress.attempts == 1 ? "" : "s") · \(progress.dueNow) due now · \(progress.dueThisWeek) due this week · streak \(progress.streakDays) day\(progress.streakDays == 1 ? "" : "s")"
        )
        let week = plan.week
        print(
            "This week (\(week.from) to \(week.to)): \(week.doneMinutes) of \(week.plannedMinutes) planned minutes (\(week.percent)%) · \(week.answers) answer\(week.answers == 1 ? "" : "s") · \(week.labs) lab\(week.labs == 1 ? "" : "s") · \(week.mockInterviews) mock interview\(week.mockInterviews == 1 ? "" : "s")"
        )
        if !progress.recentScores.isEmpty {
            print(
                "Recent scores  \(Chart.sparkline(progress.recentScores.map(Double.init), maximum: 100))  last \(progress.recentScores.last!)"
            )
        }
        print("\nReadiness by role")
        for row in progress.roles.sorted(by: { $0.percent > $1.percent }) {
            let name = library.role(id: row.role)?.name ?? row.role
            let marker = row.role == learner.settings.targetRole ? " ◀ target" : ""
            print(
                Terminal.pad(Terminal.truncate(name, to: 36), 36) + " "
                    + Chart.bar(Double(row.percent) / 100, width: 20) + String(format: " %3d%%", row.percent) + marker)
        }
        if let timeline = plan.readiness, timeline.points.count >= 2 {
            print("\nReadiness for \(timeline.roleName), at the end of each week")
            for point in timeline.points {
                print(
                    "  \(point.date)  " + Chart.bar(Double(point.percent) / 100, width: 20)
                        + String(format: " %3d%%", point.percent))
            }
        }
        print("\nMastery by skill")
        for row in progress.skills {
            let name = library.skill(id: row.skill)?.name ?? row.skill
            print(
                Terminal.pad(Terminal.truncate(name, to: 36), 36) + " " + Chart.bar(row.mastery, width: 20)
                    + String(format: " %3d%%", Int((row.mastery * 100).rounded()))
                    + "  \(row.practised)/\(row.available)")
        }
    }
}

/// `rounds stats --json`: the progress's fields, then this week against the plan (`week`) and readiness
/// for the plan's role week by week (`readinessOverTime`, absent without a role).
struct StatsJSON: Encodable {
    let progress: LearnerProgress
    let plan: PlanProgress

    enum Keys: String, CodingKey { case week, readinessOverTime }

    func encode(to encoder: any Encoder) throws {
        try progress.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(plan.week, forKey: .week)
        try container.encodeIfPresent(plan.readiness, forKey: .readinessOverTime)
    }
}

/// Terminal charts drawn with block characters.
enum Chart {
    static let ticks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func sparkline(_ values: [Double], maximum: Double) -> String {
        String(
            values.map { value in
                let level = maximum > 0 ? (value / maximum * Double(ticks.count - 1) + 0.5) : 0
                return ticks[level.isFinite ? Int(min(max(level, 0), Double(ticks.count - 1))) : 0]
            })
    }

    /// A bar `width` cells long, filled in proportion to `fraction` (0 to 1).
    static func bar(_ fraction: Double, width: Int) -> String {
        let filled = Int((max(0, min(1, fraction)) * Double(width)).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    }
}
