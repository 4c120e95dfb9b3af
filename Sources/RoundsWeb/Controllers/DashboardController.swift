import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsLabs
import RoundsStore

/// The dashboard (progress, what is due, the next question, charts) and the practice queue, which
/// sends the learner to the question the planner picks.
struct DashboardController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: dashboard)
        router.get("/practice", use: practice)
    }

    // MARK: Dashboard

    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        let now = Date()
        let (snapshot, queue) = try await actions.plan(for: learner, now: now)
        let (progress, history, cards) = (snapshot.progress, snapshot.history, snapshot.cards)
        let next = queue.first
        let role = learner.settings.targetRole.flatMap(library.role(id:))
        let roles = progress.roles.compactMap { row -> (label: String, value: Double)? in
            guard let role = library.role(id: row.role) else { return nil }
            return (role.name, Double(row.percent) / 100)
        }
        let skills = progress.skills.map { row in
            (label: library.skill(id: row.skill)?.name ?? row.skill, value: row.mastery)
        }
        let recent = history.recent.suffix(8).reversed().map { attempt in
            RecentAttempt(
                id: attempt.id, title: library.question(id: attempt.questionID)?.title ?? attempt.questionID,
                score: attempt.score, band: Feedback.bandNames[attempt.band],
                when: attempt.answeredAt.formatted(date: .abbreviated, time: .shortened))
        }
        let dueLabs = cards.compactMap { item, card -> (Date, Lab)? in
            guard card.due <= now, let id = Lab.id(ofReviewItem: item),
                let lab = library.lab(id: id)
            else { return nil }
            return (card.due, lab)
        }
        .sorted { $0.0 < $1.0 }.map { DueLab(id: $0.1.id, title: $0.1.title, kind: $0.1.kind.label) }
        let opening = try await environment.store.planTarget(learnerID: learner.id)
        let plan = library.studyPlan(
            for: learner.settings, snapshot: snapshot, hoursPerWeek: learner.settings.planningHours, opening: opening,
            now: now)
        let labHistory = try await LabHistory.read(learnerID: learner.id, store: environment.store, cards: cards)
        let planProgress = try await library.planProgress(
            learner, in: environment.store, opening: opening, labAttempts: labHistory.attempts, now: now)
        let today = plan.days.first.map { PlanPage.Day($0, label: "", library: library) }
        let setup =
            progress.attempts == 0 && learner.settings.targetRole == nil
            ? SetupForm(
                roles: library.roles.map { Option(value: $0.id, label: $0.name, selected: false) },
                levels: SettingsPage.levels(selected: nil),
                defaultHours: StudyPlanner.hours(perWeek: LearnerSettings.defaultHoursPerWeek), csrf: context.csrfToken
            )
            : nil
        let page = DashboardPage(
            setup: setup,
            daysLeft: plan.daysLeft.map { "\($0)" },
            daysLeftLabel: plan.daysLeft == 1 ? "day to your interview" : "days to your interview",
            today: today, todayHasItems: today?.hasItems ?? false,
            week: PlanPage.weekLine(planProgress.week),
            readinessOverTime: planProgress.readiness.map(PlanPage.readinessChart) ?? "",
            attempts: progress.attempts, dueNow: progress.dueNow, dueThisWeek: progress.dueThisWeek,
            streakDays: progress.streakDays, targetRole: role?.name,
            next: next.map {
                NextQuestion(id: $0.question.id, title: $0.question.title, reason: actions.describe($0.reason))
            },
            readinessChart: Charts.bars(roles, title: "Readiness per role, in percent", highlight: role?.name),
            masteryChart: Charts.bars(skills, title: "Mastery per skill, in percent"),
            scoreChart: Charts.scoreLine(
                history.recent.suffix(HistorySummary.recentLimit).map { ($0.answeredAt, $0.score) },
                title: "Scores of your last \(min(history.recent.count, HistorySummary.recentLimit)) answers"),
            firstRun: progress.attempts == 0,
            recent: recent, hasRecent: !recent.isEmpty,
            labsSolved: labHistory.solved,
            labsTotal: library.labs.count, dueLabs: dueLabs, hasDueLabs: !dueLabs.isEmpty)
        return environment.views.response(.dashboard, title: "Dashboard", page: page, context: context)
    }

    // MARK: Practice

    @Sendable func practice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        guard let next = try await actions.plan(for: learner).next.first else {
            throw PageError(
                status: .notFound, message: "Nothing to practise: every question is answered and none is due.")
        }
        return .redirect(to: "/questions/\(next.question.id)")
    }

    func currentLearner(_ context: AppRequestContext) async throws -> Learner {
        try await actions.currentLearner(context)
    }
}
