import Foundation
import Testing

@testable import RoundsCore

/// Issue 17: the study plan to the interview date, as pure functions of the learner's results.
@Suite struct StudyPlannerTests {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Chicago")!
        return calendar
    }()
    /// 2027-03-01, 09:00 in Chicago.
    static let today = calendar.date(from: DateComponents(year: 2027, month: 3, day: 1, hour: 9))!

    static func question(_ id: String, skill: String, minutes: Int = 4) -> Question {
        Question(
            id: id, title: "Question \(id)", level: .beginner, skills: [skill], roles: ["analyst"], kind: .concept,
            minutes: minutes, audience: nil, rubric: [], misconceptions: [], followups: [], sources: [],
            modelAnswer: "", tip: "", pitfalls: [])
    }

    /// 12 questions in each of three skills; the role weighs sql 5, privacy 3 and design 0.
    static let questions = ["sql", "privacy", "design"].flatMap { skill in
        (1...12).map { question("\(skill)-\($0)", skill: skill) }
    }
    static let skills = ["sql", "privacy", "design"].map { Skill(id: $0, name: $0.capitalized, summary: "") }
    static let role = Role(
        id: "analyst", name: "Analyst", summary: "", skillWeights: ["sql": 5, "privacy": 3], stages: [], market: [])

    static func progress(_ attempts: [Attempt] = [], cards: [String: ReviewCard] = [:]) -> LearnerProgress {
        LearnerProgress(
            questions: questions, skills: skills, roles: [role], attempts: attempts, cards: cards, now: today,
            calendar: calendar)
    }

    static func attempt(_ question: String, score: Int, daysAgo: Double = 1) -> Attempt {
        Attempt(
            learnerID: 1, questionID: question, sessionID: nil, answeredAt: today.addingTimeInterval(-daysAgo * 86_400),
            answer: "…", score: score, band: score / 25, rating: score < 40 ? .again : .good, ratingOverridden: false,
            secondsTaken: nil, summary: "")
    }

    static func plan(
        interview: String?, hours: Double = 5, attempts: [Attempt] = [], cards: [String: ReviewCard] = [:]
    ) -> StudyPlan {
        StudyPlanner().plan(
            today: today, calendar: calendar, interviewDate: interview, hoursPerWeek: hours, role: role,
            questions: questions, labs: [], progress: progress(attempts, cards: cards), cards: cards)
    }

    @Test func aPlanRunsFromTodayToTheDayBeforeTheInterview() {
        let plan = Self.plan(interview: "2027-03-29")
        #expect(plan.daysLeft == 28)
        #expect(plan.days.count == 28)
        #expect(plan.days.first?.date == "2027-03-01")
        #expect(plan.days.last?.date == "2027-03-28")
        // Across the spring-forward night (14 March in Chicago) every date appears once.
        #expect(Set(plan.days.map(\.date)).count == 28)
        #expect(plan.days.contains { $0.date == "2027-03-14" })
    }

    @Test func mockInterviewsComeWeeklyAndTwiceInTheFinalWeek() {
        let plan = Self.plan(interview: "2027-03-29")
        let mocks = plan.days.filter { $0.items.contains { $0.kind == .mock } }.map(\.date)
        // Final week: six and two days before the interview; earlier weeks: one each.
        #expect(mocks == ["2027-03-02", "2027-03-09", "2027-03-16", "2027-03-23", "2027-03-27"])
        #expect(mocks.filter { $0 >= "2027-03-22" }.count == 2)
    }

    @Test func newWorkKeepsToTheHoursAWeek() {
        let plan = Self.plan(interview: "2027-03-29", hours: 3.5)
        #expect(plan.days.allSatisfy { $0.budgetMinutes == 30 })
        for day in plan.days {
            let chosen = day.items.filter { $0.kind == .new || $0.kind == .lab }.map(\.minutes).reduce(0, +)
            let fixed = day.items.filter { $0.kind == .review || $0.kind == .mock }.map(\.minutes).reduce(0, +)
            // New work only goes where the fixed work left time.
            #expect(chosen == 0 || chosen + fixed <= day.budgetMinutes, "\(day.date)")
        }
        #expect(plan.availableMinutes == 30 * 28)
    }

    @Test func aSkillTheRoleDoesNotWeighGetsNoNewQuestions() {
        let plan = Self.plan(interview: "2027-03-29", hours: 10)
        let skills = Set(plan.days.flatMap(\.items).filter { $0.kind == .new }.compactMap(\.skill))
        #expect(skills == ["sql", "privacy"])
        // The heavier skill comes first.
        #expect(plan.days[0].items.first { $0.kind == .new }?.skill == "sql")
        #expect(plan.fits)
        #expect(plan.leftOut.isEmpty)
    }

    @Test func anOverfullPlanSaysWhatItLeftOutAndWhy() {
        // Three days at one hour a week: 9 minutes a day, one new question a day at most.
        let plan = Self.plan(interview: "2027-03-04", hours: 1)
        #expect(plan.days.count == 3)
        #expect(!plan.fits)
        let left = Dictionary(uniqueKeysWithValues: plan.leftOut.map { ($0.skill, $0.questions) })
        let placed = plan.days.flatMap(\.items).filter { $0.kind == .new }.count
        // The role wants 5 questions in each of its two skills.
        #expect(placed + left.values.reduce(0, +) == 10)
        #expect(left["privacy"] != nil)
        #expect(plan.neededMinutes > plan.availableMinutes)
        #expect(plan.notes.first?.contains("cannot cover the role") == true)
        #expect(plan.leftOut.allSatisfy { $0.minutes == $0.questions * 9 && !$0.reason.isEmpty })
    }

    @Test func aBadDayMovesTheRestOfThePlan() {
        // Before: five good sql answers and nothing else, so privacy is the need.
        let good = (1...5).map { Self.attempt("sql-\($0)", score: 90) }
        let before = Self.plan(interview: "2027-03-15", attempts: good)
        #expect(before.days[0].items.first { $0.kind == .new }?.skill == "privacy")
        // After a bad day: the same five sql questions answered again, badly, and one card due tomorrow.
        let bad = good + (1...5).map { Self.attempt("sql-\($0)", score: 10, daysAgo: 0.1) }
        let tomorrow = Self.calendar.date(byAdding: .day, value: 1, to: Self.today)!
        let cards = [
            "sql-1": ReviewCard(
                phase: .review, step: nil, memory: MemoryState(stability: 0.5, difficulty: 8), due: tomorrow,
                lastReview: Self.today)
        ]
        let after = Self.plan(interview: "2027-03-15", attempts: bad, cards: cards)
        // Privacy still has none of the five questions the role needs, so it keeps the first new slot;
        // the extra sql practice goes into the days after.
        #expect(after.days[0].items.first { $0.kind == .new }?.skill == "privacy")
        #expect(after.days[1].items.contains { $0.kind == .review && $0.id == "sql-1" })
        let newSQL = { (plan: StudyPlan) in
            plan.days.prefix(7).flatMap(\.items).filter { $0.kind == .new && $0.skill == "sql" }.count
        }
        #expect(newSQL(after) > newSQL(before))
    }

    @Test func aQuestionFirstAnsweredInThePlanComesBackForReview() {
        let plan = Self.plan(interview: "2027-03-29")
        let first = plan.days[0].items.first { $0.kind == .new }!
        let interval = FSRS().interval(stability: FSRS().initialState(.good).stability)
        #expect(plan.days[interval].items.contains { $0.kind == .review && $0.id == first.id })
    }

    @Test func withoutADateTheresARollingWeek() {
        let plan = Self.plan(interview: nil)
        #expect(plan.daysLeft == nil)
        #expect(plan.days.count == 7)
        #expect(plan.days.filter { $0.items.contains { $0.kind == .mock } }.map(\.date) == ["2027-03-07"])
    }

    @Test func aPassedOrTodaysInterviewPlansNothingAndSaysSo() {
        let passed = Self.plan(interview: "2027-02-20")
        #expect(passed.days.isEmpty && !passed.fits)
        #expect(passed.notes.first?.contains("has passed") == true)
        let today = Self.plan(interview: "2027-03-01")
        #expect(today.daysLeft == 0 && today.days.isEmpty)
        #expect(today.notes.first?.contains("is today") == true)
    }

    @Test func theICalendarFileFollowsRFC5545() throws {
        let plan = Self.plan(interview: "2027-03-08")
        let text = plan.iCalendar(stamp: Self.today, skillNames: ["sql": "SQL; databases, \\ and more"])
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let lines = text.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.utf8.count <= 75 && !$0.contains("\n") })
        #expect(text.contains("DTSTART;VALUE=DATE:20270301\r\nDTEND;VALUE=DATE:20270302"))
        #expect(text.contains("UID:interview-20270308@rounds.local"))
        // Unfolded, the skill name is escaped as TEXT.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("[SQL\\; databases\\, \\\\ and more]"))
        #expect(text.components(separatedBy: "BEGIN:VEVENT").count - 1 == plan.days.count + 1)
    }

    @Test func foldingNeverSplitsACharacter() {
        let line = "SUMMARY:" + String(repeating: "é", count: 60)
        let folded = StudyPlan.fold(line)
        for part in folded.components(separatedBy: "\r\n") {
            #expect(part.utf8.count <= 75)
            #expect(String(data: Data(part.utf8), encoding: .utf8) != nil)
        }
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
    }
}
