import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RoundsCore
import RoundsStore
import Testing

@testable import RoundsWeb

/// Issue 18: the bank shows where the learner stands on each question, sorts and filters by it, and
/// comes a page at a time.
@Suite struct BankTests {
    func page(_ client: some TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
    }

    func links(_ html: String) -> [String] {
        html.matches(of: /<li>\s*<a href="\/questions\/([a-z0-9-]+)">/).map { String($0.1) }
    }

    @Test func theBankShowsStatusSortsAndPages() async throws {
        try await FileBackedApp.run(mode: "single") { client, store in
            let (_, first) = try await page(client, "/questions")
            let firstIDs = links(first)
            #expect(firstIDs.count == BankController.pageSize)
            #expect(first.firstMatch(of: /1 to 30 of (\d+) questions/) != nil)
            #expect(first.contains(#"href="/questions?page=2" rel="next""#))
            #expect(first.components(separatedBy: ">New</span>").count - 1 == 30, "nothing answered yet")

            // Answer three questions: a weak one due now, a strong one not yet due, a third due later.
            let learner = try await store.learner(named: "local")
            let now = Date()
            for (index, (id, band, due)) in [
                (firstIDs[5], 1, now.addingTimeInterval(-3600)), (firstIDs[7], 4, now.addingTimeInterval(86_400 * 9)),
                (firstIDs[9], 2, now.addingTimeInterval(86_400 * 2)),
            ].enumerated() {
                let at = now.addingTimeInterval(Double(index - 10) * 60)
                let attempt = Attempt(
                    learnerID: learner.id, questionID: id, sessionID: nil, answeredAt: at, answer: "An answer.",
                    score: band * 25, band: band, rating: Rating(band: band), ratingOverridden: false,
                    secondsTaken: 60, summary: "")
                var card = ReviewScheduler().review(.new(due: at), rating: Rating(band: band), at: at)
                card.due = due
                _ = try await store.record(
                    attempt,
                    review: Review(
                        learnerID: learner.id, questionID: id, attemptID: nil, reviewedAt: at,
                        rating: Rating(band: band), card: card))
            }

            let (_, marked) = try await page(client, "/questions")
            #expect(
                marked.contains(
                    #"<span class="tag status-due">Due<span class="visually-hidden">, last answer</span> · band 1"#))
            #expect(marked.contains(#"<span class="tag status-answered">Answered"#))

            let (_, due) = try await page(client, "/questions?sort=due")
            #expect(Array(links(due).prefix(2)) == [firstIDs[5], firstIDs[0]], "the due one, then new ones")
            let (_, weakest) = try await page(client, "/questions?sort=weakest")
            #expect(Array(links(weakest).prefix(3)) == [firstIDs[5], firstIDs[9], firstIDs[7]])
            let (_, answered) = try await page(client, "/questions?status=answered")
            #expect(Set(links(answered)) == [firstIDs[7], firstIDs[9]] && answered.contains("2 questions"))
            let (_, onlyDue) = try await page(client, "/questions?status=due&sort=title")
            #expect(links(onlyDue) == [firstIDs[5]])

            // Filters and the order carry over to the next page; a page past the end says so.
            let (_, level) = try await page(client, "/questions?level=beginner&sort=title")
            let titles = level.matches(of: /<li>\s*<a href="\/questions\/[a-z0-9-]+">([^<]+)</).map { String($0.1) }
            #expect(titles == titles.sorted { $0.localizedCaseInsensitiveCompare($1) == .orderedAscending })
            #expect(
                level.contains("href=\"/questions?level=beginner&amp;sort=title&amp;page=2\"")
                    || !level.contains("rel=\"next\""))
            let (_, past) = try await page(client, "/questions?page=999")
            #expect(past.contains("this page is past the last one"))
            for uri in ["/questions?status=maybe", "/questions?sort=random", "/questions?page=0"] {
                #expect(try await page(client, uri).0 == .badRequest, "\(uri)")
            }
        }
    }
}
