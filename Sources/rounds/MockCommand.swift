import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "A timed mock interview for a role, with one report at the end.",
        usage:
            "rounds mock [--role <role>] [--level <level>] [--minutes <minutes>]\n[--seed <n>] [--db <path>] [--content <folder> ...] [--json]",
        discussion: """
            Questions of mixed kinds (behavioural, technical, design, code or explain) tagged for the \
            role, chosen to fill the time. The clock shows before each question. As in a real interview \
            there is no feedback until the end; then you get a report: each answer's score and band, \
            totals per skill, and what to practise next. When time runs out, the answer you are typing \
            is the last one. Every answer is saved and scheduled like practice.

            Examples:
              rounds mock --role healthcare-data-analyst
              rounds mock --role cloud-devops-engineer --level advanced --minutes 45
            """
    )

    @Option(
        help: ArgumentHelp(
            "The role id to interview for. Default: the target role saved with `rounds settings --role`.",
            valueName: "role"))
    var role: String?
    @Option(help: ArgumentHelp("Only questions at this level.", valueName: "level")) var level: Level?
    @Option(help: "The length of the interview, 10 to 120 minutes.") var minutes = 30
    @Option(help: ArgumentHelp("Seed for the choice of questions, to replay the same interview.", valueName: "n"))
    var seed: UInt64?
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var content: ContentOptions
    @Flag(help: "Print the final report as JSON.") var json = false

    mutating func validate() throws {
        guard (10...120).contains(minutes) else { throw ValidationError("--minutes must be between 10 and 120.") }
    }

    mutating func run() async throws {
        let library = content.load()
        let store = try await storeOptions.open()
        let learner = try await store.learner(named: StoreOptions.localLearner)
        let roles = library.roles.map(\.id).joined(separator: ", ")
        guard let role = role ?? learner.settings.targetRole else {
            throw ValidationError(
                "which role is the interview for? Give --role, or save a target role with `rounds settings --role ROLE`. Roles: \(roles)."
            )
        }
        guard let targetRole = library.role(id: role) else {
            throw ValidationError("unknown role '\(role)'. Roles: \(roles).")
        }
        var cards = try await store.currentCards(learnerID: learner.id)
        let seed = seed ?? UInt64(Date().timeIntervalSince1970)
        let plan = MockPlanner().plan(
            questions: library.questions, role: role, level: level, minutes: minutes, answered: Set(cards.keys),
            seed: seed)
        guard !plan.isEmpty else {
            throw ValidationError(
                "no question is tagged for \(targetRole.name)\(level.map { " at \($0.rawValue) level" } ?? "").")
        }
        let start = Date()
        let deadline = start.addingTimeInterval(Double(minutes) * 60)
        let session = try await store.startSession(
            PracticeSession(
                id: 0, learnerID: learner.id, kind: .mock, startedAt: start, role: role, level: level, minutes: minutes)
        )
        let sessionID = session.id
        let interrupt = InterruptHandler {
            blocking { try? await store.endSession(id: sessionID, at: Date()) }
            print("\n\nMock interview stopped; the answers given so far are saved.")
        }
        defer { interrupt.cancel() }

        let engine = FeedbackEngine(
            globalMisconceptions: library.globalMisconceptions, facts: library.facts,
            cacheFolder: FeedbackEngine.defaultCacheFolder())
        let recorder = AnswerRecorder(store: store, learner: learner)
        if !json {
            print(
                Terminal.wrap(
                    "Mock interview for \(targetRole.name): \(plan.count) questions, \(minutes) minutes. Answers: \(AnswerInput.endHint)."
                ))
        }
        var entries: [MockReport.Entry] = []
        for (index, question) in plan.enumerated() {
            let left = deadline.timeIntervalSince(Date())
            guard left >= 30 else { break }
            if !json {
                print("\n" + String(repeating: "─", count: Terminal.width))
                print(
                    "⏱  \(Self.clock(left)) left · question \(index + 1) of \(plan.count) · \(question.kind.rawValue), about \(question.minutes) min"
                )
                print(Terminal.wrap(question.title))
            }
            let asked = Date()
            let text = (AnswerInput.readAnswer() ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { break }
            let answeredAt = Date()
            let overTime = answeredAt > deadline
            let feedback = engine.evaluate(String(text.prefix(AnswerInput.maxCharacters)), for: question)
            let (attempt, card) = try await recorder.record(
                questionID: question.id, answer: text, score: feedback.score, band: feedback.band,
                rating: feedback.rating,
                overridden: false, summary: feedback.summaryLine, seconds: Int(answeredAt.timeIntervalSince(asked)),
                session: sessionID, current: cards[question.id], at: answeredAt)
            cards[question.id] = card
            entries.append(
                MockReport.Entry(
                    question: question, score: feedback.score, band: feedback.band,
                    seconds: Int(answeredAt.timeIntervalSince(asked)), overTime: overTime,
                    improvements: feedback.improvements, attemptID: attempt.id))
            if overTime {
                if !json { print("Time is up.") }
                break
            }
        }
        try await store.endSession(id: sessionID, at: Date())
        let report = MockReport(
            role: role, minutes: minutes, secondsUsed: Int(Date().timeIntervalSince(start)), planned: plan.count,
            entries: entries)
        if json {
            try Terminal.printJSON(report)
        } else {
            print(Self.render(report, library: library))
        }
    }

    static func render(_ report: MockReport, library: ContentLibrary) -> String {
        var lines = ["\n" + String(repeating: "═", count: Terminal.width), "MOCK INTERVIEW REPORT"]
        lines.append(
            "\(report.answered) of \(report.planned) questions answered in \(clock(Double(report.secondsUsed))) of \(report.minutes):00 · average score \(report.averageScore)"
        )
        lines.append("")
        for (index, entry) in report.entries.enumerated() {
            let band = Feedback.bandNames[entry.band]
            let time = entry.overTime ? " · over time" : ""
            lines.append(
                Terminal.wrap("\(entry.title)", indent: "    ", firstIndent: String(format: "%2d. ", index + 1)))
            lines.append(
                "    \(entry.kind.rawValue) · score \(entry.score) (\(band)) · \(clock(Double(entry.seconds)))\(time)")
        }
        lines.append("\nBy skill")
        for row in report.skills {
            lines.append(
                Terminal.pad(Terminal.truncate(library.skill(id: row.skill)?.name ?? row.skill, to: 40), 40) + " "
                    + Chart.bar(Double(row.score) / 100, width: 20) + String(format: " %3d", row.score))
        }
        var next = report.weakest.map { row in
            "Practise \(library.skill(id: row.skill)?.name ?? row.skill) (average \(row.score)): rounds practice --skill \(row.skill)"
        }
        if let top = report.topImprovement {
            next.insert("On “\(Terminal.truncate(top.title, to: 60))”: \(top.advice)", at: 0)
        }
        if !next.isEmpty {
            lines.append("\nWhat to practise next")
            for item in next { lines.append(Terminal.wrap(item, indent: "    ", firstIndent: "  - ")) }
        }
        return lines.joined(separator: "\n")
    }

    static func clock(_ seconds: Double) -> String {
        let total = max(0, Int(seconds))
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
