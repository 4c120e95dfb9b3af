import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RoundsCore
import RoundsStore
import RoundsTestSupport
import Testing

@testable import RoundsWeb

/// Issue 18: the first dashboard says where to start rather than showing 22 bars at 0%; later ones mark
/// the target role, date the score chart and label its axes, and lead from the due tiles to the queue.
@Suite struct DashboardTests {
    func dashboard(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
    }

    @Test(arguments: TestStores.kinds) func theDashboardGrowsWithTheLearner(_ kind: StoreLocation.Kind) async throws {
        try await FileBackedApp.run(mode: "single", on: kind) { client, store in
            let first = try await dashboard(client)
            #expect(first.contains("Where to start") && !first.contains("readiness-heading"))
            #expect(first.contains(#"href="/questions?status=due&amp;sort=due""#), "the due tile leads to the queue")

            let learner = try await store.learner(named: "local")
            try await store.updateSettings(
                LearnerSettings(targetRole: "healthcare-data-analyst"), learnerID: learner.id)
            let start = Date(timeIntervalSince1970: 1_796_000_000)  // 30 November 2026
            for (index, score) in [40, 65, 80].enumerated() {
                let at = start.addingTimeInterval(Double(index) * 86_400 * 3)
                let band = score >= 75 ? 3 : score >= 50 ? 2 : 1
                let card = ReviewScheduler().review(.new(due: at), rating: Rating(band: band), at: at)
                _ = try await store.record(
                    Attempt(
                        learnerID: learner.id, questionID: "what-counts-as-phi", sessionID: nil, answeredAt: at,
                        answer: "PHI is health information.", score: score, band: band, rating: Rating(band: band),
                        ratingOverridden: false, secondsTaken: 60, summary: ""),
                    review: Review(
                        learnerID: learner.id, questionID: "what-counts-as-phi", attemptID: nil, reviewedAt: at,
                        rating: Rating(band: band), card: card))
            }
            let later = try await dashboard(client)
            #expect(!later.contains("Where to start") && later.contains("readiness-heading"))
            #expect(later.contains("Healthcare data analyst (your target)</text>"), "the target role is marked")
            #expect(later.contains(#"class="bar target""#))
            // The score chart: dated ends, a labelled axis, a dot per answer, and a summary for screen readers.
            #expect(later.contains(">30 Nov</text>") || later.contains(">Nov 30</text>"), "the first answer's date")
            #expect(later.contains(">100</text>") && later.contains("score of each answer, oldest to newest"))
            let scoreChart = later.components(separatedBy: "<svg").first { $0.contains("score of each answer") } ?? ""
            #expect(scoreChart.components(separatedBy: #"class="dot""#).count - 1 == 3)
            #expect(later.contains("3 answers from") && later.contains("the latest scoring 80, the mean 61."))
        }
    }
}
