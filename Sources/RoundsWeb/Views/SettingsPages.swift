import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback

struct SettingsPage {
    let roles: [Option]
    let interviewDate: String
    let retention: String
    let hours: String
    let defaultHours: String
    let saved: Bool
    let csrf: String

    init(_ settings: LearnerSettings, library: ContentLibrary, saved: Bool, csrf: String) {
        roles = library.roles.map { Option(value: $0.id, label: $0.name, selected: $0.id == settings.targetRole) }
        interviewDate = settings.interviewDate ?? ""
        retention = String(format: "%.2f", settings.desiredRetention)
        hours = settings.hoursPerWeek.map { StudyPlanner.hours(perWeek: $0) } ?? ""
        defaultHours = StudyPlanner.hours(perWeek: LearnerSettings.defaultHoursPerWeek)
        self.saved = saved
        self.csrf = csrf
    }
}
