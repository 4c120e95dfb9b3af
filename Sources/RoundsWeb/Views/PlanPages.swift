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

    init(_ plan: StudyPlan, library: ContentLibrary, settings: LearnerSettings) {
        let role = plan.role.flatMap { library.role(id: $0)?.name }
        if let date = plan.interviewDate, let left = plan.daysLeft {
            headline =
                "Interview on \(Self.label(date, weekday: false)): \(left) day\(left == 1 ? "" : "s") left"
                + (role.map { " · \($0)" } ?? "")
        } else {
            headline = "A rolling week" + (role.map { " · \($0)" } ?? "")
        }
        hasDate = plan.interviewDate != nil
        hours = StudyPlanner.hours(Int((plan.hoursPerWeek * 60).rounded()))
        savedHours = StudyPlanner.hours(Int((settings.planningHours * 60).rounded()))
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
        let days = plan.days.map { day in
            Day(
                date: day.date, label: Self.label(day.date, weekday: true), planned: day.plannedMinutes,
                budget: day.budgetMinutes,
                items: day.items.map { item in
                    let href =
                        switch item.kind {
                        case .mock: "/mock"
                        case .lab: "/labs/\(item.id ?? "")"
                        case .review, .new: "/questions/\(item.id ?? "")"
                        }
                    let skill = item.skill.map { " · " + (library.skill(id: $0)?.name ?? $0) } ?? ""
                    return Item(
                        kind: item.kind.rawValue, title: item.title, href: href,
                        detail: "\(item.minutes) min\(skill) · \(item.why)")
                }, hasItems: !day.items.isEmpty, over: day.plannedMinutes > day.budgetMinutes)
        }
        soon = Array(days.prefix(7))
        later = Array(days.dropFirst(7))
        hasLater = !later.isEmpty
        laterCount = later.count
    }

    /// "Monday 7 December 2026" from `YYYY-MM-DD`, in English whatever the server's locale.
    static func label(_ date: String, weekday: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let day = StudyPlanner.day(date, calendar: calendar) else { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = weekday ? "EEEE d MMMM" : "d MMMM yyyy"
        return formatter.string(from: day)
    }
}
