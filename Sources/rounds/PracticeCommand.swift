import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

struct PracticeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practice",
        abstract: "Practise: due reviews first, then new questions from your weakest skills.",
        usage:
            "rounds practice [--role <role>] [--skill <skill>] [--level <level>]\n[--count <count>] [--setup] [--db <path>] [--content <folder> ...]",
        discussion: """
            Each question shows its suggested time. Type your answer and finish it with a line holding \
            only . (or Ctrl-D); empty lines separate paragraphs. (Piped answers end with an empty line.) Rounds shows the feedback, saves the answer and schedules the next review with \
            FSRS-6 from the feedback band (0–1 Again, 2 Hard, 3 Good, 4 Easy); in a terminal you can \
            change the rating before it is saved. An empty answer skips the question. Ctrl-D at an empty \
            prompt, or Ctrl-C at any time, ends the session; every answer given so far is already saved.

            New questions come from the skills where your mastery is lowest, weighted by how much your \
            target role (--role, or the one set with `rounds settings`) tests them, starting at the level \
            your mastery suggests (never below the level you set).

            The first time, in a terminal, Rounds asks for your target role, level, interview date and \
            hours a week (Enter skips any), and shows the role; --setup asks again.

            Examples:
              rounds practice
              rounds practice --role ehr-integration-analyst --count 3
              rounds practice --skill sql-databases --level advanced
            """
    )

    @Option(help: ArgumentHelp("Practise for this role id (default: your target role).", valueName: "role"))
    var role: String?
    @Option(help: ArgumentHelp("Only questions that train this skill id.", valueName: "skill"))
    var skill: String?
    @Option(help: ArgumentHelp("Only questions at this level.", valueName: "level"))
    var level: Level?
    @Option(help: "How many questions.") var count = 5
    @Flag(
        help:
            "Ask for your role, level, interview date and hours a week first (automatic on the first run in a terminal)."
    )
    var setup = false
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var content: ContentOptions

    mutating func validate() throws {
        guard (1...50).contains(count) else { throw ValidationError("--count must be between 1 and 50.") }
    }

    mutating func run() async throws {
        let library = content.load()
        let store = try await storeOptions.open()
        var learner = try await store.learner(named: StoreOptions.localLearner)
        // The first run in a terminal asks for the goal; a script piping answers in is never asked.
        var firstRun = false
        if role == nil && isatty(STDIN_FILENO) == 1 {
            firstRun = FirstRun.isFresh(learner, answers: try await store.historySummary(learnerID: learner.id).count)
        }
        if setup || firstRun {
            let settings = FirstRun.ask(learner.settings, library: library)
            if settings != learner.settings {
                try await store.updateSettings(settings, learnerID: learner.id)
                learner.settings = settings
            }
            print("\nSaved. rounds settings changes any of it; rounds plan shows the days ahead.")
            if let chosen = settings.targetRole.flatMap(library.role(id:)) {
                print("")
                RolesCommand.printReport(
                    library.roleReport(
                        chosen, snapshot: try await library.progress(learnerID: learner.id, in: store),
                        settings: settings),
                    library: library)
            }
            print("")
        }
        let roleID = role ?? learner.settings.targetRole
        let targetRole = try roleID.map { id in
            guard let found = library.role(id: id) else {
                throw ValidationError(
                    "unknown role '\(id)'. Roles: \(library.roles.map(\.id).joined(separator: ", ")).")
            }
            return found
        }
        if let skill, library.skill(id: skill) == nil {
            throw ValidationError(
                "unknown skill '\(skill)'. Skills: \(library.skills.map(\.id).joined(separator: ", ")).")
        }
        let now = Date()
        let snapshot = try await library.progress(learnerID: learner.id, in: store, now: now)
        var cards = snapshot.cards
        let filter = QuestionFilter(skill: skill, level: level, role: nil, kind: nil)
        let queue = PracticePlanner(for: learner.settings).queue(
            questions: library.questions, cards: cards, progress: snapshot.progress, role: targetRole, count: count,
            now: now,
            accepts: filter.accepts)
        guard !queue.isEmpty else {
            print("Nothing to practise with these filters: no question is due and none is new.")
            return
        }
        let session = try await store.startSession(
            PracticeSession(
                id: 0, learnerID: learner.id, kind: .practice, startedAt: now, role: targetRole?.id, level: level))
        let sessionID = session.id
        let counter = Counter()
        let pending = PendingSave()
        let interrupt = InterruptHandler {
            // Ctrl-C at the rating prompt: the answer was graded, so it is saved with the proposed rating.
            if let save = pending.take() { blocking { try? await save() } }
            blocking { try? await store.endSession(id: sessionID, at: Date()) }
            print("\n\nSession ended. \(counter.value) answer\(counter.value == 1 ? "" : "s") saved.")
        }
        defer { interrupt.cancel() }

        let engine = FeedbackEngine(
            globalMisconceptions: library.globalMisconceptions, facts: library.facts,
            cacheFolder: FeedbackEngine.defaultCacheFolder())
        let recorder = AnswerRecorder(store: store, learner: learner)
        // ROUNDS_INTERACTIVE=1 asks for ratings from piped input too (scripts and tests).
        let interactive = AnswerInput.isInteractive
        print(
            "Practice: \(queue.count) question\(queue.count == 1 ? "" : "s")\(targetRole.map { " for \($0.name)" } ?? "")."
        )
        for (index, item) in queue.enumerated() {
            let question = item.question
            print("\n" + String(repeating: "─", count: Terminal.width))
            switch item.reason {
            case .due(let r):
                print("[\(index + 1)/\(queue.count)] Review: recall now about \(Int((r * 100).rounded()))%")
            case .new(let skill):
                print("[\(index + 1)/\(queue.count)] New · \(library.skill(id: skill)?.name ?? skill)")
            }
            print(QuestionRenderer.header(question, library: library))
            print("\nYour answer (about \(question.minutes) min; \(AnswerInput.endHint)):")
            let started = Date()
            guard let answer = AnswerInput.readAnswer() else { break }
            let text = answer.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                print("Skipped.")
                continue
            }
            do {
                _ = try AnswerInput.validate(text)
            } catch {
                print("Not saved: \(error) Keep to what you would say.")
                continue
            }
            let feedback = engine.evaluate(text, for: question)
            print()
            print(FeedbackRenderer.render(feedback, answer: text, question: question))
            var rating = feedback.rating
            var overridden = false
            let current = cards[question.id]
            let save: @Sendable (Rating, Bool) async throws -> ReviewCard = { rating, overridden in
                let now = Date()
                let card = try await recorder.record(
                    questionID: question.id, answer: text, score: feedback.score, band: feedback.band, rating: rating,
                    overridden: overridden, summary: feedback.summaryLine, seconds: Int(now.timeIntervalSince(started)),
                    session: sessionID, current: current, at: now
                ).card
                counter.increment()
                return card
            }
            pending.set { [rating] in _ = try await save(rating, false) }
            if interactive {
                print(
                    "\nRating for scheduling: \(rating.rawValue) \(rating.name).\nEnter to keep it, or type 1 Again, 2 Hard, 3 Good, 4 Easy: ",
                    terminator: "")
                if let reply = Terminal.readLine(), let value = Int(reply.trimmingCharacters(in: .whitespaces)),
                    let chosen = Rating(rawValue: value)
                {
                    overridden = chosen != rating
                    rating = chosen
                }
            }
            // Whoever takes the pending save records the answer: here, or the Ctrl-C handler, never both.
            guard pending.take() != nil else { return }
            let card = try await save(rating, overridden)
            cards[question.id] = card
            print("Saved. Next review \(DueText.describe(card.due, from: Date())).")
        }
        try await store.endSession(id: sessionID, at: Date())
        print(
            "\nSession done: \(counter.value) answer\(counter.value == 1 ? "" : "s") saved. See your progress with `rounds stats`."
        )
    }
}

/// The graded answer waiting for its rating, shared with the interrupt handler: taken exactly once.
final class PendingSave: @unchecked Sendable {
    private let lock = NSLock()
    private var work: (@Sendable () async throws -> Void)?

    func set(_ work: @escaping @Sendable () async throws -> Void) { lock.withLock { self.work = work } }
    func take() -> (@Sendable () async throws -> Void)? {
        lock.withLock {
            defer { work = nil }
            return work
        }
    }
}

/// A thread-safe count, shared with the interrupt handler.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

/// Human phrasing for a due date.
enum DueText {
    static func describe(_ due: Date, from now: Date) -> String {
        let days = Int((due.timeIntervalSince(now) / 86_400).rounded())
        let date = due.formatted(.dateTime.year().month(.abbreviated).day())
        switch days {
        case ...0: return "today"
        case 1: return "tomorrow (\(date))"
        default: return "in \(days) days (\(date))"
        }
    }
}
