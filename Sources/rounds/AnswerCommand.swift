import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

struct AnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Answer a question and get feedback.",
        usage: "rounds answer <id> [--file <file>] [--content <folder> ...] [--json]\n[--save] [--db <path>]",
        discussion: """
            Type the answer at the prompt and finish with a line holding only . or Ctrl-D (empty lines \
            separate paragraphs), or give it with \
            --file (use - for standard input), or pipe it in. Feedback shows each rubric point as \
            covered (✓), partly covered (~) or missing (✗) with the words that earned it, any wrong or \
            harmful claim with its correction, structure and delivery checks for the kind of question, \
            a score out of 100, a band from 0 (unacceptable) to 4 (excellent), and the two or three \
            changes that would help most.

            Without --save this is a dry run: nothing is kept and no review is scheduled. With --save \
            the answer joins your history (the database of --db, as `rounds practice` uses) and its \
            review is scheduled with the proposed rating.

            Examples:
              rounds answer hipaa-why-it-matters-for-data-roles
              rounds answer fhir-vs-hl7v2 --file my-answer.txt --json
              rounds answer fhir-vs-hl7v2 --file my-answer.txt --save
            """
    )

    @Argument(help: "The question's id (see `rounds questions list`).")
    var id: String

    @Option(help: ArgumentHelp("Read the answer from this file; - reads standard input.", valueName: "file"))
    var file: String?

    @OptionGroup var content: ContentOptions

    @Flag(help: "Print the full feedback as JSON.")
    var json = false

    @Flag(help: "Keep the answer in your history and schedule its review (without it, a dry run).")
    var save = false

    @OptionGroup var storeOptions: StoreOptions

    mutating func run() async throws {
        let library = content.load()
        guard let question = library.question(id: id) else {
            throw ValidationError("no question has the id '\(id)'. Find ids with `rounds questions search`.")
        }
        // Open the database before the learner types, so a bad --db fails before any work is done.
        let store = save ? try await storeOptions.open() : nil
        if !json && file == nil && isatty(STDIN_FILENO) == 1 {
            print(QuestionRenderer.header(question, library: library))
            print()
        }
        let started = Date()
        let answer: String
        do {
            answer = try AnswerInput.read(
                file: file, prompt: "Your answer (about \(question.minutes) min; \(AnswerInput.endHint)):")
        } catch let failure as AnswerInput.Failure {
            throw ValidationError(failure.description)
        }
        let feedback = FeedbackEngine(
            globalMisconceptions: library.globalMisconceptions, facts: library.facts,
            cacheFolder: FeedbackEngine.defaultCacheFolder()
        )
        .evaluate(
            answer, for: question)
        let saved: String
        if let store {
            let learner = try await store.learner(named: StoreOptions.localLearner)
            let now = Date()
            let card = try await AnswerRecorder(store: store, learner: learner).record(
                questionID: question.id, answer: answer, score: feedback.score, band: feedback.band,
                rating: feedback.rating, overridden: false, summary: feedback.summaryLine,
                seconds: Int(now.timeIntervalSince(started)), session: nil,
                current: try await store.currentCards(learnerID: learner.id)[question.id], at: now
            ).card
            saved = "Saved to your history. Next review \(DueText.describe(card.due, from: now))."
        } else {
            saved = "Not saved: this was a dry run. Add --save to keep the answer and schedule its review."
        }
        if json {
            try Terminal.printJSON(feedback)
            FileHandle.standardError.write(Data((saved + "\n").utf8))
        } else {
            print(FeedbackRenderer.render(feedback, answer: answer, question: question))
            print("\n" + saved)
            print("See the model answer with `rounds questions show \(question.id) --answer`.")
        }
    }
}
