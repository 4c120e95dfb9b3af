import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsLabs

struct ContentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content",
        abstract: "Check and describe content packs.",
        subcommands: [Lint.self, Stats.self]
    )
}

extension ContentCommand {
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check content packs and report every problem as file:line.",
            usage:
                "rounds content lint [<path> ...] [--content <folder> ...] [--strict]\n[--verbose] [--json] [--stale] [--months <months>]",
            discussion: """
                With no PATH, checks the bundled bank and any extra packs. With PATHs (a pack folder, a \
                folder inside one, or a single question file), reports only problems in those files. A \
                PATH inside a complete pack (one with skills.yaml) is checked as that pack; a PATH inside \
                a pack without skills.yaml is checked on top of the bundled bank, as Rounds would load it.

                Exits 1 when there is any error. Warnings flag quality problems and do not change the \
                exit status unless --strict is given.

                Every question's rubric is also probed with the feedback engine: a comma-separated list of \
                its own evidence phrases must stay below band 2, and a sentence that rejects a \
                misconception ("It is a myth that …", "Rather than …") must not be flagged as holding it, \
                and neither the question's own model answer nor those of the questions sharing a skill \
                may be flagged as holding any of its claims.

                --stale adds a warning for each volatile question (fast-moving rules) whose \
                `reviewed:` month is more than --months months ago.

                Examples:
                  rounds content lint
                  rounds content lint ./team-pack
                  rounds content lint Content/questions/interoperability/fhir-vs-hl7v2.md
                  rounds content lint --stale --months 3
                """
        )

        @Argument(help: ArgumentHelp("Files or folders to check.", valueName: "path"))
        var paths: [String] = []

        @OptionGroup var content: ContentOptions

        @Flag(help: "Exit 1 on warnings too.")
        var strict = false

        @Flag(help: "Also print notes, such as questions replaced by a later pack.")
        var verbose = false

        @Flag(help: "Print the issues as JSON.")
        var json = false

        @Flag(help: "Also warn about volatile questions not reviewed within --months months.")
        var stale = false

        @Option(help: "With --stale: how many months a volatile question's review stays current.")
        var months = 6

        mutating func validate() throws {
            guard (1...120).contains(months) else {
                throw ValidationError("--months must be a whole number from 1 to 120, not \(months).")
            }
        }

        mutating func run() async throws {
            let extra = content.extraPacks.map { URL(fileURLWithPath: $0, isDirectory: true) }
            var packs = [ContentLoader.bundledPack()] + ContentLoader.extraPacks() + extra
            var focus: [String] = []
            for path in paths {
                let url = URL(fileURLWithPath: path).standardizedFileURL
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw ValidationError("\(path): no such file or folder.")
                }
                guard let pack = PackLocator.pack(containing: url) else {
                    throw ValidationError(
                        "\(path) is not inside a content pack. A pack is a folder with a questions/, labs/ or roles/ folder, or a skills.yaml file."
                    )
                }
                focus.append(url.path)
                if pack.isComplete {
                    if packs[0].standardizedFileURL.path != pack.root.path { packs[0] = pack.root }
                } else if !packs.contains(where: { $0.standardizedFileURL.path == pack.root.path }) {
                    packs.append(pack.root)
                }
            }
            let result = ContentLoader(packs: packs).load()
            // Labs are checked by running them: their own solution must pass and an empty hand-in must not;
            // SQL labs run on the lab databases, built here on first use.
            func inFocus(_ file: String) -> Bool {
                focus.isEmpty || focus.contains { file == $0 || file.hasPrefix($0 + "/") }
            }
            // Only the labs in focus are run: checking one question should not grade every lab.
            let labs = result.library.labs.filter { inFocus(result.library.labFiles[$0.id] ?? "") }
            let checker = LabChecker(
                grader: labs.contains { $0.kind.takesSQL }
                    ? try SQLLabText.grader(result.library) : LabGrader(fixtures: result.library.labFixtures))
            let labIssues = labs.flatMap { lab in
                checker.problems(in: lab).map {
                    ContentIssue(
                        .error, file: result.library.labFiles[lab.id] ?? lab.id, line: nil, field: "lab", message: $0,
                        fix:
                            "make the solution, the expected values and the material agree (`rounds labs submit \(lab.id)`)."
                    )
                }
            }
            let probed = result.library.questions.filter { inFocus(result.library.questionFiles[$0.id] ?? "") }
            var rubricIssues = Self.probe(probed, in: result.library)
            if stale {
                rubricIssues += result.library.staleQuestions(months: months).map { question in
                    let file = result.library.questionFiles[question.id] ?? question.id
                    let when = question.reviewed.map { "was last reviewed in \($0)" } ?? "has no `reviewed:` month"
                    return ContentIssue(
                        .warning, file: file, line: Self.line(of: "reviewed:", in: file), field: "reviewed",
                        message: "a volatile question \(when), more than \(months) months ago.",
                        fix:
                            "check its facts against the sources again, fix what changed, and set `reviewed:` to this month."
                    )
                }
            }
            let shown = (result.issues + labIssues + rubricIssues).filter { issue in
                (verbose || issue.severity != .note) && inFocus(issue.file)
            }
            let errors = shown.filter { $0.severity == .error }.count
            let warnings = shown.filter { $0.severity == .warning }.count
            if json {
                try Terminal.printJSON(LintReport(errors: errors, warnings: warnings, issues: shown))
            } else {
                for issue in shown { print(issue.description) }
                var summary = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
                if focus.isEmpty {
                    summary +=
                        "; \(result.library.questions.count) questions and \(result.library.labs.count) labs loaded"
                }
                print(summary)
            }
            if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
        }

        /// The rubric probes (``RubricProbe``) of `questions`, as warnings on their files.
        static func probe(_ questions: [Question], in library: ContentLibrary) -> [ContentIssue] {
            guard !questions.isEmpty else { return [] }
            let probe = RubricProbe(globalMisconceptions: library.globalMisconceptions, facts: library.facts)
            // Right answers on nearby topics: the model answers of the questions that share a skill,
            // each analysed once, and only those that the questions checked here need.
            var bySkill: [String: [Question]] = [:]
            for question in library.questions {
                for skill in question.skills { bySkill[skill, default: []].append(question) }
            }
            let peerIDs = { (question: Question) in Set(question.skills.flatMap { bySkill[$0] ?? [] }.map(\.id)) }
            let needed = Set(questions.flatMap(peerIDs))
            let analyzed = Dictionary(
                uniqueKeysWithValues: library.questions.filter { needed.contains($0.id) }.map {
                    ($0.id, RubricProbe.Peer($0))
                })
            return questions.flatMap { question in
                let file = library.questionFiles[question.id] ?? question.id
                let peers = peerIDs(question).sorted().compactMap { analyzed[$0] }
                return probe.problems(in: question, peers: peers).map { problem in
                    ContentIssue(
                        .warning, file: file, line: line(of: problem.phrase ?? "rubric:", in: file),
                        field: problem.field, message: problem.message, fix: problem.fix)
                }
            }
        }

        /// The first line of `file` that contains `text`, for pointing at a problem found after loading.
        static func line(of text: String, in file: String) -> Int? {
            guard !text.isEmpty, let contents = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
            return contents.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                $0.contains(text)
            }.map { $0 + 1 }
        }
    }

    struct LintReport: Encodable {
        let errors: Int
        let warnings: Int
        let issues: [ContentIssue]
    }
}

/// Finds the pack a path belongs to.
enum PackLocator {
    struct Pack {
        let root: URL
        /// A complete pack defines its own skills, so it can be checked on its own.
        let isComplete: Bool
    }

    static func pack(containing url: URL) -> Pack? {
        let fileManager = FileManager.default
        var candidate = url
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            candidate = url.deletingLastPathComponent()
        }
        var partial: URL?
        while true {
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("skills.yaml").path) {
                return Pack(root: candidate, isComplete: true)
            }
            if partial == nil,
                fileManager.fileExists(atPath: candidate.appendingPathComponent("questions").path)
                    || fileManager.fileExists(atPath: candidate.appendingPathComponent("roles").path)
                    || fileManager.fileExists(atPath: candidate.appendingPathComponent("labs").path)
            {
                partial = candidate
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        return partial.map { Pack(root: $0, isComplete: false) }
    }
}

extension ContentCommand {
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count questions by skill and level, by role and by kind.",
            discussion: """
                Counts cover the bank as loaded: the bundled pack plus any extra packs, without files \
                that have errors.
                """
        )

        @OptionGroup var content: ContentOptions
        @Flag(
            help:
                "Print JSON: {questions, skills: [{skill, name, beginner, intermediate, advanced, total}], roles, kinds}."
        )
        var json = false

        mutating func run() async throws {
            let stats = ContentStats(library: content.load())
            if json {
                try Terminal.printJSON(stats)
                return
            }
            let nameWidth = 42
            print("\(stats.questions) questions\n")
            print(Terminal.pad("Skill", nameWidth) + "  beg  int  adv  total")
            for row in stats.skills {
                let cells = [row.beginner, row.intermediate, row.advanced].map { String(format: "%5d", $0) }.joined()
                print(
                    Terminal.pad(Terminal.truncate(row.name, to: nameWidth), nameWidth) + cells
                        + String(format: "%7d", row.total))
            }
            print("\n" + Terminal.pad("Role", nameWidth) + "  questions")
            for row in stats.roles {
                print(
                    Terminal.pad(Terminal.truncate(row.name, to: nameWidth), nameWidth)
                        + String(format: "%11d", row.questions))
            }
            print("\n" + Terminal.pad("Kind", nameWidth) + "  questions")
            for row in stats.kinds {
                print(Terminal.pad(row.name, nameWidth) + String(format: "%11d", row.questions))
            }
        }
    }
}
