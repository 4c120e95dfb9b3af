import Foundation

/// One answer's score and time, without its text: what progress over time needs from history.
public struct ScoredAnswer: Sendable, Hashable, Codable {
    public let questionID: String
    public let answeredAt: Date
    public let score: Int
    /// Seconds the learner took, when the answer was timed.
    public let secondsTaken: Int?
    /// The session it was given in, if any (a mock interview's answers have one).
    public let sessionID: Int64?

    public init(questionID: String, answeredAt: Date, score: Int, secondsTaken: Int?, sessionID: Int64? = nil) {
        self.questionID = questionID
        self.answeredAt = answeredAt
        self.score = score
        self.secondsTaken = secondsTaken
        self.sessionID = sessionID
    }
}

/// This week's study against the plan's budget: the minutes the learner's hours a week allow, and the
/// minutes spent on answers (timed where the answer was timed, else the question's suggested minutes)
/// and on labs (each lab handed in this week counts its suggested minutes once).
///
/// The plan is worked out afresh from results every day, so past days have no stored plan to compare
/// with; the budget is what the plan spreads over the week, and so what "planned" means here.
public struct WeekProgress: Sendable, Hashable, Codable {
    /// The week's first and last day, `YYYY-MM-DD`, in the learner's calendar.
    public let from: String
    public let to: String
    public let plannedMinutes: Int
    public let doneMinutes: Int
    /// Questions answered this week (a question answered twice counts twice).
    public let answers: Int
    /// Of those, answers to questions first answered before this week.
    public let reviews: Int
    public let labs: Int
    public let mockInterviews: Int

    /// A timed answer counts at most this many minutes (a tab left open is not study).
    public static let maxMinutesPerAnswer = 30

    /// - Parameters:
    ///   - scores: the learner's answers, any order; only this week's count, and earlier ones tell
    ///     reviews from first answers.
    ///   - labMinutes: the suggested minutes of each lab handed in this week, one entry per lab.
    public init(
        now: Date, calendar: Calendar, hoursPerWeek: Double, scores: [ScoredAnswer], questionMinutes: [String: Int],
        labMinutes: [Int], mockInterviews: Int
    ) {
        let week = calendar.dateInterval(of: .weekOfYear, for: now) ?? DateInterval(start: now, duration: 7 * 86_400)
        from = StudyPlanner.dayString(week.start, calendar: calendar)
        to = StudyPlanner.dayString(week.end.addingTimeInterval(-1), calendar: calendar)
        plannedMinutes = Int((hoursPerWeek * 60).rounded())
        let earlier = Set(scores.filter { $0.answeredAt < week.start }.map(\.questionID))
        let thisWeek = scores.filter { week.start <= $0.answeredAt && $0.answeredAt < week.end }
        answers = thisWeek.count
        reviews = thisWeek.filter { earlier.contains($0.questionID) }.count
        let answerMinutes = thisWeek.map { answer -> Int in
            let suggested = questionMinutes[answer.questionID] ?? 5
            let timed = answer.secondsTaken.map { Int((Double($0) / 60).rounded(.up)) } ?? suggested
            return min(max(timed, 1), Self.maxMinutesPerAnswer)
        }.reduce(0, +)
        labs = labMinutes.count
        doneMinutes = answerMinutes + labMinutes.reduce(0, +)
        self.mockInterviews = mockInterviews
    }

    /// Done as a share of planned, 0 to 100 (over 100 when the learner did more).
    public var percent: Int {
        plannedMinutes == 0 ? 0 : Int((Double(doneMinutes) / Double(plannedMinutes) * 100).rounded())
    }
}

/// Readiness for one role at the end of each of the last weeks, replayed from the learner's scores with
/// the formula the dashboard uses today (``LearnerProgress``): a dated line of how it grew.
public struct ReadinessTimeline: Sendable, Hashable, Codable {
    public struct Point: Sendable, Hashable, Codable {
        /// `YYYY-MM-DD`: the last day the point counts (today for the last point).
        public let date: String
        public let percent: Int
    }

    public let role: String
    public let roleName: String
    /// Oldest first: one a week, from the week of the first answer (at most `weeks` back) to today.
    public let points: [Point]

    public static let defaultWeeks = 12

    public init(
        role: Role, questions: [Question], skills: [Skill], scores: [ScoredAnswer], now: Date, calendar: Calendar,
        weeks: Int = defaultWeeks
    ) {
        self.role = role.id
        roleName = role.name
        let sorted = scores.sorted { $0.answeredAt < $1.answeredAt }
        guard let first = sorted.first?.answeredAt else {
            points = []
            return
        }
        // The end of today, then the same time one week, two weeks… back: each point counts what was
        // answered before it.
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now)) ?? now
        var ends: [Date] = []
        for back in 0..<max(1, weeks) {
            guard let end = calendar.date(byAdding: .day, value: -7 * back, to: tomorrow), end > first else { break }
            ends.append(end)
        }
        ends.reverse()
        var latest: [String: ScoredAnswer] = [:]
        var index = 0
        var points: [Point] = []
        for end in ends {
            while index < sorted.count && sorted[index].answeredAt < end {
                latest[sorted[index].questionID] = sorted[index]
                index += 1
            }
            let history = HistorySummary(
                latest: latest.values.map {
                    Attempt(
                        learnerID: 0, questionID: $0.questionID, sessionID: nil, answeredAt: $0.answeredAt, answer: "",
                        score: $0.score,
                        band: 0, rating: .good, ratingOverridden: false, secondsTaken: nil, summary: "")
                }, recent: [], count: latest.count, answerTimes: [])
            let progress = LearnerProgress(
                questions: questions, skills: skills, roles: [role], history: history, cards: [:], now: end,
                calendar: calendar)
            let lastDay = calendar.date(byAdding: .second, value: -1, to: end) ?? end
            points.append(
                Point(
                    date: StudyPlanner.dayString(lastDay, calendar: calendar),
                    percent: progress.roles.first?.percent ?? 0))
        }
        self.points = points
    }
}
