import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsStore

extension BenchCommand {
    /// Issue 21: stats, due and practice read a learner's whole history on every request, so a learner
    /// with thousands of answers waited longer for each. This times the store's work for one answer
    /// and for the reads behind the pages, for a learner with few answers and one with many, in the same run.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time answering and reading history for a learner with few answers and one with many.",
            usage:
                "rounds bench history [--few <few>] [--many <many>] [--repeats <repeats>]\n[--content <folder> ...] [--json]",
            discussion: """
                Three learners in one temporary database: --few answers to as many questions (few), --many \
                answers to those same questions (deep: only the history is longer), and --many answers over \
                the whole bank (broad: more questions answered too, which the bank bounds). For each it times \
                the store's share of answering a question \
                (the current cards, then the attempt and its review in one transaction), the saved \
                answer's review (what the feedback page shows), and one page of the answer list. The \
                figure that matters is deep/few: 1.0 means a longer history does not slow them down.
                """
        )

        @Option(help: "Answers of the first learner.") var few = 10
        @Option(help: "Answers of the second learner.") var many = 10_000
        @Option(help: "Timed repetitions of each operation.") var repeats = 50
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print the figures as JSON.") var json = false

        struct Row: Encodable {
            let operation: String
            let fewMicroseconds: Double
            /// The same questions, many more answers.
            let deepMicroseconds: Double
            /// As many answers, over the whole bank.
            let broadMicroseconds: Double
            let deepRatio: Double
            let broadRatio: Double

            init(operation: String, few: Double, deep: Double, broad: Double) {
                self.operation = operation
                fewMicroseconds = few
                deepMicroseconds = deep
                broadMicroseconds = broad
                deepRatio = deep / few
                broadRatio = broad / few
            }
        }

        mutating func run() async throws {
            let library = content.load()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-bench-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try SQLiteStore(path: folder.appendingPathComponent("bench.sqlite").path)
            let questions = library.questions
            func fill(_ name: String, _ count: Int, over questions: [Question]) async throws -> Learner {
                let learner = try await store.learner(named: name)
                let recorder = AnswerRecorder(store: store, learner: learner)
                var cards: [String: ReviewCard] = [:]
                let start = Date().addingTimeInterval(-Double(count) * 600)
                for index in 0..<count {
                    let question = questions[index % questions.count]
                    let at = start.addingTimeInterval(Double(index) * 600)
                    cards[question.id] =
                        try await recorder.record(
                            questionID: question.id, answer: "An answer of a few words.", score: 60, band: 2,
                            rating: .good, overridden: false, summary: "", seconds: 60, session: nil,
                            current: cards[question.id], at: at
                        ).card
                }
                return learner
            }
            // The same 10 questions answered 10 times and 10,000 times isolates the length of the
            // history; 10,000 answers over the whole bank adds breadth, which is bounded by the bank.
            let few = try await fill("few", self.few, over: Array(questions.prefix(self.few)))
            let deep = try await fill("deep", self.many, over: Array(questions.prefix(self.few)))
            let broad = try await fill("broad", self.many, over: questions)
            let question = questions[0]

            func time(_ learner: Learner, _ work: (Learner) async throws -> Void) async throws -> Double {
                try await work(learner)  // warm
                var samples: [Double] = []
                for _ in 0..<repeats {
                    let started = DispatchTime.now().uptimeNanoseconds
                    try await work(learner)
                    samples.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1000)
                }
                return samples.sorted()[samples.count / 2]
            }
            let operations: [(String, (Learner) async throws -> Void)] = [
                (
                    "answer (current cards, then attempt and review)",
                    { learner in
                        let cards = try await store.currentCards(learnerID: learner.id)
                        _ = try await AnswerRecorder(store: store, learner: learner).record(
                            questionID: question.id, answer: "Another answer.", score: 70, band: 3, rating: .good,
                            overridden: false, summary: "", seconds: 30, session: nil, current: cards[question.id],
                            at: Date())
                    }
                ),
                (
                    "the answer's review (feedback page)",
                    { learner in
                        if let attempt = try await store.attemptPage(
                            learnerID: learner.id, questionID: question.id, limit: 1, offset: 0
                        ).attempts.first {
                            _ = try await store.reviewState(attempt: attempt)
                        }
                    }
                ),
                (
                    "the same review from the whole history (before)",
                    { learner in
                        _ = try await store.reviews(learnerID: learner.id).filter { $0.questionID == question.id }
                    }
                ),
                (
                    "stats from the history summary",
                    { learner in
                        _ = LearnerProgress(
                            questions: library.questions, labs: library.labs.map(\.id), skills: library.skills,
                            roles: library.roles, history: try await store.historySummary(learnerID: learner.id),
                            cards: try await store.currentCards(learnerID: learner.id), now: Date())
                    }
                ),
                (
                    "stats from every answer (before)",
                    { learner in
                        _ = LearnerProgress(
                            questions: library.questions, labs: library.labs.map(\.id), skills: library.skills,
                            roles: library.roles,
                            attempts: try await store.attempts(learnerID: learner.id, questionID: nil),
                            cards: try await store.currentCards(learnerID: learner.id), now: Date())
                    }
                ),
                (
                    "one page of the answer list",
                    { learner in
                        _ = try await store.attemptPage(learnerID: learner.id, questionID: nil, limit: 100, offset: 0)
                    }
                ),
            ]
            var rows: [Row] = []
            for (name, work) in operations {
                rows.append(
                    Row(
                        operation: name, few: try await time(few, work), deep: try await time(deep, work),
                        broad: try await time(broad, work)))
            }
            if json {
                try Terminal.printJSON(rows)
                return
            }
            print(
                "History: \(self.few) answers to \(self.few) questions (few), \(self.many) to the same questions (deep), \(self.many) over the bank (broad); median of \(repeats) runs"
            )
            print(Terminal.pad("", 48) + "      few      deep     broad   deep/few  broad/few")
            for row in rows {
                print(
                    Terminal.pad(row.operation, 48)
                        + String(
                            format: " %6.0f µs %6.0f µs %6.0f µs   ×%.2f     ×%.2f", row.fewMicroseconds,
                            row.deepMicroseconds, row.broadMicroseconds, row.deepRatio, row.broadRatio))
            }
        }
    }
}
