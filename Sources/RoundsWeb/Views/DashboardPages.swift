import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback

struct RecentAttempt {
    let id: Int64
    let title: String
    let score: Int
    let band: String
    let when: String
}

struct NextQuestion {
    let id: String
    let title: String
    let reason: String
}

/// The first-run form on the dashboard: what the learner is preparing for.
struct SetupForm {
    let roles: [Option]
    let levels: [Option]
    let defaultHours: String
    let csrf: String
}

struct DashboardPage {
    /// Shown until the learner has a target role or an answer; skipping it is just starting to practise.
    let setup: SetupForm?
    /// Whole days to the interview, when the learner set a date.
    let daysLeft: String?
    let daysLeftLabel: String
    /// Today in the study plan (at the default hours a week).
    let today: PlanPage.Day?
    let todayHasItems: Bool
    /// This week against the plan's budget, in one sentence.
    let week: String
    /// Readiness for the plan's role week by week (empty before two weeks of answers).
    let readinessOverTime: String
    let attempts: Int
    let dueNow: Int
    let dueThisWeek: Int
    let streakDays: Int
    let targetRole: String?
    let next: NextQuestion?
    let readinessChart: String
    let masteryChart: String
    let scoreChart: String
    /// No answers yet: the dashboard shows where to start instead of bars at 0%.
    let firstRun: Bool
    let recent: [RecentAttempt]
    let hasRecent: Bool
    let labsSolved: Int
    let labsTotal: Int
    let dueLabs: [DueLab]
    let hasDueLabs: Bool
}

struct DueLab {
    let id, title, kind: String
}
