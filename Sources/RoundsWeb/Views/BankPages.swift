import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback

/// What the bank pages show: their models, filled by `BankController` and rendered by Mustache.
extension BankController {
    struct Row {
        let question: QuestionRow
        let status: String
        let statusLabel: String
        /// The last answer's band and its name, for answered and due questions.
        let lastBand: String?
    }

    struct Page {
        let query: String
        let status: String
        let rows: [Row]
        let skills, roles, levels, kinds, statuses, sorts: [Option]
        let newer: String?
        let older: String?
        let hasPages: Bool
    }
}
