import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback

struct SettingsPage {
    let roles: [Option]
    let levels: [Option]
    let interviewDate: String
    let retention: String
    let hours: String
    let defaultHours: String
    let saved: Bool
    let csrf: String

    init(_ settings: LearnerSettings, library: ContentLibrary, saved: Bool, csrf: String) {
        roles = library.roles.map { Option(value: $0.id, label: $0.name, selected: $0.id == settings.targetRole) }
        levels = Self.levels(selected: settings.level)
        interviewDate = settings.interviewDate ?? ""
        retention = String(format: "%.2f", settings.desiredRetention)
        hours = settings.hoursPerWeek.map { StudyPlanner.hours(perWeek: $0) } ?? ""
        defaultHours = StudyPlanner.hours(perWeek: LearnerSettings.defaultHoursPerWeek)
        self.saved = saved
        self.csrf = csrf
    }

    /// The level choices of the settings and first-run forms.
    static func levels(selected: Level?) -> [Option] {
        [Option(value: "", label: "Not said (start at beginner)", selected: selected == nil)]
            + Level.allCases.map {
                Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == selected)
            }
    }
}
