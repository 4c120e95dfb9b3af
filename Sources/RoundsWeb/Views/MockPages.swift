import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

/// What the mock pages show: their models, filled by `MockController` and rendered by Mustache.
extension MockController {
    struct Interview {
        let session: PracticeSession
        let plan: [Question]
        let attempts: [Attempt]
        let deadline: Date

        var next: Question? { attempts.count < plan.count ? plan[attempts.count] : nil }

        func isOver(at now: Date) -> Bool {
            session.endedAt != nil || next == nil || now >= deadline
        }
    }

    struct StartPage {
        let csrf: String
        let roles: [Option]
        let levels: [Option]
        let minutes: [Option]
        let past: [PastRow]
        let hasPast: Bool
    }

    struct PastRow {
        let id: Int64
        let when: String
        let role: String
        let minutes: Int
        let open: Bool
    }

    struct QuestionStep {
        let id: Int64
        let csrf: String
        let number: Int
        let total: Int
        let row: QuestionRow
        let audience: String?
        let secondsLeft: Int
        let clock: String
        let deadline: Int
        let role: String
        /// The last question: its button finishes the interview.
        let isLast: Bool
        /// The question answered just before, whose draft this browser may now forget.
        let previousQuestion: String?
        /// The learner's saved draft of this answer, and when it was saved in ms (0: none).
        let draftText: String
        let draftAt: Int64
    }

    struct ReportPage {
        struct EntryRow {
            let number: Int
            let attemptID: Int64
            let title: String
            let kind: String
            let score: Int
            let band: String
            let bandValue: Int
            let time: String
            let overTime: Bool
        }
        struct SkillRow {
            let name: String
            let id: String
            let score: Int
        }
        let role: String
        let minutes: Int
        let used: String
        let answered: Int
        let planned: Int
        let averageScore: Int
        let entries: [EntryRow]
        let hasEntries: Bool
        let chart: String
        let weakest: [SkillRow]
        let topImprovement: MockReport.Improvement?
        let late: Bool
        /// The interview's answered questions, whose drafts this browser may now forget.
        let savedDrafts: [String]
    }
}
