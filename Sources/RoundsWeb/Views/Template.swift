/// Every Mustache template in `Templates/`, by name. `PageRenderer` checks at start-up that each one is there
/// and parses, so a missing or broken template stops the server from starting instead of failing a
/// request later; `TemplateTests` checks that no file is left without a case.
enum Template: String, CaseIterable, Sendable {
    case account, admin, bank, coach, dashboard, error, feedback, history, lab, labs, layout
    case mockQuestion = "mock-question"
    case mockReport = "mock-report"
    case mockStart = "mock-start"
    /// A partial (`{{> question-header}}`), shared by the question page and a mock interview's question.
    case questionHeader = "question-header"
    case question
    /// A partial: the model answer, rubric and tips revealed under a question.
    case reveal
    case opening, openings, plan, reset, role, roles, settings, signin, signup
}

/// A template that is not in the bundle: the build left it out or it failed to parse.
struct MissingTemplates: Error, CustomStringConvertible {
    let names: [String]
    let folder: String

    var description: String {
        "the page templates \(names.map { "\($0).mustache" }.joined(separator: ", ")) are missing or do not parse in \(folder); rebuild Rounds (swift build) so that its resources are complete."
    }
}
