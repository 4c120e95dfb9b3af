import Foundation
import RoundsCore
import RoundsTestSupport
import Testing

@testable import RoundsStore

/// `rounds db copy`: a SQLite file with something in every table, copied to a new PostgreSQL database,
/// where the test run has a server (`ROUNDS_TEST_POSTGRES_URL`; `.ci/run` starts one).
@Suite(.enabled(if: TestStores.postgresURL != nil, "no PostgreSQL server for the tests"))
struct StoreCopyTests {
    /// A time with a fraction finer than SQLite keeps, so the copy's rounding is exercised.
    let now = Date(timeIntervalSince1970: 1_800_000_000.123_456)
    let hash = "$2b$12$" + String(repeating: "a", count: 53)

    /// A SQLite file holding two learners with history, accounts, a sign-in session, an API token, a
    /// password-reset link, a draft and a throttled sign-in.
    func populatedFile() async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-copy-\(UUID()).sqlite").path
        let store = try SQLiteStore(path: path)
        for (index, email) in ["ada@example.org", "bob@example.org"].enumerated() {
            let account = try #require(
                try await store.createAccount(email: email, passwordHash: hash, role: .learner, at: now))
            let learner = try #require(try await store.learner(id: account.learnerID))
            try await store.updateSettings(
                LearnerSettings(targetRole: "health-data-analyst", interviewDate: "2027-01-15", desiredRetention: 0.85),
                learnerID: learner.id)
            let session = try await store.startSession(
                PracticeSession(
                    id: 0, learnerID: learner.id, kind: .mock, startedAt: now, role: "health-data-analyst",
                    level: .intermediate, minutes: 30))
            try await store.endSession(id: session.id, at: now.addingTimeInterval(1800.5))
            for question in 0..<3 {
                let date = now.addingTimeInterval(Double(question) * 61.25)
                let card = ReviewScheduler().review(.new(due: date), rating: .good, at: date)
                let (attempt, _) = try await store.record(
                    Attempt(
                        learnerID: learner.id, questionID: "q\(question)", sessionID: session.id, answeredAt: date,
                        answer: "Answer \(question) of \(email), with ‘quotes’ and an emoji 🩺.", score: 55 + question,
                        band: 2, rating: .hard, ratingOverridden: question == 1, secondsTaken: question == 2 ? nil : 90,
                        summary: "2/4 points"),
                    review: Review(
                        learnerID: learner.id, questionID: "q\(question)", attemptID: nil, reviewedAt: date,
                        rating: .hard, card: card))
                _ = try await store.appendReview(
                    Review(
                        learnerID: learner.id, questionID: "q\(question)", attemptID: attempt.id,
                        reviewedAt: date.addingTimeInterval(5), rating: .good, card: card))
            }
            _ = try await store.recordLabAttempt(
                LabAttempt(
                    learnerID: learner.id, labID: "sql-readmissions", submittedAt: now, submission: "SELECT 1;",
                    result: LabResult(findings: [
                        LabResult.Finding(.failed, at: "result", "The result has 1 row; 12 were expected.")
                    ])), review: nil)
            _ = try await store.saveDraft(key: "question:q9", text: "half an answer", learnerID: learner.id, at: now)
            let openings = try await store.addOpenings(
                [
                    Opening(
                        title: "Data Analyst \(index)", company: "Lakeside Health", remote: index == 0,
                        salary: Salary(minimum: 40, maximum: 52.5, currency: "USD", period: .hour),
                        datePosted: "2026-11-0\(index + 1)", description: "SQL and FHIR.", addedAt: now),
                    Opening(title: "Integration Analyst", company: "Riverbend", description: "HL7 v2.", addedAt: now),
                ], learnerID: learner.id)
            try await store.setPlanTarget(openingID: openings[1].id, learnerID: learner.id)
            try await store.saveCompanyNote(
                CompanyNote(company: "Lakeside Health", techStack: "Epic, Azure", updatedAt: now), learnerID: learner.id
            )
            try await store.createSession(
                tokenHash: String(repeating: "\(index + 1)", count: 64), accountID: account.id,
                expiresAt: now.addingTimeInterval(86_400), at: now)
            _ = try await store.createAPIToken(
                name: "script", tokenHash: String(repeating: "\(index + 5)", count: 64), accountID: account.id, at: now)
        }
        try await store.createPasswordReset(
            tokenHash: String(repeating: "9", count: 64), accountID: 2, expiresAt: now.addingTimeInterval(3600), at: now
        )
        _ = try await store.reserveAttempt(
            limits: ["email:ada@example.org": 5], since: now.addingTimeInterval(-60), at: now)
        return path
    }

    @Test func everyTableIsCopiedWithItsIdsAndEveryExportIsTheSame() async throws {
        // Given a SQLite file with something in every table, and a new PostgreSQL database
        let file = try await populatedFile()
        let database = try await TestStores.newPostgresDatabase()
        // When it is copied
        let report = try await StoreCopy.copy(from: StoreLocation(db: file), to: StoreLocation(db: database))
        // Then every table has all its rows on both sides, and both learners' exports are identical
        #expect(report.verified)
        #expect(report.tables.map(\.name) == StoreCopy.tables.map(\.name))
        for table in report.tables {
            #expect(table.source > 0, "\(table.name) had rows to copy")
            #expect(table.source == table.target, "\(table.name)")
        }
        #expect(report.learnersCompared == 2 && report.differingLearners.isEmpty)

        // And the copy works as the original did: sign-in sessions, tokens, reset links and drafts carry over
        let copy = try await PostgresStore.connect(url: database)
        #expect(
            try await copy.sessionAccount(tokenHash: String(repeating: "1", count: 64), now: now)?.email
                == "ada@example.org")
        #expect(try await copy.apiTokenAccount(tokenHash: String(repeating: "6", count: 64), at: now)?.id == 2)
        #expect(try await copy.passwordResetAccount(tokenHash: String(repeating: "9", count: 64), now: now) != nil)
        #expect(try await copy.drafts(learnerID: 1).map(\.text) == ["half an answer"])
        // And new rows take ids after the copied ones instead of colliding with them
        let carol = try #require(
            try await copy.createAccount(email: "carol@example.org", passwordHash: hash, role: .learner, at: now))
        #expect(carol.id == 3 && carol.learnerID == 3)
        let attempts = try await copy.attempts(learnerID: 1, questionID: nil)
        #expect(attempts.map(\.answer).first == "Answer 0 of ada@example.org, with ‘quotes’ and an emoji 🩺.")
        #expect(attempts.map(\.secondsTaken) == [90, 90, nil])
        #expect(try await copy.labAttempts(learnerID: 2, labID: nil).first?.findings.count == 1)
    }

    @Test func aCopyIntoADatabaseThatHoldsDataIsRefusedAndChangesNothing() async throws {
        // Given a database that already holds a copy
        let file = try await populatedFile()
        let database = try await TestStores.newPostgresDatabase()
        _ = try await StoreCopy.copy(from: StoreLocation(db: file), to: StoreLocation(db: database))
        // When the file is copied there again, Then it is refused, naming the table that has rows
        await #expect {
            try await StoreCopy.copy(from: StoreLocation(db: file), to: StoreLocation(db: database))
        } throws: { error in
            "\(error)".contains("table learner has 2 rows")
        }
        let copy = try await PostgresStore.connect(url: database)
        #expect(try await copy.attempts(learnerID: 1, questionID: nil).count == 3, "nothing was added twice")
    }

    @Test func aMissingFileOrTheWrongDirectionIsRefusedBeforeAnythingIsWritten() async throws {
        let database = try await TestStores.newPostgresDatabase()
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID()).sqlite").path
        await #expect {
            try await StoreCopy.copy(from: StoreLocation(db: missing), to: StoreLocation(db: database))
        } throws: { error in
            "\(error)".contains("there is no SQLite database at \(missing)")
        }
        #expect(!FileManager.default.fileExists(atPath: missing), "the missing file is not created")
        await #expect {
            try await StoreCopy.copy(from: StoreLocation(db: database), to: StoreLocation(db: missing))
        } throws: { error in
            "\(error)".contains("moves a SQLite file to PostgreSQL")
        }
    }
}
