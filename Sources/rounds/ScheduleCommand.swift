import ArgumentParser
import Foundation
import RoundsCore

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Explain the spaced-repetition schedule.",
        subcommands: [Replay.self]
    )
}

extension ScheduleCommand {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show FSRS-6's memory state and next interval after a history of reviews.",
            usage: "rounds schedule replay --ratings <list> [--days <list>] [--retention <r>]\n[--json]",
            discussion: """
                Each review has a rating (1 Again, 2 Hard, 3 Good, 4 Easy) and the whole days since the \
                previous review (the first review's days are ignored). Without --days, each review is \
                taken to happen on the day it fell due.

                Stability is the number of days until the chance of recall falls to 90%; difficulty runs \
                from 1 (easy) to 10 (hard); R is the chance of recall at the moment of each review. The \
                next interval is when recall is expected to fall to the desired retention.

                Examples:
                  rounds schedule replay --ratings 1,3,3 --days 0,1,3
                  rounds schedule replay --ratings 3,3,3,3 --retention 0.95 --json
                """
        )

        @Option(help: ArgumentHelp("Ratings, comma-separated: 1 Again, 2 Hard, 3 Good, 4 Easy.", valueName: "list"))
        var ratings: String

        @Option(
            help: ArgumentHelp(
                "Whole days since the previous review, comma-separated, one per rating.", valueName: "list"))
        var days: String?

        @Option(help: ArgumentHelp("Desired retention, 0.70 to 0.97.", valueName: "r"))
        var retention = 0.9

        @Flag(
            help:
                "Print JSON: {retention, reviews: [{rating, elapsedDays, retrievability, stability, difficulty, interval}]}."
        )
        var json = false

        struct Step: Encodable {
            let rating: Int
            let elapsedDays: Int
            /// The chance of recall at the review; absent for the first.
            let retrievability: Double?
            let stability: Double
            let difficulty: Double
            let interval: Int
        }

        struct Report: Encodable {
            let retention: Double
            let reviews: [Step]
        }

        func parsedRatings() throws -> [Rating] {
            try ratings.split(separator: ",").enumerated().map { index, text in
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), let rating = Rating(rawValue: value)
                else {
                    throw ValidationError("--ratings item \(index + 1) is '\(text)'; each rating must be 1, 2, 3 or 4.")
                }
                return rating
            }
        }

        func parsedDays(count: Int) throws -> [Int]? {
            guard let days else { return nil }
            let values = try days.split(separator: ",").enumerated().map { index, text in
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                    throw ValidationError(
                        "--days item \(index + 1) is '\(text)'; days must be whole numbers, 0 or more.")
                }
                return value
            }
            guard values.count == count else {
                throw ValidationError(
                    "--days has \(values.count) items but --ratings has \(count); give one per review.")
            }
            return values
        }

        mutating func validate() throws {
            guard FSRS.retentionRange.contains(retention) else {
                throw ValidationError("--retention must be between 0.70 and 0.97, got \(retention).")
            }
            let count = try parsedRatings().count
            guard count > 0 else { throw ValidationError("--ratings is empty; give at least one rating.") }
            _ = try parsedDays(count: count)
        }

        mutating func run() async throws {
            let fsrs = FSRS(desiredRetention: retention)
            let ratings = try parsedRatings()
            let days = try parsedDays(count: ratings.count)
            var state: MemoryState?
            var steps: [Step] = []
            for (index, rating) in ratings.enumerated() {
                let elapsed = index == 0 ? 0 : (days?[index] ?? steps[index - 1].interval)
                let r = state.map { fsrs.retrievability(elapsedDays: Double(elapsed), stability: $0.stability) }
                state = fsrs.nextState(state, elapsedDays: elapsed, rating: rating)
                steps.append(
                    Step(
                        rating: rating.rawValue, elapsedDays: elapsed, retrievability: r, stability: state!.stability,
                        difficulty: state!.difficulty, interval: fsrs.interval(stability: state!.stability)))
            }
            if json {
                try Terminal.printJSON(Report(retention: retention, reviews: steps))
                return
            }
            print("  #  rating  after    R    stability  difficulty  next in")
            for (index, step) in steps.enumerated() {
                let rating = Rating(rawValue: step.rating)!.name
                let r = step.retrievability.map { String(format: "%3.0f%%", $0 * 100) } ?? "   -"
                print(
                    String(format: "%3d  ", index + 1) + Terminal.pad(rating, 6)
                        + String(
                            format: "  %4dd  %@  %9.2fd  %10.2f  %6dd", step.elapsedDays, r, step.stability,
                            step.difficulty, step.interval))
            }
            let last = steps[steps.count - 1]
            print(
                Terminal.wrap(
                    "\nAfter these reviews the answer is expected to stay above \(Int(retention * 100))% recall for \(last.interval) day\(last.interval == 1 ? "" : "s"), so it falls due then."
                ))
        }
    }
}
