import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback

struct AnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Answer a question and get feedback.",
        discussion: """
            Type the answer at the prompt and finish with an empty line or Ctrl-D, or give it with \
            --file (use - for standard input), or pipe it in. Feedback shows each rubric point as \
            covered (✓), partly covered (~) or missing (✗) with the words that earned it, any wrong or \
            harmful claim with its correction, structure and delivery checks for the kind of question, \
            a score out of 100, a band from 0 (unacceptable) to 4 (excellent), and the two or three \
            changes that would help most.

            Examples:
              rounds answer hipaa-why-it-matters-for-data-roles
              rounds answer fhir-vs-hl7v2 --file my-answer.txt --json
            """
    )

    @Argument(help: "The question's id (see `rounds questions list`).")
    var id: String

    @Option(help: ArgumentHelp("Read the answer from this file; - reads standard input.", valueName: "file"))
    var file: String?

    @OptionGroup var content: ContentOptions

    @Flag(help: "Print the full feedback as JSON.")
    var json = false

    mutating func run() async throws {
        let library = content.load()
        guard let question = library.question(id: id) else {
            throw ValidationError("no question has the id '\(id)'. Find ids with `rounds questions search`.")
        }
        if !json && file == nil && isatty(STDIN_FILENO) == 1 {
            print(QuestionRenderer.header(question, library: library))
            print()
        }
        let answer: String
        do {
            answer = try AnswerInput.read(
                file: file, prompt: "Your answer (about \(question.minutes) min; end with an empty line or Ctrl-D):")
        } catch let failure as AnswerInput.Failure {
            throw ValidationError(failure.description)
        }
        let feedback = FeedbackEngine(globalMisconceptions: library.globalMisconceptions, facts: library.facts)
            .evaluate(
                answer, for: question)
        if json {
            try Terminal.printJSON(feedback)
        } else {
            print(FeedbackRenderer.render(feedback, answer: answer, question: question))
            print("\nSee the model answer with `rounds questions show \(question.id) --answer`.")
        }
    }
}
