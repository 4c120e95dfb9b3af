import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Rounds' speed and print the figures.",
        discussion: """
            Build in release mode for meaningful figures: swift run -c release rounds bench feedback
            The SQL benchmarks need the sqlite3 command-line tool, their baseline.
            """,
        subcommands: [Feedback.self, EHR.self, Judge.self, History.self]
    )
}

extension BenchCommand {
    struct Feedback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the feedback engine over every question of the bank.",
            usage: "rounds bench feedback [--rounds <rounds>] [--content <folder> ...]\n[--json]",
            discussion: """
                Each question is answered with its own model answer and with three weaker answers made \
                from it (its first third, its sentences reversed, and its key terms as a bare list), so the \
                run covers strong, partial and list-like text. The baseline, measured in the same run on \
                the same answers, is the unavoidable part: splitting, lower-casing and stemming the answer \
                once. The lexical engine (words only, no sentence encoder) is timed on the same answers, so \
                the cost of matching by meaning shows as a ratio too. Preparing each question (embedding its \
                rubric exemplars and the claims that apply to it) happens once per question per process and \
                is timed apart.
                """
        )

        @Option(help: "Times to evaluate the whole set.") var rounds = 1
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print the figures as JSON.") var json = false

        struct Figures: Encodable {
            let questions: Int
            let answers: Int
            let evaluations: Int
            let meanMicroseconds: Double
            let p50Microseconds: Double
            let p95Microseconds: Double
            let baselineMeanMicroseconds: Double
            let ratioToBaseline: Double
            let lexicalMeanMicroseconds: Double
            let lexicalP95Microseconds: Double
            let ratioToLexical: Double
            let preparationSeconds: Double
        }

        mutating func run() async throws {
            let library = content.load()
            let engine = FeedbackEngine(globalMisconceptions: library.globalMisconceptions, facts: library.facts)
            var cases: [(Question, String)] = []
            for question in library.questions {
                let answer = question.modelAnswer
                let words = answer.split(separator: " ")
                let sentences = QuestionSearch.sentences(answer)
                let terms = question.rubric.compactMap(\.evidence.first).joined(separator: ", ")
                cases += [
                    (question, answer), (question, words.prefix(words.count / 3).joined(separator: " ")),
                    (question, sentences.reversed().joined(separator: " ")), (question, terms),
                ]
            }
            guard !cases.isEmpty else { throw ValidationError("the bank has no questions to measure.") }
            let lexical = FeedbackEngine(
                globalMisconceptions: library.globalMisconceptions, facts: library.facts, encoder: nil)
            let clock = ContinuousClock()
            var samples: [Double] = []
            var lexicalSamples: [Double] = []
            var baseline: [Double] = []
            var sink = 0
            let preparation = clock.measure {
                for question in library.questions { sink &+= engine.evaluate("", for: question).score }
            }
            for _ in 0..<rounds {
                for (question, answer) in cases {
                    let base = clock.measure { sink &+= AnalyzedText(answer).tokens.count }
                    baseline.append(Self.microseconds(base))
                    let words = clock.measure { sink &+= lexical.evaluate(answer, for: question).score }
                    lexicalSamples.append(Self.microseconds(words))
                    let full = clock.measure { sink &+= engine.evaluate(answer, for: question).score }
                    samples.append(Self.microseconds(full))
                }
            }
            samples.sort()
            lexicalSamples.sort()
            let lexicalMean = lexicalSamples.reduce(0, +) / Double(lexicalSamples.count)
            let mean = samples.reduce(0, +) / Double(samples.count)
            let baseMean = baseline.reduce(0, +) / Double(baseline.count)
            let figures = Figures(
                questions: library.questions.count, answers: cases.count, evaluations: samples.count,
                meanMicroseconds: mean,
                p50Microseconds: samples[samples.count / 2],
                p95Microseconds: samples[Int(Double(samples.count) * 0.95)],
                baselineMeanMicroseconds: baseMean, ratioToBaseline: mean / baseMean,
                lexicalMeanMicroseconds: lexicalMean,
                lexicalP95Microseconds: lexicalSamples[Int(Double(lexicalSamples.count) * 0.95)],
                ratioToLexical: mean / lexicalMean, preparationSeconds: Self.microseconds(preparation) / 1e6)
            if json {
                try Terminal.printJSON(figures)
            } else {
                print(
                    "Feedback engine: \(figures.questions) questions, \(figures.answers) answers, \(figures.evaluations) evaluations (checksum \(sink % 1000))"
                )
                print(
                    String(
                        format: "  mean %.0f µs · p50 %.0f µs · p95 %.0f µs per answer", mean, figures.p50Microseconds,
                        figures.p95Microseconds))
                print(String(format: "  baseline (analysing the text once): mean %.0f µs", baseMean))
                print(String(format: "  engine / baseline: %.1f×", figures.ratioToBaseline))
                print(
                    String(
                        format: "  lexical engine (words only): mean %.0f µs · p95 %.0f µs; engine / lexical: %.1f×",
                        lexicalMean, figures.lexicalP95Microseconds, figures.ratioToLexical))
                print(
                    String(
                        format: "  preparing the %d questions once (embedding exemplars and claims): %.1f s",
                        figures.questions, figures.preparationSeconds))
            }
        }

        static func microseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
        }
    }
}
