import Foundation
import RoundsContent
import RoundsCore

/// The first `rounds practice` in a terminal (or with `--setup`): four questions, each skippable with
/// Enter, that set the target role, level, interview date and hours a week, then the role's page. It
/// is the terminal's twin of the web app's first-run form; `rounds settings` changes any answer later.
enum FirstRun {
    /// True when the learner has said nothing and answered nothing yet.
    static func isFresh(_ learner: Learner, answers: Int) -> Bool {
        answers == 0 && learner.settings.targetRole == nil && learner.settings.interviewDate == nil
            && learner.settings.hoursPerWeek == nil && learner.settings.level == nil
    }

    /// Asks the four questions on standard input and returns the settings with the answers in them.
    /// End of input skips what is left.
    static func ask(_ settings: LearnerSettings, library: ContentLibrary) -> LearnerSettings {
        var settings = settings
        print(
            """
            Welcome to Rounds. Four questions set up your plan; press Enter to skip any \
            (rounds settings changes them later).

            Which role are you preparing for?
            """)
        for (index, role) in library.roles.enumerated() {
            print("  \(Terminal.pad("\(index + 1).", 4))\(role.name)")
        }
        settings.targetRole =
            ask("Role (1–\(library.roles.count), or Enter to skip): ") { text in
                guard let number = Int(text), library.roles.indices.contains(number - 1) else {
                    return .failure("Type a number from 1 to \(library.roles.count).")
                }
                return .success(library.roles[number - 1].id)
            } ?? settings.targetRole
        settings.level =
            ask("Your current level: 1 beginner, 2 intermediate, 3 advanced (Enter: beginner): ") { text in
                let levels = Level.allCases
                if let number = Int(text), levels.indices.contains(number - 1) { return .success(levels[number - 1]) }
                if let level = Level(rawValue: text.lowercased()) { return .success(level) }
                return .failure("Type 1, 2 or 3.")
            } ?? settings.level
        settings.interviewDate =
            ask("Interview date, YYYY-MM-DD (Enter if there is none yet): ") { text in
                LearnerSettings.interviewDateProblem(text).map { .failure($0) } ?? .success(text)
            } ?? settings.interviewDate
        let defaultHours = StudyPlanner.hours(perWeek: LearnerSettings.defaultHoursPerWeek)
        settings.hoursPerWeek =
            ask("Hours a week for study (0.5 to 80, Enter for \(defaultHours)): ") { text in
                guard let hours = Double(text.replacingOccurrences(of: ",", with: ".")),
                    StudyPlanner.hoursRange.contains(hours)
                else { return .failure("Type a number of hours from 0.5 to 80, such as 6 or 7.5.") }
                return .success(hours)
            } ?? settings.hoursPerWeek
        return settings
    }

    struct Problem: Error {
        let message: String
    }

    /// One question, asked again (up to three times) while the answer does not read; nil for Enter,
    /// end of input, or three misses.
    static func ask<T>(_ prompt: String, _ parse: (String) -> Result<T, Problem>) -> T? {
        for _ in 0..<3 {
            print(prompt, terminator: "")
            fflush(nil)
            guard let line = readLine() else {
                print("")
                return nil
            }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return nil }
            switch parse(text) {
            case .success(let value): return value
            case .failure(let problem): print("  \(problem.message)")
            }
        }
        print("  Skipped; rounds settings can set it later.")
        return nil
    }
}

extension Result where Failure == FirstRun.Problem {
    static func failure(_ message: String) -> Self { .failure(FirstRun.Problem(message: message)) }
}
