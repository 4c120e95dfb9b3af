import Foundation
import RoundsCore

/// One opening against the learner: the skills its description names (with the words they came
/// from), how well the learner's measured mastery matches them, the gaps, and what would close them.
public struct OpeningReport: Sendable, Codable {
    public let opening: Opening
    /// The skills found, most mentioned first.
    public let skills: [SkillExtractor.Found]
    /// 0 to 100: the learner's mastery weighted by the posting's skills, as role readiness is.
    public let match: Int
    /// The posting as a role: its skills weighted by mentions, with the learner's mastery of each.
    public let rows: [RoleReport.SkillRow]
    /// Skills the posting names that the learner has not mastered (below ``OpeningReport/gapBelow``),
    /// the most to gain first.
    public let gaps: [RoleReport.SkillRow]
    /// Questions and labs that would close the gaps.
    public let next: [RoleReport.Suggestion]
    /// The learner's note on the company, if any.
    public let note: CompanyNote?

    /// Mastery under which a skill the posting names is a gap.
    public static let gapBelow = 0.7
}

extension ContentLibrary {
    /// Finds the bank's skills in postings by the skills' terms.
    public var skillExtractor: SkillExtractor { SkillExtractor(skills: skills) }

    /// An opening as a role for the planner and the role report: the skills its title and description
    /// name, weighted by mentions (up to three); nil when it names none of the bank's skills.
    public func role(for opening: Opening) -> Role? {
        role(for: opening, found: skillExtractor.skills(in: opening.skillText))
    }

    /// The role of `opening` from the skills already found in it.
    func role(for opening: Opening, found: [SkillExtractor.Found]) -> Role? {
        let weights = SkillExtractor.weights(found)
        guard !weights.isEmpty else { return nil }
        return Role(
            id: "opening-\(opening.id ?? 0)", name: "\(opening.title) at \(opening.company)",
            summary: "The skills this posting names, weighted by how often it names them.", skillWeights: weights,
            stages: [], market: [])
    }

    /// The report on `opening` for a learner whose progress is `snapshot`.
    public func openingReport(
        _ opening: Opening, snapshot: ProgressSnapshot, settings: LearnerSettings, note: CompanyNote? = nil,
        now: Date = Date()
    ) -> OpeningReport {
        let found = skillExtractor.skills(in: opening.skillText)
        guard let role = role(for: opening, found: found) else {
            return OpeningReport(opening: opening, skills: [], match: 0, rows: [], gaps: [], next: [], note: note)
        }
        let report = roleReport(role, snapshot: snapshot, settings: settings, now: now)
        let gaps = report.skills.filter { $0.mastery < OpeningReport.gapBelow }.sorted {
            ($0.headroom, $1.skill) > ($1.headroom, $0.skill)
        }
        return OpeningReport(
            opening: opening, skills: found, match: report.readiness, rows: report.skills, gaps: gaps,
            next: report.next,
            note: note)
    }

    /// The market summary of `openings`.
    public func marketSummary(_ openings: [Opening]) -> MarketSummary {
        MarketSummary(openings, extractor: skillExtractor)
    }
}

/// How the plan is going: this week against the plan's budget, and readiness for the plan's role week
/// by week (`rounds stats`, the dashboard, `GET /api/v1/plan/progress`).
public struct PlanProgress: Sendable, Codable {
    public let week: WeekProgress
    /// Nil without a target role (or a posting to plan for).
    public let readiness: ReadinessTimeline?
}

extension ContentLibrary {
    /// Reads what progress needs (the scores without their text, the week's lab hand-ins, the sessions)
    /// and measures it for `learner`, whose plan follows `opening` when they chose one. `labAttempts`:
    /// the learner's hand-ins when the caller has read them already (the dashboard has).
    public func planProgress(
        _ learner: Learner, in store: any Storage, opening: Opening?, labAttempts: [LabAttempt]? = nil,
        now: Date = Date(), calendar: Calendar = .current
    ) async throws -> PlanProgress {
        let scores = try await store.scores(learnerID: learner.id)
        let week = calendar.dateInterval(of: .weekOfYear, for: now) ?? DateInterval(start: now, duration: 7 * 86_400)
        let handIns: [LabAttempt]
        if let labAttempts {
            handIns = labAttempts
        } else {
            handIns = try await store.labAttempts(learnerID: learner.id, labID: nil)
        }
        let labsThisWeek = Set(handIns.filter { week.contains($0.submittedAt) }.map(\.labID))
        let mocks = try await store.sessions(learnerID: learner.id)
            .filter { $0.kind == .mock && week.contains($0.startedAt) }.count
        let progress = WeekProgress(
            now: now, calendar: calendar, hoursPerWeek: learner.settings.planningHours, scores: scores,
            questionMinutes: Dictionary(questions.map { ($0.id, $0.minutes) }, uniquingKeysWith: { a, _ in a }),
            labMinutes: labsThisWeek.sorted().compactMap { lab(id: $0)?.minutes }, mockInterviews: mocks)
        let role = opening.flatMap(role(for:)) ?? learner.settings.targetRole.flatMap(role(id:))
        return PlanProgress(
            week: progress,
            readiness: role.map {
                ReadinessTimeline(
                    role: $0, questions: questions, skills: skills, scores: scores, now: now, calendar: calendar)
            })
    }
}
