import Foundation
import RoundsContent
import RoundsCore

/// The study plan page: a summary, what does not fit, and the days.
struct PlanPage {
    struct Item {
        let kind, title, href, detail: String
    }
    struct Day {
        let date, label: String
        let planned, budget: Int
        let items: [Item]
        let hasItems: Bool
        let over: Bool
    }
    struct LeftOut {
        let text: String
    }

    let headline: String
    let hasDate: Bool
    let hours: String
    /// True when `?hours=` differs from the settings: the page says how to keep it.
    let trying: Bool
    let savedHours: String
    let summary: String
    let fits: Bool
    let notes: [LeftOut]
    let leftOut: [LeftOut]
    let hasLeftOut: Bool
    /// The first week in full; the rest folded under a disclosure.
    let soon: [Day]
    let later: [Day]
    let hasLater: Bool
    let laterCount: Int

    /// The opening the plan follows ("Plan for this posting"), by id; nil when it follows the role.
    let openingID: String?
    let csrf: String

    init(_ plan: StudyPlan, library: ContentLibrary, settings: LearnerSettings, csrf: String = "") {
        let role = plan.roleName
        openingID = plan.role.flatMap { $0.hasPrefix("opening-") ? String($0.dropFirst("opening-".count)) : nil }
        self.csrf = csrf
        if let date = plan.interviewDate, let left = plan.daysLeft {
            headline =
                "Interview on \(DayLabels(format: "d MMMM yyyy")(date)): \(left) day\(left == 1 ? "" : "s") left"
                + (role.map { " · \($0)" } ?? "")
        } else {
            headline = "A rolling week" + (role.map { " · \($0)" } ?? "")
        }
        hasDate = plan.interviewDate != nil
        hours = StudyPlanner.hours(perWeek: plan.hoursPerWeek)
        savedHours = StudyPlanner.hours(perWeek: settings.planningHours)
        trying = savedHours != hours
        summary =
            "The role needs about \(StudyPlanner.hours(plan.neededMinutes)) hours of the \(StudyPlanner.hours(plan.availableMinutes)) you have"
            + (plan.daysLeft != nil ? " before the interview" : " this week") + ": "
            + (plan.fits ? "it fits." : "it does not fit.")
        fits = plan.fits
        notes = plan.notes.map(LeftOut.init)
        leftOut = plan.leftOut.map { item in
            LeftOut(
                text:
                    "\(item.questions) new question\(item.questions == 1 ? "" : "s") of \(library.skill(id: item.skill)?.name ?? item.skill) (\(item.minutes) min): \(item.reason)."
            )
        }
        hasLeftOut = !leftOut.isEmpty
        let labels = DayLabels(format: "EEEE d MMMM")
        let days = plan.days.map { Day($0, label: labels($0.date), library: library) }
        soon = Array(days.prefix(7))
        later = Array(days.dropFirst(7))
        hasLater = !later.isEmpty
        laterCount = later.count
    }
}

extension PlanPage.Day {
    /// One day of a plan as the plan page and the dashboard show it.
    init(_ day: StudyPlan.Day, label: String, library: ContentLibrary) {
        self.init(
            date: day.date, label: label, planned: day.plannedMinutes, budget: day.budgetMinutes,
            items: day.items.map { item in
                let href =
                    switch item.kind {
                    case .mock: "/mock"
                    case .lab: "/labs/\(item.id ?? "")"
                    case .review, .new: "/questions/\(item.id ?? "")"
                    }
                let skill = item.skill.map { " · " + (library.skill(id: $0)?.name ?? $0) } ?? ""
                return PlanPage.Item(
                    kind: item.kind.rawValue, title: item.title, href: href,
                    detail: "\(item.minutes) min\(skill) · \(item.why)")
            }, hasItems: !day.items.isEmpty, over: day.plannedMinutes > day.budgetMinutes)
    }
}

/// Labels for `YYYY-MM-DD` days ("Monday 7 December"), in English whatever the server's locale, with
/// one formatter for every day of a plan.
struct DayLabels {
    let calendar: Calendar
    let formatter = DateFormatter()

    init(format: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        self.calendar = calendar
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = format
    }

    func callAsFunction(_ date: String) -> String {
        StudyPlanner.day(date, calendar: calendar).map(formatter.string(from:)) ?? date
    }
}

extension PlanPage {
    /// "This week (30 Nov – 6 Dec): 95 of 300 planned minutes (32%): 6 answers (2 reviews), 1 lab, no mock interview."
    static func weekLine(_ week: WeekProgress) -> String {
        let labels = DayLabels(format: "d MMM")
        func count(_ n: Int, _ one: String, _ many: String) -> String {
            n == 0 ? "no \(one)" : n == 1 ? "1 \(one)" : "\(n) \(many)"
        }
        return
            "This week (\(labels(week.from)) – \(labels(week.to))): \(week.doneMinutes) of \(week.plannedMinutes) planned minutes (\(week.percent)%): "
            + count(week.answers, "answer", "answers")
            + (week.reviews > 0 ? " (\(week.reviews) to questions answered before)" : "")
            + ", " + count(week.labs, "lab", "labs") + ", "
            + count(week.mockInterviews, "mock interview", "mock interviews") + "."
    }

    /// The readiness line chart, dated by week.
    static func readinessChart(_ timeline: ReadinessTimeline) -> String {
        let labels = DayLabels(format: "d MMM")
        return Charts.readinessWeeks(
            timeline.points.map { (label: labels($0.date), percent: $0.percent) }, role: timeline.roleName)
    }
}
