import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsStore

/// What the cohort pages show: their models, filled by `CohortController` and rendered by Mustache.
extension CohortController {
    struct LearnerRow {
        let email: String
        let role: String
        let target: String
        let answers: Int
        let recentScore: String
        let readiness: String
        let dueNow: Int
        let lastActive: String
        let streak: Int
    }

    struct CohortPage {
        let rows: [LearnerRow]
        let hasRows: Bool
        let count: Int
        let activeThisWeek: Int
    }

    struct AdminRow {
        let id: Int64
        let email: String
        let created: String
        let roles: [Option]
        let isSelf: Bool
    }

    struct AdminPage {
        let csrf: String
        let rows: [AdminRow]
        let message: String?
        let error: String?
    }
}
