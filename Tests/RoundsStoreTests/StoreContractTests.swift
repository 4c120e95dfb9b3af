import Foundation
import RoundsCore
import RoundsTestSupport
import Testing

@testable import RoundsStore

/// The storage contract: every test runs against every kind of store `StoreLocation` opens, each on an
/// empty database of its own, and a refusal must be the one the contract names.
@Suite struct StoreContractTests {
    /// Raw SQL behind the store's back, to show that the database itself refuses what the protocol never
    /// offers (changing history).
    func execute(_ sql: String, on store: any Storage) async throws {
        switch store {
        case let sqlite as SQLiteStore: try await sqlite.execute(sql)
        case let postgres as PostgresStore: try await postgres.execute(sql)
        default: Issue.record("no raw SQL for \(type(of: store))")
        }
    }

    /// True when `error` is the store's refusal by `rule`.
    func refused(_ error: any Error, by rule: StoreError.Rule) -> Bool {
        (error as? StoreError)?.refusal == rule
    }

    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func attempt(_ learner: Learner, _ question: String, at date: Date, score: Int = 70, session: Int64? = nil)
        -> Attempt
    {
        Attempt(
            learnerID: learner.id, questionID: question, sessionID: session, answeredAt: date,
            answer: "An answer about \(question).",
            score: score, band: FeedbackBand.band(score), rating: Rating(band: FeedbackBand.band(score)),
            ratingOverridden: false,
            secondsTaken: 90, summary: "3/4 points")
    }

    func review(_ learner: Learner, _ question: String, at date: Date, rating: Rating = .good) -> Review {
        let card = ReviewScheduler().review(.new(due: date), rating: rating, at: date)
        return Review(
            learnerID: learner.id, questionID: question, attemptID: nil, reviewedAt: date, rating: rating, card: card)
    }

    @Test(arguments: TestStores.kinds) func migrationsAreNumberedAndNamed(_ kind: StoreLocation.Kind) async throws {
        let store = try await TestStores.make(kind)
        #expect(
            try await store.appliedMigrations() == [
                "0001_create_learners", "0002_create_sessions", "0003_create_attempts_and_reviews",
                "0004_append_only_history", "0005_create_accounts", "0006_create_web_sessions",
                "0007_create_sign_in_failures", "0008_create_api_tokens", "0009_create_lab_attempts",
                "0010_index_history_reads", "0011_create_drafts", "0012_create_password_resets",
                "0013_add_learner_hours_per_week", "0014_create_openings", "0015_add_learner_level",
            ])
    }

    @Test(arguments: TestStores.kinds) func learnersAreCreatedOnceByName(_ kind: StoreLocation.Kind) async throws {
        let store = try await TestStores.make(kind)
        let first = try await store.learner(named: "me")
        let again = try await store.learner(named: "me")
        let other = try await store.learner(named: "you")
        #expect(first.id == again.id)
        #expect(first.id != other.id)
        #expect(first.settings.desiredRetention == 0.9)
        #expect(try await store.learner(id: first.id)?.name == "me")
        #expect(try await store.learner(id: 9999) == nil)
    }

    @Test(arguments: TestStores.kinds) func settingsRoundTripAndBadValuesAreRefused(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        let settings = LearnerSettings(
            targetRole: "healthcare-data-analyst", interviewDate: "2027-01-15", desiredRetention: 0.85,
            hoursPerWeek: 7.5, level: .intermediate)
        try await store.updateSettings(settings, learnerID: learner.id)
        #expect(try await store.learner(id: learner.id)?.settings == settings)
        #expect(try await store.learner(named: "other").settings.hoursPerWeek == nil, "unset until the learner says")
        await #expect {
            try await store.updateSettings(LearnerSettings(hoursPerWeek: 200), learnerID: learner.id)
        } throws: { refused($0, by: .check) }
        await #expect {
            try await store.updateSettings(LearnerSettings(desiredRetention: 0.5), learnerID: learner.id)
        } throws: { refused($0, by: .check) }
        await #expect {
            try await store.updateSettings(LearnerSettings(interviewDate: "next week"), learnerID: learner.id)
        } throws: { refused($0, by: .check) }
    }

    @Test(arguments: TestStores.kinds) func recordingWritesTheAttemptAndItsReviewTogether(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        let (saved, savedReview) = try await store.record(
            attempt(learner, "q1", at: now), review: review(learner, "q1", at: now))
        #expect(saved.id > 0)
        #expect(savedReview.attemptID == saved.id)
        #expect(try await store.attempts(learnerID: learner.id, questionID: nil).map(\.questionID) == ["q1"])
        #expect(try await store.reviews(learnerID: learner.id).count == 1)
    }

    @Test(arguments: TestStores.kinds) func attemptsAndReviewsAreFoundOnlyForTheirLearner(_ kind: StoreLocation.Kind)
        async throws
    {
        // Given two learners, one with an answer
        let store = try await TestStores.make(kind)
        let me = try await store.learner(named: "me")
        let other = try await store.learner(named: "other")
        let (saved, _) = try await store.record(attempt(me, "q1", at: now), review: review(me, "q1", at: now))
        // When each looks the answer up, Then only its owner finds it
        #expect(try await store.attempt(id: saved.id, learnerID: me.id)?.questionID == "q1")
        #expect(try await store.attempt(id: saved.id, learnerID: other.id) == nil)
        // And a re-rating review is appended for the owner, and refused for anyone else
        var rerating = review(me, "q1", at: now.addingTimeInterval(1))
        rerating.attemptID = saved.id
        rerating.rating = .again
        _ = try await store.appendReview(rerating)
        #expect(try await store.reviews(learnerID: me.id).map(\.rating).last == .again)
        var stolen = review(other, "q1", at: now)
        stolen.attemptID = saved.id
        await #expect {
            _ = try await store.appendReview(stolen)
        } throws: { error in
            guard case .notFound = error as? StoreError else { return false }
            return true
        }
    }

    @Test(arguments: TestStores.kinds) func aFailedReviewLeavesNoAttemptBehind(_ kind: StoreLocation.Kind) async throws
    {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        var bad = review(learner, "q1", at: now)
        bad.card.memory = MemoryState(stability: 1, difficulty: 0)  // violates the difficulty CHECK
        await #expect {
            _ = try await store.record(attempt(learner, "q1", at: now), review: bad)
        } throws: { refused($0, by: .check) }
        #expect(try await store.attempts(learnerID: learner.id, questionID: nil).isEmpty)
    }

    @Test(arguments: TestStores.kinds) func historyIsAppendOnly(_ kind: StoreLocation.Kind) async throws {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        _ = try await store.record(attempt(learner, "q1", at: now), review: review(learner, "q1", at: now))
        await #expect { try await execute("UPDATE attempt SET score = 100", on: store) } throws: {
            refused($0, by: .appendOnly)
        }
        await #expect { try await execute("DELETE FROM attempt", on: store) } throws: { refused($0, by: .appendOnly) }
        await #expect { try await execute("UPDATE review SET rating = 4", on: store) } throws: {
            refused($0, by: .appendOnly)
        }
        await #expect { try await execute("DELETE FROM review", on: store) } throws: { refused($0, by: .appendOnly) }
        #expect(try await store.attempts(learnerID: learner.id, questionID: nil).first?.score == 70)
    }

    func labAttempt(_ learner: Learner, _ lab: String, at date: Date, accepted: Bool) -> LabAttempt {
        LabAttempt(
            learnerID: learner.id, labID: lab, submittedAt: date, submission: "mrn: 48213",
            result: LabResult(findings: [
                .init(accepted ? .passed : .failed, at: "mrn", accepted ? "right" : "not the record number")
            ]))
    }

    /// Issue 21: progress used to load every answer. The summary the store reads instead must give the
    /// same progress, in any time zone (the streak's days come from each UTC day's first and last answer).
    @Test(arguments: TestStores.kinds) func theHistorySummaryGivesTheSameProgressAsEveryAnswer(
        _ kind: StoreLocation.Kind
    ) async throws {
        let store = try await TestStores.make(kind)
        let ada = try await store.learner(named: "ada")
        let bob = try await store.learner(named: "bob")
        // Answers over 40 days at awkward hours (around UTC and local midnights), with equal times on
        // one question to exercise the tie on id, and another learner's answers that must not count.
        var times: [Date] = []
        for day in 0..<40 where day % 7 != 3 {
            for minute in [5, 330, 719, 1_100, 1_435] where (day + minute) % 3 != 0 {
                times.append(now.addingTimeInterval(Double(day * 86_400 + minute * 60) - 45 * 86_400))
            }
        }
        let questions = ["q1", "q2", "q3", "q4", "q5"]
        for (index, time) in times.enumerated() {
            let question = questions[index % questions.count]
            _ = try await store.record(
                attempt(ada, question, at: time, score: (index * 37) % 101), review: review(ada, question, at: time))
        }
        _ = try await store.record(
            attempt(ada, "q1", at: times.last!, score: 11), review: review(ada, "q1", at: times.last!))
        _ = try await store.record(attempt(bob, "q1", at: now, score: 99), review: review(bob, "q1", at: now))

        let all = try await store.attempts(learnerID: ada.id, questionID: nil)
        let summary = try await store.historySummary(learnerID: ada.id)
        #expect(summary.count == all.count)
        #expect(summary.latest.count == questions.count)
        for zone in ["UTC", "Asia/Kolkata", "America/Los_Angeles", "Pacific/Chatham"] {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: zone)!
            for day in [0.0, 1, 5] {
                let at = now.addingTimeInterval(-day * 86_400 - 5 * 86_400)
                let fromAll = LearnerProgress(
                    questions: [], skills: [], roles: [], attempts: all, cards: [:], now: at, calendar: calendar)
                let fromSummary = LearnerProgress(
                    questions: [], skills: [], roles: [], history: summary, cards: [:], now: at, calendar: calendar)
                #expect(fromSummary == fromAll, "\(zone), \(day) days back")
            }
        }
        let latestQ1 = try #require(summary.latest.first { $0.questionID == "q1" })
        #expect(latestQ1.score == 11, "of two answers at the same time, the later id is the latest")
    }

    @Test(arguments: TestStores.kinds) func anAttemptsReviewStateIsItsOwnAndTheLatest(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let ada = try await store.learner(named: "ada")
        let (first, _) = try await store.record(attempt(ada, "q1", at: now), review: review(ada, "q1", at: now))
        let later = now.addingTimeInterval(3_600)
        let (second, _) = try await store.record(attempt(ada, "q1", at: later), review: review(ada, "q1", at: later))
        let (own, latest) = try await store.reviewState(attempt: first)
        #expect(own.count == 1 && own[0].attemptID == first.id)
        #expect(latest?.attemptID == second.id)
    }

    @Test(arguments: TestStores.kinds) func labAttemptsAreHistoryOfTheirLearnerOnly(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        let other = try await store.learner(named: "other")
        let first = try await store.recordLabAttempt(
            labAttempt(learner, "hl7-read", at: now, accepted: false), review: nil)
        _ = try await store.recordLabAttempt(
            labAttempt(learner, "hl7-read", at: now.addingTimeInterval(60), accepted: true), review: nil)
        _ = try await store.recordLabAttempt(labAttempt(other, "hl7-read", at: now, accepted: true), review: nil)
        #expect(first.id > 0)
        let mine = try await store.labAttempts(learnerID: learner.id, labID: "hl7-read")
        #expect(mine.map(\.accepted) == [false, true])
        #expect(mine.first?.findings.first?.message == "not the record number")
        #expect(mine.first?.findings.first?.location == "mrn")
        #expect(try await store.labAttempts(learnerID: learner.id, labID: "other-lab").isEmpty)
        // Pages come newest first, and count only this learner's hand-ins of this lab.
        let page = try await store.labAttemptPage(learnerID: learner.id, labID: "hl7-read", limit: 1, offset: 0)
        #expect(page.total == 2 && page.attempts.map(\.accepted) == [true])
        let next = try await store.labAttemptPage(learnerID: learner.id, labID: "hl7-read", limit: 1, offset: 1)
        #expect(next.total == 2 && next.attempts.map(\.id) == [first.id])
        #expect(
            try await store.labAttemptPage(learnerID: learner.id, labID: "hl7-read", limit: 5, offset: 2).attempts
                .isEmpty)
        await #expect { try await execute("UPDATE lab_attempt SET accepted = TRUE", on: store) } throws: {
            refused($0, by: .appendOnly)
        }
        await #expect { try await execute("DELETE FROM lab_attempt", on: store) } throws: {
            refused($0, by: .appendOnly)
        }
        try await store.deleteLearner(id: learner.id)
        #expect(try await store.labAttempts(learnerID: learner.id, labID: nil).isEmpty)
        #expect(try await store.labAttempts(learnerID: other.id, labID: nil).count == 1)
    }

    @Test(arguments: TestStores.kinds) func acceptedLabsAreReviewedByHowManyTriesTheyTook(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        let recorder = LabRecorder(store: store, learner: learner)
        func result(_ accepted: Bool) -> LabResult {
            LabResult(findings: [.init(accepted ? .passed : .failed, "x")])
        }
        // Accepted at the first try: Good.
        let first = try await recorder.record(labID: "a", submission: "1", result: result(true), at: now)
        #expect(first.review?.rating == .good)
        #expect(first.review?.questionID == "lab:a")
        // Two failures, then accepted: the third try is Hard; failures schedule nothing.
        let failed = try await recorder.record(labID: "b", submission: "1", result: result(false), at: now)
        #expect(failed.review == nil)
        _ = try await recorder.record(
            labID: "b", submission: "2", result: result(false), at: now.addingTimeInterval(60))
        let third = try await recorder.record(
            labID: "b", submission: "3", result: result(true), at: now.addingTimeInterval(120))
        #expect(third.review?.rating == .hard)
        let cards = try await store.currentCards(learnerID: learner.id)
        #expect(cards["lab:a"] != nil && cards["lab:b"] != nil)
        #expect(try await store.labAttempts(learnerID: learner.id, labID: "b").count == 3)
        // Counting restarts at each review: the next accepted hand-in, days later, is Good again.
        let later = now.addingTimeInterval(3 * 86_400)
        let again = try await recorder.record(labID: "b", submission: "4", result: result(true), at: later)
        #expect(again.review?.rating == .good)
        #expect(LabRecorder.rating(tries: 4) == .again)
        #expect(Lab.id(ofReviewItem: "lab:b") == "b")
        #expect(Lab.id(ofReviewItem: "fhir-vs-hl7v2") == nil)
    }

    @Test(arguments: TestStores.kinds) func deletingALearnerDeletesEverythingTheyHave(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        let other = try await store.learner(named: "other")
        let session = try await store.startSession(
            PracticeSession(id: 0, learnerID: learner.id, kind: .practice, startedAt: now))
        _ = try await store.record(
            attempt(learner, "q1", at: now, session: session.id), review: review(learner, "q1", at: now))
        _ = try await store.record(attempt(other, "q1", at: now), review: review(other, "q1", at: now))
        try await store.deleteLearner(id: learner.id)
        #expect(try await store.learner(id: learner.id) == nil)
        #expect(try await store.attempts(learnerID: learner.id, questionID: nil).isEmpty)
        #expect(try await store.reviews(learnerID: learner.id).isEmpty)
        #expect(try await store.sessions(learnerID: learner.id).isEmpty)
        #expect(
            try await store.attempts(learnerID: other.id, questionID: nil).count == 1, "other learners keep their data")
    }

    @Test(arguments: TestStores.kinds) func currentCardsAreTheLatestReviews(_ kind: StoreLocation.Kind) async throws {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        let first = review(learner, "q1", at: now, rating: .again)
        _ = try await store.record(attempt(learner, "q1", at: now, score: 10), review: first)
        let later = now.addingTimeInterval(86_400)
        let second = Review(
            learnerID: learner.id, questionID: "q1", attemptID: nil, reviewedAt: later, rating: .good,
            card: ReviewScheduler().review(first.card, rating: .good, at: later))
        _ = try await store.record(attempt(learner, "q1", at: later), review: second)
        _ = try await store.record(attempt(learner, "q2", at: now), review: review(learner, "q2", at: now))
        let cards = try await store.currentCards(learnerID: learner.id)
        #expect(cards.count == 2)
        #expect(cards["q1"]?.due == second.card.due)
        #expect(try await store.attempts(learnerID: learner.id, questionID: "q1").map(\.score) == [10, 70])
    }

    @Test(arguments: TestStores.kinds) func learnersSeeOnlyTheirOwnHistory(_ kind: StoreLocation.Kind) async throws {
        let store = try await TestStores.make(kind)
        let me = try await store.learner(named: "me")
        let you = try await store.learner(named: "you")
        _ = try await store.record(attempt(me, "q1", at: now), review: review(me, "q1", at: now))
        #expect(try await store.attempts(learnerID: you.id, questionID: nil).isEmpty)
        #expect(try await store.currentCards(learnerID: you.id).isEmpty)
    }

    @Test(arguments: TestStores.kinds) func apiTokensBelongToOneAccountAndCanBeRevoked(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let hash = "$2b$12$" + String(repeating: "a", count: 53)
        let ada = try #require(
            try await store.createAccount(email: "ada@example.org", passwordHash: hash, role: .learner, at: now))
        let bob = try #require(
            try await store.createAccount(email: "bob@example.org", passwordHash: hash, role: .learner, at: now))
        let secret = String(repeating: "1", count: 64)
        let token = try await store.createAPIToken(name: "script", tokenHash: secret, accountID: ada.id, at: now)
        #expect(try await store.apiTokens(accountID: ada.id).map(\.name) == ["script"])
        #expect(try await store.apiTokens(accountID: bob.id).isEmpty)
        #expect(try await store.apiTokenAccount(tokenHash: secret, at: now.addingTimeInterval(120))?.id == ada.id)
        #expect(try await store.apiTokens(accountID: ada.id).first?.lastUsedAt == now.addingTimeInterval(120))
        #expect(try await store.apiTokenAccount(tokenHash: String(repeating: "2", count: 64), at: now) == nil)
        // Another account cannot revoke it; its owner can, once.
        #expect(try await store.revokeAPIToken(id: token.id, accountID: bob.id) == false)
        #expect(try await store.revokeAPIToken(id: token.id, accountID: ada.id))
        #expect(try await store.revokeAPIToken(id: token.id, accountID: ada.id) == false)
        #expect(try await store.apiTokenAccount(tokenHash: secret, at: now) == nil)
        // Deleting the account deletes its tokens.
        _ = try await store.createAPIToken(name: "again", tokenHash: secret, accountID: ada.id, at: now)
        try await store.deleteAccount(id: ada.id)
        #expect(try await store.apiTokenAccount(tokenHash: secret, at: now) == nil)
    }

    @Test(arguments: TestStores.kinds) func draftsAreReplacedBoundedAndSeenOnlyByTheirLearner(
        _ kind: StoreLocation.Kind
    ) async throws {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        let other = try await store.learner(named: "other")
        _ = try await store.saveDraft(key: "question:q1", text: "first", learnerID: learner.id, at: now)
        let replaced = try await store.saveDraft(
            key: "question:q1", text: "second", learnerID: learner.id, at: now.addingTimeInterval(5))
        #expect(try await store.draft(key: "question:q1", learnerID: learner.id) == replaced)
        #expect(try await store.draft(key: "question:q1", learnerID: other.id) == nil)
        #expect(try await store.deleteDraft(key: "question:q1", learnerID: other.id) == false)
        #expect(try await store.drafts(learnerID: learner.id).map(\.text) == ["second"])

        // One more than the limit: the oldest goes, the one just saved stays even when its time ties.
        for index in 0..<Draft.perLearnerLimit {
            _ = try await store.saveDraft(
                key: "lab:l\(index)", text: "x", learnerID: learner.id, at: now.addingTimeInterval(Double(10 + index)))
        }
        let drafts = try await store.drafts(learnerID: learner.id)
        #expect(drafts.count == Draft.perLearnerLimit)
        #expect(!drafts.contains { $0.key == "question:q1" }, "the oldest draft was removed")
        #expect(drafts.first?.key == "lab:l\(Draft.perLearnerLimit - 1)", "newest first")

        #expect(try await store.deleteDraft(key: "lab:l5", learnerID: learner.id))
        #expect(try await store.draft(key: "lab:l5", learnerID: learner.id) == nil)
        try await store.deleteLearner(id: learner.id)
        #expect(try await store.drafts(learnerID: learner.id).isEmpty, "drafts go with their learner")
    }

    @Test(arguments: TestStores.kinds) func aPasswordResetLinkWorksOnceUntilItExpiresAndEndsEverySession(
        _ kind: StoreLocation.Kind
    ) async throws {
        let store = try await TestStores.make(kind)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let hash = "$2b$12$" + String(repeating: "a", count: 53)
        let newHash = "$2b$12$" + String(repeating: "b", count: 53)
        let ada = try #require(
            try await store.createAccount(email: "ada@example.org", passwordHash: hash, role: .learner, at: now))
        let (first, second) = (String(repeating: "1", count: 64), String(repeating: "2", count: 64))
        try await store.createSession(
            tokenHash: String(repeating: "5", count: 64), accountID: ada.id, expiresAt: now.addingTimeInterval(3600),
            at: now)
        _ = try await store.createAPIToken(
            name: "script", tokenHash: String(repeating: "6", count: 64), accountID: ada.id, at: now)
        try await store.createPasswordReset(
            tokenHash: first, accountID: ada.id, expiresAt: now.addingTimeInterval(86_400), at: now)
        #expect(try await store.passwordResetAccount(tokenHash: first, now: now)?.account.id == ada.id)
        // A newer link replaces the older one.
        try await store.createPasswordReset(
            tokenHash: second, accountID: ada.id, expiresAt: now.addingTimeInterval(86_400), at: now)
        #expect(try await store.passwordResetAccount(tokenHash: first, now: now) == nil)
        #expect(
            try await store.passwordResetAccount(tokenHash: second, now: now.addingTimeInterval(86_401)) == nil,
            "expired")
        #expect(
            try await store.redeemPasswordReset(
                tokenHash: second, passwordHash: newHash, now: now.addingTimeInterval(86_401)) == nil)
        #expect(try await store.account(id: ada.id)?.passwordHash == hash, "an expired link changes nothing")

        let redeemed = try await store.redeemPasswordReset(tokenHash: second, passwordHash: newHash, now: now)
        #expect(redeemed?.passwordHash == newHash)
        #expect(try await store.account(id: ada.id)?.passwordHash == newHash)
        #expect(try await store.sessionAccount(tokenHash: String(repeating: "5", count: 64), now: now) == nil)
        #expect(try await store.apiTokens(accountID: ada.id).isEmpty)
        #expect(try await store.redeemPasswordReset(tokenHash: second, passwordHash: hash, now: now) == nil, "once")
    }

    @Test(arguments: TestStores.kinds) func throttledAttemptsStopAtTheirLimitAndCanBeForgotten(
        _ kind: StoreLocation.Kind
    ) async throws {
        // Given a limit of two attempts per email and five per address
        let store = try await TestStores.make(kind)
        let limits = ["email:ana@example.org": 2, "address:127.0.0.1": 5]
        let since = now.addingTimeInterval(-900)
        // When three attempts are reserved, Then the third is refused and nothing of it is written
        let first = try #require(try await store.reserveAttempt(limits: limits, since: since, at: now))
        #expect(first.count == 2, "one row per key")
        #expect(try await store.reserveAttempt(limits: limits, since: since, at: now) != nil)
        #expect(try await store.reserveAttempt(limits: limits, since: since, at: now) == nil)
        // And a forgotten attempt (a right password) frees its place
        try await store.forgetAttempts(ids: first)
        #expect(try await store.reserveAttempt(limits: limits, since: since, at: now) != nil)
        // And attempts older than the window do not count
        #expect(try await store.reserveAttempt(limits: limits, since: now.addingTimeInterval(1), at: now) != nil)
    }

    @Test(arguments: TestStores.kinds) func sessionsOpenAndCloseOnce(_ kind: StoreLocation.Kind) async throws {
        let store = try await TestStores.make(kind)
        let learner = try await store.learner(named: "me")
        let session = try await store.startSession(
            PracticeSession(
                id: 0, learnerID: learner.id, kind: .mock, startedAt: now, role: "cloud-devops-engineer",
                level: .advanced, minutes: 30))
        try await store.endSession(id: session.id, at: now.addingTimeInterval(600))
        try await store.endSession(id: session.id, at: now.addingTimeInterval(9000))
        let stored = try #require(try await store.sessions(learnerID: learner.id).first)
        #expect(stored.endedAt == now.addingTimeInterval(600))
        #expect(stored.level == .advanced)
        #expect(stored.minutes == 30)
    }

    @Test(arguments: TestStores.kinds) func exportImportRoundTripsAndSkipsDuplicates(_ kind: StoreLocation.Kind)
        async throws
    {
        let source = try await TestStores.make(kind)
        let learner = try await source.learner(named: "me")
        let session = try await source.startSession(
            PracticeSession(id: 0, learnerID: learner.id, kind: .practice, startedAt: now))
        for (index, question) in ["q1", "q2", "q3"].enumerated() {
            let date = now.addingTimeInterval(Double(index) * 60)
            _ = try await source.record(
                attempt(learner, question, at: date, score: 40 + index * 20, session: session.id),
                review: review(learner, question, at: date))
        }
        let export = LearnerExport(
            exportedAt: now, learner: learner, sessions: try await source.sessions(learnerID: learner.id),
            attempts: try await source.attempts(learnerID: learner.id, questionID: nil),
            reviews: try await source.reviews(learnerID: learner.id),
            labAttempts: [
                try await source.recordLabAttempt(
                    labAttempt(learner, "fhir-write-condition", at: now, accepted: true), review: nil)
            ])

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(LearnerExport.self, from: encoder.encode(export))

        let target = try await TestStores.make(kind)
        let newLearner = try await target.learner(named: "restored")
        let summary = try await target.importHistory(decoded, into: newLearner.id)
        #expect(
            summary.sessionsAdded == 1 && summary.attemptsAdded == 3 && summary.reviewsAdded == 3
                && summary.labAttemptsAdded == 1 && summary.skipped == 0)
        #expect(try await target.labAttempts(learnerID: newLearner.id, labID: nil).first?.accepted == true)
        let restored = try await target.attempts(learnerID: newLearner.id, questionID: nil)
        #expect(restored.map(\.questionID) == ["q1", "q2", "q3"])
        #expect(restored.map(\.score) == [40, 60, 80])
        #expect(restored.map(\.answeredAt) == export.attempts.map(\.answeredAt))
        let reviews = try await target.reviews(learnerID: newLearner.id)
        #expect(reviews.map(\.card) == export.reviews.map(\.card))
        #expect(
            Set(reviews.compactMap(\.attemptID)) == Set(restored.map(\.id)), "reviews point at the imported attempts")

        let again = try await target.importHistory(decoded, into: newLearner.id)
        #expect(again.attemptsAdded == 0 && again.labAttemptsAdded == 0 && again.skipped == 8)
    }
}

/// The band for a score, as the feedback engine assigns it (kept here to avoid a test dependency).
enum FeedbackBand {
    static func band(_ score: Int) -> Int { [20, 40, 62, 82].lastIndex { score >= $0 }.map { $0 + 1 } ?? 0 }
}
