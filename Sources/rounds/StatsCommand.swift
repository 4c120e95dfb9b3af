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
    @Flag(help: "Print JSON: {skills, roles, dueNow, dueThisWeek, streakDays, recentScores, attempts}.")
    var json = false

    mutating func run() async throws {
        let library = content.load()
        let store = try await storeOptions.open()
        let learner = try await store.learner(named: StoreOptions.localLearner)
        let progress = try await library.progress(learnerID: learner.id, in: store).progress
        if json {
            try Terminal.printJSON(progress)
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
