import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RoundsCore
import RoundsStore
import RoundsTestSupport
import Testing

@testable import RoundsWeb

/// Issue 18: `/history` lists every answer, newest first, a page at a time, by skill and by date, and
/// one question's answers beside its model answer.
@Suite struct HistoryTests {
    static let security = "ransomware-attack-hospital-response"
    static let sql = "keys-and-constraints-in-an-ehr-schema"

    func record(_ store: any Storage, _ learner: Learner, _ question: String, at date: Date, answer: String)
        async throws
    {
        let attempt = Attempt(
            learnerID: learner.id, questionID: question, sessionID: nil, answeredAt: date, answer: answer, score: 55,
            band: 2, rating: .hard, ratingOverridden: false, secondsTaken: 60, summary: "2/4 points")
        let card = ReviewScheduler().review(.new(due: date), rating: .hard, at: date)
        _ = try await store.record(
            attempt,
            review: Review(
                learnerID: learner.id, questionID: question, attemptID: nil, reviewedAt: date, rating: .hard, card: card
            ))
    }

    func page(_ client: some TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
    }

    /// Bad input is named, with how to write it.
    @Test(arguments: [
        ("/history?from=2026-02-30", "is not a date: write it as YYYY-MM-DD"),
        ("/history?from=2026-12-01&to=2026-11-01", "is before"),
        ("/history?skill=astrology", "Unknown skill"),
        ("/history?page=0", "page"),
    ])
    func badFiltersAreRefusedWithHowToWriteThem(uri: String, words: String) async throws {
        try await TestApp.make().test(.router) { client in
            let (status, html) = try await page(client, uri)
            #expect(status == .badRequest)
            #expect(html.contains(words))
        }
    }

    @Test(arguments: TestStores.kinds) func historyListsFiltersAndPagesTheAnswers(_ kind: StoreLocation.Kind)
        async throws
    {
        try await FileBackedApp.run(mode: "single", on: kind) { client, store in
            let (_, empty) = try await page(client, "/history")
            #expect(empty.contains("No answers yet.") && empty.contains(#"href="/practice""#))
            #expect(empty.contains(#"<a href="/history" aria-current="page">History</a>"#))

            let learner = try await store.learner(named: "local")
            let calendar = Calendar.current
            let start = calendar.date(from: DateComponents(year: 2026, month: 11, day: 1, hour: 10))!
            for day in 0..<28 {
                try await record(
                    store, learner, day.isMultiple(of: 2) ? Self.security : Self.sql,
                    at: calendar.date(byAdding: .day, value: day, to: start)!, answer: "Answer <number> \(day).")
            }

            let (_, all) = try await page(client, "/history")
            #expect(all.contains("1 to 25 of 28 answers, newest first."))
            #expect(all.contains(#"href="/history?page=2" rel="next""#))
            #expect(!all.contains("rel=\"prev\""))
            #expect(all.components(separatedBy: "<tr>").count - 1 == 26, "a header row and 25 answers")
            let (_, second) = try await page(client, "/history?page=2")
            #expect(second.contains("26 to 28 of 28 answers") && second.contains(#"href="/history" rel="prev""#))

            // A skill: only its questions' answers, and the pager keeps the filter.
            let (_, skill) = try await page(client, "/history?skill=sql-databases")
            #expect(skill.contains("14 answers match, newest first."))
            #expect(!skill.contains("/history?question=\(Self.security)"))
            #expect(skill.contains(#"<option value="sql-databases" selected>"#))

            // Dates: both ends inclusive, in whole days.
            let (_, days) = try await page(client, "/history?from=2026-11-03&to=2026-11-05")
            #expect(days.contains("3 answers match, newest first."), "3, 4 and 5 November")
            let (_, none) = try await page(client, "/history?from=2027-01-01")
            #expect(none.contains("No answers match these filters.") && none.contains(">Clear</a>"))

            // One question: its answers as typed (escaped), beside the model answer.
            let (_, focus) = try await page(client, "/history?question=\(Self.sql)")
            #expect(focus.contains("Your answers to: ") && focus.contains("Model answer"))
            #expect(focus.contains("Answer &lt;number&gt; 27.") && !focus.contains("Answer &lt;number&gt; 26."))
            #expect(focus.contains(#"href="/questions/\#(Self.sql)""#))

            let (missing, _) = try await page(client, "/history?question=no-such-question")
            #expect(missing == .notFound)

            // The feedback page belongs to the history section and links to the question's answers.
            let (_, feedback) = try await page(client, "/attempts/1")
            #expect(feedback.contains(#"<a href="/history" aria-current="page">History</a>"#))
            #expect(feedback.contains("/history?question=\(Self.security)"))
        }
    }
}
