import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore

struct QuestionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questions",
        abstract: "Browse and search the question bank.",
        subcommands: [List.self, Show.self, Search.self]
    )
}

extension Level: ExpressibleByArgument {}
extension QuestionKind: ExpressibleByArgument {}

/// The filters shared by `list` and `search`.
struct QuestionFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only questions that train this skill id.", valueName: "skill"))
    var skill: String?

    @Option(help: ArgumentHelp("Only questions at this level (beginner, intermediate, advanced).", valueName: "level"))
    var level: Level?

    @Option(help: ArgumentHelp("Only questions tagged for this role id.", valueName: "role"))
    var role: String?

    @Option(
        help: ArgumentHelp(
            "Only questions of this kind (concept, scenario, behavioral, design, explain, code).", valueName: "kind"))
    var kind: QuestionKind?

    /// The filter, after checking that the skill and role exist.
    func filter(in library: ContentLibrary) throws -> QuestionFilter {
        if let skill, library.skill(id: skill) == nil {
            throw ValidationError(
                "unknown skill '\(skill)'. Skills: \(library.skills.map(\.id).joined(separator: ", ")).")
        }
        if let role, library.role(id: role) == nil {
            throw ValidationError("unknown role '\(role)'. Roles: \(library.roles.map(\.id).joined(separator: ", ")).")
        }
        return QuestionFilter(skill: skill, level: level, role: role, kind: kind)
    }
}

extension QuestionsCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List questions, optionally filtered.",
            usage:
                "rounds questions list [--skill <skill>] [--level <level>] [--role <role>]\n[--kind <kind>] [--content <folder> ...] [--json]",
            discussion: """
                Questions are ordered by skill, level and id. Filters combine: every one given must match.

                Examples:
                  rounds questions list --role ehr-integration-analyst --level advanced
                  rounds questions list --kind behavioral --json
                """
        )

        @OptionGroup var filters: QuestionFilterOptions
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: an array of {id, title, level, kind, skills, roles, minutes}.")
        var json = false

        mutating func run() async throws {
            let library = content.load()
            let questions = library.questions(matching: try filters.filter(in: library))
            if json {
                try Terminal.printJSON(questions.map(QuestionSummary.init))
                return
            }
            for question in questions {
                Terminal.printListing(
                    id: question.id,
                    meta: "\(question.level.rawValue), \(question.kind.rawValue), \(question.minutes) min",
                    title: question.title)
            }
            print("\(questions.count) question\(questions.count == 1 ? "" : "s")")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a question; reveal its model answer, rubric, tip and pitfalls on request.",
            usage:
                "rounds questions show <id> [--answer] [--rubric] [--tip] [--pitfalls]\n[--all] [--content <folder> ...] [--json]",
            discussion: """
                By default only the question is shown, so you can answer it first. Add --answer, --rubric, \
                --tip or --pitfalls to reveal one part, or --all for everything. In a terminal, Rounds \
                offers to reveal the rest after showing the question.

                Examples:
                  rounds questions show fhir-vs-hl7v2
                  rounds questions show fhir-vs-hl7v2 --all
                  rounds questions show fhir-vs-hl7v2 --json
                """
        )

        @Argument(help: "The question's id.")
        var id: String

        @Flag(help: "Show the model answer.") var answer = false
        @Flag(help: "Show the rubric and the misconceptions it watches for.") var rubric = false
        @Flag(help: "Show the delivery tip.") var tip = false
        @Flag(help: "Show the common pitfalls.") var pitfalls = false
        @Flag(help: "Show everything.") var all = false
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print the whole question as JSON.") var json = false

        mutating func run() async throws {
            let library = content.load()
            guard let question = library.question(id: id) else {
                let close = QuestionSearch(library: library).search(
                    id.replacingOccurrences(of: "-", with: " "), limit: 3)
                var message = "no question has the id '\(id)'."
                if !close.isEmpty { message += " Did you mean: \(close.map(\.id).joined(separator: ", "))?" }
                throw ValidationError(message + " List ids with `rounds questions list`.")
            }
            if json {
                try Terminal.printJSON(question)
                return
            }
            print(QuestionRenderer.header(question, library: library))
            var parts = Set<QuestionRenderer.Part>()
            if answer || all { parts.insert(.answer) }
            if rubric || all { parts.insert(.rubric) }
            if tip || all { parts.insert(.tip) }
            if pitfalls || all { parts.insert(.pitfalls) }
            if parts.isEmpty {
                if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
                    print(
                        "\nPress Enter to reveal the model answer, rubric, tip and pitfalls (or q to quit): ",
                        terminator: "")
                    guard let reply = Terminal.readLine(), reply.lowercased() != "q" else { return }
                    parts = Set(QuestionRenderer.Part.allCases)
                } else {
                    print("\nReveal the model answer with --answer, or everything with --all.")
                    return
                }
            }
            print(QuestionRenderer.parts(question, parts))
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search titles, rubrics and answers; best matches first.",
            usage:
                "rounds questions search <text> ... [--skill <skill>] [--level <level>]\n[--role <role>] [--kind <kind>] [--limit <limit>]\n[--content <folder> ...] [--json]",
            discussion: """
                Words are matched by stem, so "encrypting" finds "encryption". Questions containing more of \
                the query's words rank higher; words in a title count more than words in an answer.

                Examples:
                  rounds questions search "missing data imputation"
                  rounds questions search ransomware --role healthcare-security-engineer --json
                """
        )

        @Argument(help: "The words to search for.")
        var text: [String]

        @OptionGroup var filters: QuestionFilterOptions
        @Option(help: "The most results to show.") var limit = 10
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: an array of {id, title, score, excerpt}.") var json = false

        mutating func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        }

        mutating func run() async throws {
            let library = content.load()
            let query = text.joined(separator: " ")
            let hits = QuestionSearch(library: library).search(
                query, filter: try filters.filter(in: library), limit: limit)
            if json {
                try Terminal.printJSON(hits)
                return
            }
            guard !hits.isEmpty else {
                print("No question matches \"\(query)\".")
                return
            }
            for (rank, hit) in hits.enumerated() {
                let number = "\(rank + 1). "
                print(Terminal.wrap(hit.title, indent: "   ", firstIndent: number))
                print("   \(hit.id)")
                if let excerpt = hit.excerpt {
                    print(Terminal.wrap("“" + excerpt + "”", indent: "   "))
                }
                print()
            }
        }
    }
}
