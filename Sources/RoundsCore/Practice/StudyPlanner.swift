import Foundation

/// A day-by-day plan to the interview date: due reviews, new questions chosen by the role's weight
/// times the learner's weakness, labs, and timed mock interviews at fixed points.
///
/// It is a pure function of what the learner has done (mastery, FSRS cards), so asking again after a
/// day's answers re-plans from the results: a skill that went badly gets more of the days left, and a
/// card rated Again comes back within the next days. Without an interview date it is a rolling week.
public struct StudyPlan: Sendable, Codable, Hashable {
    /// One thing to do on a day.
    public struct Item: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable, Hashable {
            case review, new, lab, mock
        }

        public let kind: Kind
        /// The question or lab id; nil for a mock interview.
        public let id: String?
        public let title: String
        /// The skill it practises; nil for a mock interview.
        public let skill: String?
        public let minutes: Int
        /// Why it is on this day, in a few words.
        public let why: String
    }

    /// One day of the plan.
    public struct Day: Sendable, Codable, Hashable {
        /// `YYYY-MM-DD` in the learner's calendar.
        public let date: String
        /// The learner's time for the day.
        public let budgetMinutes: Int
        public let items: [Item]

        public var plannedMinutes: Int { items.map(\.minutes).reduce(0, +) }
    }

    /// Work the role needs that the days left cannot hold.
    public struct LeftOut: Sendable, Codable, Hashable {
        public let skill: String
        /// New questions of the skill the plan wanted and could not fit.
        public let questions: Int
        public let minutes: Int
        public let reason: String
    }

    /// `YYYY-MM-DD`.
    public let today: String
    public let interviewDate: String?
    /// Whole days from today to the interview (0 on the day itself); nil without a date.
    public let daysLeft: Int?
    public let role: String?
    /// The role's name; for a plan built for a job posting (role `opening-ID`), "title at company".
    public let roleName: String?
    public let hoursPerWeek: Double
    public let days: [Day]
    /// Minutes the role's new questions, the due reviews and the mocks need before the date.
    public let neededMinutes: Int
    /// Minutes the learner has before the date (or in the rolling week).
    public let availableMinutes: Int
    /// True when everything the role needs fits.
    public let fits: Bool
    public let leftOut: [LeftOut]
    /// Plain statements about the plan: why it does not fit, what ran out, what to change.
    public let notes: [String]
}

/// Builds a ``StudyPlan``.
public struct StudyPlanner: Sendable {
    /// New questions of a role skill the plan aims for: enough for the skill's mastery to count in full.
    public static let questionsPerSkill = LearnerProgress.questionsForFullConfidence
    /// Minutes added to a new question's suggested minutes: reading the feedback and the model answer.
    public static let newQuestionOverhead = 5
    /// Minutes of a timed mock interview in the plan.
    public static let mockMinutes = 30
    /// The score a planned question is expected to earn when projecting mastery (0 to 1).
    static let expectedScore = 0.7
    /// The longest plan, in days; a date further away is planned as far as this.
    public static let maximumDays = 366
    /// Hours per week a learner may state.
    public static let hoursRange = 0.5...80.0

    public let fsrs: FSRS

    /// The level the learner says they are at: new questions start there.
    public let startingLevel: Level

    public init(fsrs: FSRS = FSRS(), startingLevel: Level = .beginner) {
        self.fsrs = fsrs
        self.startingLevel = startingLevel
    }

    /// - Parameters:
    ///   - today: now; the plan starts on its day in `calendar`.
    ///   - interviewDate: `YYYY-MM-DD`, or nil for a rolling week.
    ///   - cards: the learner's FSRS cards; a question or lab with one is not new, and its due date puts
    ///     it on a day.
    public func plan(
        today: Date, calendar: Calendar, interviewDate: String?, hoursPerWeek: Double, role: Role?,
        questions: [Question], labs: [Lab], progress: LearnerProgress, cards: [String: ReviewCard]
    ) -> StudyPlan {
        let start = calendar.startOfDay(for: today)
        let todayText = Self.dayString(start, calendar: calendar)
        var notes: [String] = []
        var daysLeft: Int?
        var dayCount = 7
        if let interviewDate, let interview = Self.day(interviewDate, calendar: calendar) {
            let left = calendar.dateComponents([.day], from: start, to: interview).day ?? 0
            daysLeft = left
            if left <= 0 {
                dayCount = 0
                notes.append(
                    left == 0
                        ? "The interview is today: rest, and skim the tips of the questions you found hardest."
                        : "The interview date, \(interviewDate), has passed; set the next one in settings.")
            } else if left > Self.maximumDays {
                dayCount = Self.maximumDays
                notes.append("The interview is \(left) days away; the plan covers the first \(Self.maximumDays).")
            } else {
                dayCount = left
            }
        }
        let dates = (0..<dayCount).map { calendar.date(byAdding: .day, value: $0, to: start)! }
        let budget = Int((hoursPerWeek * 60 / 7).rounded())

        // Mock interviews at fixed points: one a week counting back from the interview, and two in the
        // final week (six days and two days before it). A rolling week has one, on its last day.
        var mockDays = Set<Int>()
        if daysLeft != nil, dayCount > 0 {
            for before in [6, 2] where before <= dayCount { mockDays.insert(dayCount - before) }
            var before = 13
            while before <= dayCount {
                mockDays.insert(dayCount - before)
                before += 7
            }
        } else if dayCount > 0 {
            mockDays.insert(dayCount - 1)
        }

        let weights = Dictionary(
            uniqueKeysWithValues: Set(questions.map(\.primarySkill)).map { skill in
                (skill, role.map { $0.skillWeights[skill] ?? 0 } ?? 1)
            })
        // Projected mastery per skill as (sum of scores, count), from the measured mastery.
        var tally: [String: (sum: Double, count: Int)] = [:]
        for skill in weights.keys {
            let measured = progress.skills.first { $0.skill == skill }
            let count = measured?.practised ?? 0
            let confidence = LearnerProgress.confidence(answered: count)
            let mean = confidence > 0 ? (measured?.mastery ?? 0) / confidence : 0
            tally[skill] = (mean * Double(count), count)
        }
        func mastery(_ skill: String) -> Double {
            guard let t = tally[skill], t.count > 0 else { return 0 }
            return t.sum / Double(t.count) * LearnerProgress.confidence(answered: t.count)
        }
        func need(_ skill: String) -> Double { (weights[skill] ?? 0) * (1 - mastery(skill)) }

        // New questions by skill, in the order the practice queue would take them.
        var fresh = Dictionary(grouping: questions.filter { cards[$0.id] == nil }, by: \.primarySkill)
        for skill in fresh.keys {
            fresh[skill] = PracticePlanner.inLevelOrder(
                fresh[skill]!, mastery: mastery(skill), startingAt: startingLevel)
        }
        // What the role needs: enough new questions in every skill it weighs for mastery to count.
        var wanted: [String: Int] = [:]
        for (skill, weight) in weights where weight > 0 {
            let practised = tally[skill]?.count ?? 0
            wanted[skill] = min(max(0, Self.questionsPerSkill - practised), fresh[skill]?.count ?? 0)
        }
        var freshLabs = Dictionary(
            grouping: labs.filter { cards[Lab.reviewItem($0.id)] == nil }
                .sorted { $0.level != $1.level ? $0.level < $1.level : $0.id < $1.id },
            by: { $0.skills.first ?? "" })

        // Reviews: cards due by each day; a question first answered in the plan comes back after the
        // interval FSRS gives a first Good answer.
        let questionsByID = Dictionary(questions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let labsByID = Dictionary(labs.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var reviewsOn: [Int: [String]] = [:]
        for (item, card) in cards.sorted(by: { $0.key < $1.key }) where card.memory != nil || card.due <= today {
            guard questionsByID[item] != nil || Lab.id(ofReviewItem: item).flatMap({ labsByID[$0] }) != nil else {
                continue
            }
            let offset = calendar.dateComponents([.day], from: start, to: calendar.startOfDay(for: card.due)).day ?? 0
            if offset < dayCount { reviewsOn[max(0, offset), default: []].append(item) }
        }
        let firstInterval = fsrs.interval(stability: fsrs.initialState(.good).stability)

        var days: [StudyPlan.Day] = []
        var placedNew: [String: Int] = [:]
        var overBudgetDays = 0
        // Reviews, mocks and the new questions the role needs; extra new questions are not counted.
        var requiredMinutes = 0
        for (index, date) in dates.enumerated() {
            var items: [StudyPlan.Item] = []
            var used = 0
            if mockDays.contains(index) {
                let final = daysLeft != nil && dayCount - index <= 6
                items.append(
                    .init(
                        kind: .mock, id: nil, title: "Timed mock interview", skill: nil, minutes: Self.mockMinutes,
                        why: final ? "final week: rehearse under time" : "weekly: practise under time"))
                used += Self.mockMinutes
            }
            for item in reviewsOn[index] ?? [] {
                if let question = questionsByID[item] {
                    items.append(
                        .init(
                            kind: .review, id: question.id, title: question.title, skill: question.primarySkill,
                            minutes: question.minutes, why: "due for review"))
                    used += question.minutes
                } else if let labID = Lab.id(ofReviewItem: item), let lab = labsByID[labID] {
                    items.append(
                        .init(
                            kind: .review, id: lab.id, title: lab.title, skill: lab.skills.first, minutes: lab.minutes,
                            why: "lab due for review"))
                    used += lab.minutes
                }
            }
            // One lab a week, on the fourth day of each week, for the neediest skill that has one.
            if index % 7 == 3 {
                let skills = freshLabs.keys.filter { !(freshLabs[$0]?.isEmpty ?? true) && need($0) > 0 }
                if let skill = skills.max(by: { need($0) != need($1) ? need($0) < need($1) : $0 > $1 }),
                    let lab = freshLabs[skill]?.first, used + lab.minutes <= budget
                {
                    freshLabs[skill]!.removeFirst()
                    items.append(
                        .init(
                            kind: .lab, id: lab.id, title: lab.title, skill: skill, minutes: lab.minutes,
                            why: "hands-on practice in your weakest skill with a lab"))
                    used += lab.minutes
                }
            }
            // New questions, neediest skill first, while the day has time: first what the role needs in
            // every skill it weighs, then more where the learner stays weakest.
            while true {
                var open = fresh.keys.filter { !(fresh[$0]?.isEmpty ?? true) && need($0) > 0 }
                let short = open.filter { (placedNew[$0] ?? 0) < (wanted[$0] ?? 0) }
                let required = !short.isEmpty
                if required { open = short }
                guard
                    let skill = open.max(by: { need($0) != need($1) ? need($0) < need($1) : $0 > $1 }),
                    let question = fresh[skill]?.first,
                    used + question.minutes + Self.newQuestionOverhead <= budget
                else { break }
                fresh[skill]!.removeFirst()
                let role = role.map { "\(Int(($0.skillWeights[skill] ?? 0).rounded())) in the role" } ?? "no role set"
                items.append(
                    .init(
                        kind: .new, id: question.id, title: question.title, skill: skill,
                        minutes: question.minutes + Self.newQuestionOverhead,
                        why: "new: weight \(role), mastery now \(Int((progress.mastery(of: skill) * 100).rounded()))%"))
                used += question.minutes + Self.newQuestionOverhead
                if required { requiredMinutes += question.minutes + Self.newQuestionOverhead }
                placedNew[skill, default: 0] += 1
                let t = tally[skill] ?? (0, 0)
                tally[skill] = (t.sum + Self.expectedScore, t.count + 1)
                if index + firstInterval < dayCount {
                    reviewsOn[index + firstInterval, default: []].append(question.id)
                }
            }
            requiredMinutes += items.filter { $0.kind == .review || $0.kind == .mock }.map(\.minutes).reduce(0, +)
            if used > budget { overBudgetDays += 1 }
            days.append(.init(date: Self.dayString(date, calendar: calendar), budgetMinutes: budget, items: items))
        }

        var leftOut: [StudyPlan.LeftOut] = []
        for (skill, count) in wanted.sorted(by: { need($0.key) > need($1.key) }) {
            let missing = count - min(count, placedNew[skill] ?? 0)
            guard missing > 0 else { continue }
            let minutes = (fresh[skill] ?? []).prefix(missing).map { $0.minutes + Self.newQuestionOverhead }.reduce(
                0, +)
            leftOut.append(
                .init(
                    skill: skill, questions: missing, minutes: minutes,
                    reason:
                        "weighs \(Int((weights[skill] ?? 0).rounded())) in the role; the days left went to skills that weigh more or are weaker"
                ))
        }
        let neededMinutes = requiredMinutes + leftOut.map(\.minutes).reduce(0, +)
        let availableMinutes = budget * dayCount
        if !leftOut.isEmpty, let daysLeft, daysLeft > 0 {
            notes.insert(
                String(
                    format:
                        "%d days at %@ hours a week cannot cover the role: it needs about %@ hours and you have %@. What is left out is listed below; add hours a week, or move the date.",
                    dayCount, Self.hours(perWeek: hoursPerWeek), Self.hours(neededMinutes),
                    Self.hours(availableMinutes)), at: 0)
        }
        if overBudgetDays > 0 {
            notes.append(
                "\(overBudgetDays) day\(overBudgetDays == 1 ? " goes" : "s go") over your daily \(budget) minutes because of due reviews or a mock interview."
            )
        }
        if dayCount > 0, wanted.values.reduce(0, +) == 0, role != nil {
            notes.append(
                "Every skill of the role has \(Self.questionsPerSkill) questions answered: the plan keeps to reviews and mocks, and adds new questions where you are weakest."
            )
        }
        return StudyPlan(
            today: todayText, interviewDate: interviewDate, daysLeft: daysLeft, role: role?.id, roleName: role?.name,
            hoursPerWeek: hoursPerWeek, days: days, neededMinutes: neededMinutes, availableMinutes: availableMinutes,
            fits: leftOut.isEmpty && dayCount > 0, leftOut: leftOut, notes: notes)
    }

    /// Hours as text with at most one decimal: "5", "7.5".
    public static func hours(perWeek hours: Double) -> String { self.hours(Int((hours * 60).rounded())) }

    /// Minutes as hours with at most one decimal: "12", "7.5".
    public static func hours(_ minutes: Int) -> String {
        let tenths = (Double(minutes) / 6).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0
            ? String(Int(tenths / 10)) : String(format: "%.1f", tenths / 10)
    }

    /// `YYYY-MM-DD` of a day in `calendar`.
    public static func dayString(_ date: Date, calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// The start of the day `YYYY-MM-DD` names in `calendar`, or nil when it is not such a date.
    public static func day(_ text: String, calendar: Calendar) -> Date? {
        guard LearnerSettings.interviewDateProblem(text) == nil else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
            .map { calendar.startOfDay(for: $0) }
    }
}
