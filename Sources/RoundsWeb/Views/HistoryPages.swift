import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback

/// What the history pages show: their models, filled by `HistoryController` and rendered by Mustache.
extension HistoryController {
    struct HistoryPage {
        struct Row {
            let id: Int64
            let title: String
            let questionID: String
            let skill: String
            let when: String
            /// ISO 8601, for `<time datetime>`.
            let datetime: String
            let score: Int
            let band: String
            let bandValue: Int
            /// The answer as typed, shown when the page is about one question.
            let answer: String
        }
        struct Focus {
            let id: String
            let title: String
            /// The model answer, rendered from Markdown.
            let modelAnswer: String
        }
        let rows: [Row]
        let hasRows: Bool
        let status: String
        let skills: [Option]
        let from: String
        let to: String
        let focus: Focus?
        let filtered: Bool
        let newer: String?
        let older: String?
        let hasPages: Bool
    }
}
