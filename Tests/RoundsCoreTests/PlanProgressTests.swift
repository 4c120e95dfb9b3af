import Foundation
import Testing

@testable import RoundsCore

/// Issue 17: this week against the plan's budget, and readiness for a role replayed week by week.
@Suite struct PlanProgressTests {
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        calendar.firstWeekday = 2  // Monday
        return calendar
    }
    /// Wednesday 9 December 2026, noon UTC.
    static let now = Date(timeIntervalSince1970: 1_796_817_600)

    func at(_ daysAgo: Double) -> Date { Self.now.addingTimeInterval(-daysAgo * 86_400) }

    @Test func theWeekCountsTimeAgainstTheBudget() {
        let scores = [
            ScoredAnswer(questionID: "a", answeredAt: at(10), score: 50, secondsTaken: 300),  // last week
            ScoredAnswer(questionID: "a", answeredAt: at(1), score: 80, secondsTaken: 250),  // a review: 5 min
            ScoredAnswer(questionID: "b", answeredAt: at(0.1), score: 60, secondsTaken: nil),  // untimed: 8 min
            ScoredAnswer(questionID: "c", answeredAt: at(0.05), score: 60, secondsTaken: 7_200),  // capped at 30
        ]
        let week = WeekProgress(
            now: Self.now, calendar: Self.calendar, hoursPerWeek: 5, scores: scores,
            questionMinutes: ["a": 6, "b": 8, "c": 10], labMinutes: [15], mockInterviews: 1)
        #expect(week.from == "2026-12-07" && week.to == "2026-12-13")
        #expect(week.plannedMinutes == 300)
        #expect(week.answers == 3 && week.reviews == 1 && week.labs == 1 && week.mockInterviews == 1)
        #expect(week.doneMinutes == 5 + 8 + 30 + 15)
        #expect(week.percent == 19)
    }

    @Test func readinessIsReplayedAtTheEndOfEachWeek() {
        let skills = [Skill(id: "sql", name: "SQL", summary: ""), Skill(id: "privacy", name: "Privacy", summary: "")]
        let questions = (1...5).flatMap { n in
            ["sql", "privacy"].map { skill in
                Question(
                    id: "\(skill)-\(n)", title: "Q", level: .beginner, skills: [skill], roles: [], kind: .concept,
                    minutes: 5, audience: nil, rubric: [], misconceptions: [], followups: [], sources: [],
                    modelAnswer: "",
                    tip: "", pitfalls: [])
            }
        }
        let role = Role(
            id: "analyst", name: "Analyst", summary: "", skillWeights: ["sql": 3, "privacy": 1], stages: [], market: [])
        // Three weeks ago one SQL answer at 100; last week four more; today a privacy answer.
        var scores = [ScoredAnswer(questionID: "sql-1", answeredAt: at(20), score: 100, secondsTaken: nil)]
        for n in 2...5 {
            scores.append(ScoredAnswer(questionID: "sql-\(n)", answeredAt: at(8), score: 100, secondsTaken: nil))
        }
        scores.append(ScoredAnswer(questionID: "privacy-1", answeredAt: at(0.1), score: 100, secondsTaken: nil))
        let timeline = ReadinessTimeline(
            role: role, questions: questions, skills: skills, scores: scores, now: Self.now, calendar: Self.calendar)
        #expect(timeline.roleName == "Analyst")
        #expect(
            timeline.points.map(\.date) == ["2026-11-25", "2026-12-02", "2026-12-09"], "from the first answer's week")
        // SQL: one answer at 100 counts 20% (confidence 1/5), weight 3 of 4: 15%. Five answers: 75%.
        // Today privacy adds 100 x 1/5 x 1/4 = 5%.
        #expect(timeline.points.map(\.percent) == [15, 75, 80])
        let none = ReadinessTimeline(
            role: role, questions: questions, skills: skills, scores: [], now: Self.now, calendar: Self.calendar)
        #expect(none.points.isEmpty)
    }
}

/// Issue 17: the level a learner says they are at is where new questions start.
@Suite struct StartingLevelTests {
    static let questions = Level.allCases.map { level in
        Question(
            id: "\(level.rawValue)-q", title: "Q", level: level, skills: ["sql"], roles: [], kind: .concept,
            minutes: 5, audience: nil, rubric: [], misconceptions: [], followups: [], sources: [], modelAnswer: "",
            tip: "", pitfalls: [])
    }

    @Test func newQuestionsStartAtTheLearnersLevelAndMasteryMovesThemUp() {
        func first(_ mastery: Double, _ level: Level) -> Level? {
            PracticePlanner.inLevelOrder(Self.questions, mastery: mastery, startingAt: level).first?.level
        }
        #expect(first(0, .beginner) == .beginner)
        #expect(first(0, .intermediate) == .intermediate)
        #expect(first(0, .advanced) == .advanced)
        #expect(first(0.5, .beginner) == .intermediate, "mastery still moves a beginner up")
        #expect(first(0.8, .intermediate) == .advanced)
        #expect(PracticePlanner(for: LearnerSettings(level: .advanced)).startingLevel == .advanced)
        #expect(PracticePlanner(for: LearnerSettings()).startingLevel == .beginner)
    }
}
