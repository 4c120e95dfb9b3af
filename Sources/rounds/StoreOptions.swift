import ArgumentParser
import Foundation
import RoundsCore
import RoundsFeedback
import RoundsStore

/// Where the learner's history lives.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The database file. Default: ROUNDS_DB, else ~/.local/share/rounds/rounds.sqlite (Linux; XDG_DATA_HOME is honoured) or ~/Library/Application Support/Rounds/rounds.sqlite (macOS).",
            valueName: "path"))
    var db: String?

    /// The command line practises as one local learner.
    static let localLearner = "local"

    func open() throws -> SQLiteStore {
        let path = db ?? SQLiteStore.defaultPath()
        do {
            return try SQLiteStore(path: path)
        } catch {
            throw ValidationError(
                "cannot open the database at \(path): \(error). Choose another file with --db or ROUNDS_DB.")
        }
    }
}

/// Records answers: feedback, rating, schedule, and the attempt and review in one transaction.
struct AnswerRecorder {
    let store: SQLiteStore
    let learner: Learner
    let scheduler: ReviewScheduler

    init(store: SQLiteStore, learner: Learner) {
        self.store = store
        self.learner = learner
        scheduler = ReviewScheduler(fsrs: FSRS(desiredRetention: learner.settings.desiredRetention))
    }

    /// Saves the attempt and its review; returns the new card.
    func record(
        question: Question, answer: String, score: Int, band: Int, rating: Rating, overridden: Bool, summary: String,
        seconds: Int?, session: Int64?, current: ReviewCard?, at now: Date
    ) async throws -> ReviewCard {
        let card = scheduler.review(current ?? .new(due: now), rating: rating, at: now)
        let attempt = Attempt(
            learnerID: learner.id, questionID: question.id, sessionID: session, answeredAt: now, answer: answer,
            score: score,
            band: band, rating: rating, ratingOverridden: overridden, secondsTaken: seconds, summary: summary)
        let review = Review(
            learnerID: learner.id, questionID: question.id, attemptID: nil, reviewedAt: now, rating: rating, card: card)
        _ = try await store.record(attempt, review: review)
        return card
    }
}

/// Ends an open session when the learner presses Ctrl-C, so that the session is closed cleanly; every
/// answer was already saved when it was given.
final class InterruptHandler: @unchecked Sendable {
    private var source: (any DispatchSourceSignal)?

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            onInterrupt()
            exit(130)
        }
        source.resume()
        self.source = source
    }

    func cancel() {
        source?.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// Runs an async closure to completion from synchronous code (the signal handler).
func blocking(_ work: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await work()
        done.signal()
    }
    done.wait()
}

extension Feedback {
    /// The one-line summary kept with an attempt.
    var summaryLine: String {
        let covered = points.filter { $0.coverage == .covered }.count
        let partly = points.filter { $0.coverage == .partly }.count
        var text = "\(covered)/\(points.count) points covered"
        if partly > 0 { text += ", \(partly) partly" }
        if !misconceptions.isEmpty {
            text += "; \(misconceptions.count) wrong claim\(misconceptions.count == 1 ? "" : "s")"
        }
        return text
    }
}
