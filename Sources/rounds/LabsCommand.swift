import ArgumentParser
import FHIR
import Foundation
import RoundsContent
import RoundsCore
import RoundsLabs
import RoundsStore
import SyntheticEHR

struct LabsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labs",
        abstract: "Hands-on HL7 v2, FHIR and SQL labs, graded on the spot.",
        discussion: """
            A lab gives you a message, a resource or a clinical question; you hand in answers, a corrected \
            message, a FHIR resource or Bundle, a search URL, or SQL, and Rounds grades it. HL7 v2 and FHIR \
            work is checked with Rounds' own libraries; SQL runs in a locked-down sandbox on a synthetic EHR \
            (built on first use; see `rounds ehr`) and on a hidden variant of it. Every problem is reported \
            with where it is and what to do.

            Examples:
              rounds labs list --kind sql
              rounds labs show sql-patients-over-65-by-condition
              rounds labs run sql-patients-over-65-by-condition --sql query.sql
              rounds labs submit sql-patients-over-65-by-condition --sql query.sql
              rounds labs submit hl7-read-patient-identifiers --file answers.txt
              rounds labs show fhir-write-condition --solution
            """,
        subcommands: [List.self, Show.self, Run.self, Submit.self]
    )
}

/// `--kind`: an area (`hl7`, `fhir`, `sql`: the labs in Content/labs/<area>) or one kind.
enum LabKindFilter: ExpressibleByArgument {
    case area(String)
    case kind(Lab.Kind)

    init?(argument: String) {
        if let kind = Lab.Kind(rawValue: argument) {
            self = .kind(kind)
        } else if argument == "hl7" || argument == "fhir" {
            self = .area(argument)
        } else if let kind = Lab.Kind(rawValue: argument) {
            self = .kind(kind)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ["hl7", "fhir"] + Lab.Kind.allCases.map(\.rawValue) }

    /// `sql` is both an area and a kind; as a filter it means the area (queries and tuning).
    func accepts(_ kind: Lab.Kind) -> Bool {
        switch self {
        case .area(let area): kind.area == area
        case .kind(.sql): kind.area == "sql"
        case .kind(let wanted): kind == wanted
        }
    }
}

extension LabsCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the labs, optionally filtered.",
            usage:
                "rounds labs list [--kind <kind>] [--level <level>]\n[--content <folder> ...] [--db <path>] [--json]"
        )

        @Option(
            help: ArgumentHelp(
                "Only labs of this area (hl7, fhir, sql) or kind (\(Lab.Kind.allCases.map(\.rawValue).joined(separator: ", "))).",
                valueName: "kind"))
        var kind: LabKindFilter?
        @Option(help: ArgumentHelp("Only labs at this level.", valueName: "level"))
        var level: Level?
        @OptionGroup var content: ContentOptions
        @OptionGroup var storeOptions: StoreOptions
        @Flag(help: "Print JSON: an array of {id, title, level, kind, minutes, skills, roles, status}.")
        var json = false

        mutating func run() async throws {
            let labs = content.load().labs.filter { lab in
                (kind.map { $0.accepts(lab.kind) } ?? true) && (level.map { lab.level == $0 } ?? true)
            }
            // Statuses come from your history; listing never creates a database that is not there.
            var history = LabHistory()
            let location = storeOptions.location
            if location.kind == .postgres || FileManager.default.fileExists(atPath: location.sqlitePath) {
                let store = try await storeOptions.open()
                let learner = try await store.learner(named: StoreOptions.localLearner)
                history = try await LabHistory.read(learnerID: learner.id, store: store)
            }
            let now = Date()
            func status(_ lab: Lab) -> LabStatus { history.status(of: lab, now: now) }
            if json {
                try Terminal.printJSON(labs.map { LabSummary($0, status: status($0)) })
                return
            }
            for lab in labs {
                let mark = status(lab) == .new ? "" : ", \(status(lab).label.lowercased())"
                Terminal.printListing(
                    id: lab.id, meta: "\(lab.level.rawValue), \(lab.kind.rawValue), \(lab.minutes) min\(mark)",
                    title: lab.title)
            }
            print("\(labs.count) lab\(labs.count == 1 ? "" : "s")")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a lab: the task, the material, and what to hand in.",
            discussion: "With --solution, also the solution and why it is right; try the lab first.")

        @Argument(help: "The lab's id (see `rounds labs list`).") var id: String
        @Flag(help: "Also show the solution and the explanation.") var solution = false
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print the whole lab as JSON (the solution only with --solution).") var json = false

        mutating func run() async throws {
            let library = content.load()
            let lab = try LabsCommand.find(id, in: library)
            if json {
                try Terminal.printJSON(LabView(lab, solution: solution))
                return
            }
            print(lab.title)
            print("\(lab.level.rawValue) · \(lab.kind.label) · about \(lab.minutes) minutes\n")
            print(Terminal.reflow(lab.task))
            if let message = lab.message {
                print("\nMessage:\n")
                print(message.replacingOccurrences(of: "\r", with: "\n"))
            }
            if lab.kind == .fhirOutcome, let resource = lab.resource {
                print("\nResource:\n\n\(resource)")
                print("\nOperationOutcome from `rounds fhir validate`:\n")
                print(FHIRValidator().validate(resource).operationOutcome.pretty)
            }
            if let spec = lab.sql {
                if let slow = spec.slowQuery { print("\nThe slow query:\n\n\(slow)") }
                print("\nTables (read only these):")
                print(SQLLabText.schema(for: lab))
                print(SQLLabText.rules(for: lab))
            }
            if !lab.prompts.isEmpty {
                print("\nQuestions (answer as `id: answer`, one per line):")
                for prompt in lab.prompts {
                    print(Terminal.wrap(prompt.ask, indent: "    ", firstIndent: "  \(prompt.id): "))
                }
            }
            if !lab.hints.isEmpty {
                print("\nHints:")
                for hint in lab.hints {
                    print(Terminal.wrap(Terminal.inline(hint), indent: "    ", firstIndent: "  - "))
                }
            }
            print(
                lab.kind.takesSQL
                    ? "\nTry it (not graded): rounds labs run \(lab.id) --sql FILE\nHand it in: rounds labs submit \(lab.id) --sql FILE"
                    : "\nHand it in: rounds labs submit \(lab.id) --file FILE")
            if solution {
                print("\nSolution:\n\n\(lab.solution.replacingOccurrences(of: "\r", with: "\n"))\n")
                print(Terminal.reflow(lab.explanation))
            }
            if !lab.sources.isEmpty {
                print("\nSources:")
                for source in lab.sources {
                    print(Terminal.wrap("\(source.title): \(source.url)", indent: "    ", firstIndent: "  - "))
                }
            }
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "submit",
            abstract: "Hand in your work for a lab and get it graded.",
            usage: "rounds labs submit <id> [--file <path>] [--content <folder> ...]\n[--db <path>] [--json]",
            discussion: """
                Reads the hand-in from --file, from standard input when piped, or from the terminal until \
                Ctrl-D. The hand-in is kept in your history (the same database as `rounds practice`); an \
                accepted one schedules the lab's next review, as an answer does for a question. Exits 0 \
                when it is accepted and 1 when it is not, so scripts can use it.

                Examples:
                  rounds labs submit fhir-search-patient-name <<< 'Patient?family=riv&birthdate=lt1990'
                  rounds labs submit fhir-write-condition --file condition.json --json
                """,
            aliases: ["check"])

        @Argument(help: "The lab's id.") var id: String
        @Option(
            name: [.customLong("file"), .customLong("sql")],
            help: ArgumentHelp("Read the hand-in from this file ('-' for standard input).", valueName: "path"))
        var file: String?
        @OptionGroup var content: ContentOptions
        @OptionGroup var storeOptions: StoreOptions
        @Flag(
            help:
                "Print JSON: {lab, accepted, score, findings: [{status, location, message}], nextReview, verdict (SQL labs: kind, message, hint, result, unexpected, tuning; the answer's own rows are never shown)}."
        ) var json = false

        struct Output: Encodable {
            let lab: String
            let accepted: Bool
            let score: Int
            let findings: [LabResult.Finding]
            /// When the lab comes back for review, if this hand-in scheduled it.
            let nextReview: Date?
            /// SQL labs: the whole verdict.
            let verdict: SQLJudge.Verdict?
        }

        mutating func run() async throws {
            let library = content.load()
            let lab = try LabsCommand.find(id, in: library)
            let text = try AnswerInput.read(
                file: file,
                prompt: "Hand in your \(lab.kind.takesAnswers ? "answers (id: answer)" : "work"); end with Ctrl-D:",
                limit: LabGrader.maximumLength, toEndOfInput: true)
            var verdict: SQLJudge.Verdict?
            let result: LabResult
            if lab.kind.takesSQL {
                let grader = try SQLLabText.grader(library)
                verdict = grader.gradeSQL(lab, text)
                result = verdict!.labResult
            } else {
                result = LabGrader(fixtures: library.labFixtures).grade(lab, submission: text)
            }
            if verdict?.kind == .unavailable {
                throw ValidationError(verdict!.message)
            }
            let store = try await storeOptions.open()
            let learner = try await store.learner(named: StoreOptions.localLearner)
            let (_, review) = try await LabRecorder(store: store, learner: learner)
                .record(labID: lab.id, submission: text, result: result, at: Date())
            if json {
                try Terminal.printJSON(
                    Output(
                        lab: lab.id, accepted: result.accepted, score: result.score, findings: result.findings,
                        nextReview: review?.card.due, verdict: verdict))
            } else if let verdict {
                print(SQLLabText.render(verdict))
                if verdict.accepted {
                    print(
                        "\n`rounds labs show \(lab.id) --solution` compares with the reference."
                            + (review.map {
                                " Rated \($0.rating.name); it comes back for review \($0.card.due.formatted(date: .abbreviated, time: .omitted))."
                            } ?? ""))
                }
            } else {
                for finding in result.findings {
                    let mark =
                        switch finding.status {
                        case .passed: "✓"
                        case .failed: "✗"
                        case .note: "·"
                        }
                    let location = finding.location.map { "\($0): " } ?? ""
                    print(Terminal.marked(mark, location + finding.message))
                }
                print(
                    result.accepted
                        ? "\nAccepted (\(result.score)/100). `rounds labs show \(lab.id) --solution` compares with the reference."
                            + (review.map {
                                " Rated \($0.rating.name); it comes back for review \($0.card.due.formatted(date: .abbreviated, time: .omitted))."
                            } ?? "")
                        : "\nNot yet: \(result.score)/100 of the checks pass. Fix the ✗ items and check again.")
            }
            if !result.accepted { throw ExitCode(1) }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run SQL for an SQL lab on the practice database and show the first rows (not graded).",
            usage: "rounds labs run <id> [--sql <path>] [--rows <rows>]\n[--content <folder> ...] [--json]",
            discussion: """
                The query runs in the same sandbox as a graded hand-in, on the visible database only, and \
                nothing is recorded. Reads --sql, standard input when piped, or the terminal until Ctrl-D.

                Example:
                  rounds labs run sql-visits-by-department-month --sql query.sql
                  echo "SELECT COUNT(*) FROM patients" | rounds labs run sql-patients-over-65-by-condition
                """)

        @Argument(help: "The lab's id.") var id: String
        @Option(help: ArgumentHelp("Read the SQL from this file ('-' for standard input).", valueName: "path"))
        var sql: String?
        @Option(help: "Rows to show.") var rows = 20
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: {lab, columns, rows, truncated, seconds} or {lab, error}.") var json = false

        struct Output: Encodable {
            let lab: String
            let columns: [String]?
            let rows: [[SQLValue]]?
            let truncated: Bool?
            let seconds: Double?
            let error: String?
        }

        mutating func run() async throws {
            let library = content.load()
            let lab = try LabsCommand.find(id, in: library)
            guard lab.kind.takesSQL else {
                throw ValidationError(
                    "\(lab.id) is not an SQL lab; hand it in with `rounds labs submit \(lab.id) --file FILE`.")
            }
            let text = try AnswerInput.read(
                file: sql, prompt: "Write your SQL; end with Ctrl-D:", limit: SQLSandbox.Limits().sqlLength,
                toEndOfInput: true)
            let grader = try SQLLabText.grader(library)
            guard let judge = grader.sql else { return }
            switch try judge.run(lab, sql: text) {
            case .success(let outcome):
                if json {
                    let table = outcome.table.prefix(rows)
                    try Terminal.printJSON(
                        Output(
                            lab: lab.id, columns: table.columns, rows: table.rows, truncated: table.truncated,
                            seconds: outcome.seconds, error: nil))
                } else {
                    print(outcome.table.rendered(limit: rows))
                    let shown = min(rows, outcome.table.rows.count)
                    let more = outcome.table.truncated || outcome.table.rows.count > rows ? " (there are more)" : ""
                    print(
                        "\n"
                            + Terminal.wrap(
                                "\(shown) row\(shown == 1 ? "" : "s") shown\(more) · \(String(format: "%.1f", outcome.seconds * 1000)) ms. Not graded: `rounds labs submit \(lab.id) --sql FILE` grades it."
                            ))
                }
            case .failure(let failure):
                if json {
                    try Terminal.printJSON(
                        Output(
                            lab: lab.id, columns: nil, rows: nil, truncated: nil, seconds: nil,
                            error: failure.description))
                } else {
                    Terminal.standardError(failure.description)
                }
                throw ExitCode(1)
            }
        }
    }

    static func find(_ id: String, in library: ContentLibrary) throws -> Lab {
        if let lab = library.lab(id: id) { return lab }
        let near = library.labs.map(\.id).filter { $0.contains(id) || id.contains($0) }.prefix(3)
        throw ValidationError(
            "no lab '\(id)'."
                + (near.isEmpty ? " `rounds labs list` lists them." : " Did you mean \(near.joined(separator: ", "))?"))
    }
}

/// A lab as JSON output shows it: the solution only when asked for.
struct LabView: Encodable {
    let id, title, level, kind, task: String
    let minutes: Int
    let skills, roles, hints: [String]
    let message, resource, solution, explanation: String?
    let questions: [Question]
    let sources: [Source]
    /// SQL labs: the tables, with their columns.
    let tables: [EHRSchema.Table]?
    let order: [String]?
    let columns: [String]?
    let slowQuery: String?

    struct Question: Encodable {
        let id, ask: String
    }

    init(_ lab: Lab, solution: Bool) {
        id = lab.id
        title = lab.title
        level = lab.level.rawValue
        kind = lab.kind.rawValue
        task = lab.task
        minutes = lab.minutes
        skills = lab.skills
        roles = lab.roles
        hints = lab.hints
        message = lab.message?.replacingOccurrences(of: "\r", with: "\n")
        resource = lab.resource
        questions = lab.prompts.map { Question(id: $0.id, ask: $0.ask) }
        sources = lab.sources
        self.solution = solution ? lab.solution.replacingOccurrences(of: "\r", with: "\n") : nil
        explanation = solution ? lab.explanation : nil
        tables = lab.sql.map { $0.tables.compactMap(EHRSchema.table) }
        order = lab.sql?.order
        columns = lab.sql?.columns
        slowQuery = lab.sql?.slowQuery
    }
}
