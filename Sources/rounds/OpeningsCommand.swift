import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsStore

struct OpeningsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openings",
        abstract: "The job postings you are aiming at: import them, match them against your skills, plan for one.",
        discussion: """
            Postings stay in your own database; Rounds never fetches anything. Import schema.org \
            JobPosting JSON-LD (what job boards embed in their pages: a .json file of one or many, or a \
            saved page), or a CSV whose header names title, company and description (and optionally \
            location, remote, salary_min, salary_max, salary_currency, salary_period, date_posted, url).
            """,
        subcommands: [Import.self, List.self, Show.self, Match.self, Summary.self, Plan.self, Note.self, Delete.self]
    )

    static let noOpenings = "No openings yet. rounds openings import FILE adds postings from JSON-LD or CSV."

    /// The learner, the library and the store, as every subcommand needs them.
    struct Context {
        let library: ContentLibrary
        let store: any Storage
        let learner: Learner

        static func open(_ storeOptions: StoreOptions, _ content: ContentOptions) async throws -> Context {
            let library = content.load()
            let store = try await storeOptions.open()
            return Context(
                library: library, store: store, learner: try await store.learner(named: StoreOptions.localLearner))
        }

        func opening(_ id: Int64) async throws -> Opening {
            guard let opening = try await store.opening(id: id, learnerID: learner.id) else {
                throw ValidationError("you have no opening \(id); rounds openings list shows their numbers.")
            }
            return opening
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add postings from a JSON-LD, HTML or CSV file (- reads standard input).",
            usage: "rounds openings import <file> [--format <format>] [--json]\n[--db <path>] [--content <folder> ...]",
            discussion:
                "Either every posting in the file is added, or none is and each problem is listed. A posting you already have (same title, company and date) is skipped."
        )

        @Argument(
            help: ArgumentHelp("A .json, .jsonld, .html or .csv file, or - for standard input.", valueName: "file"))
        var file: String
        @Option(help: "jsonld or csv; by default from the file's name and content.") var format: OpeningImport.Format?
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: the openings added, with their ids.") var json = false

        mutating func run() async throws {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("\(file): no such file, or it cannot be read.")
                }
                text = String(decoding: data, as: UTF8.self)
            }
            let format = format ?? .guess(name: file == "-" ? nil : file, text: text)
            let openings: [Opening]
            do {
                openings = try OpeningImport.read(text, format: format, now: Date())
            } catch {
                throw ValidationError(
                    "\(file == "-" ? "standard input" : file) (read as \(format.rawValue)):\n\(error.description)")
            }
            let context = try await Context.open(storeOptions, content)
            let added: [Opening]
            do {
                added = try await context.store.addOpenings(openings, learnerID: context.learner.id)
            } catch let limit as OpeningLimitReached {
                throw ValidationError(limit.description)
            }
            if json {
                try Terminal.printJSON(added)
                return
            }
            let skipped = openings.count - added.count
            print(
                "Added \(added.count) opening\(added.count == 1 ? "" : "s")"
                    + (skipped > 0 ? "; skipped \(skipped) you already have" : "") + ".")
            for opening in added {
                print("  \(Terminal.pad("#\(opening.id ?? 0)", 6))\(opening.title) · \(opening.company)")
            }
            if !added.isEmpty { print("\nrounds openings match: how your measured skills fit each one.") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your openings, newest first.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: the openings as stored.") var json = false

        mutating func run() async throws {
            let context = try await Context.open(storeOptions, content)
            let openings = try await context.store.openings(learnerID: context.learner.id)
            if json {
                try Terminal.printJSON(openings)
                return
            }
            guard !openings.isEmpty else {
                print(OpeningsCommand.noOpenings)
                return
            }
            for opening in openings {
                let place = opening.remote ? "remote" : (opening.location ?? "")
                print(
                    Terminal.pad("#\(opening.id ?? 0)", 6) + Terminal.pad(Terminal.truncate(opening.title, to: 36), 37)
                        + Terminal.pad(Terminal.truncate(opening.company, to: 22), 23)
                        + Terminal.pad(Terminal.truncate(place, to: 16), 17) + (opening.datePosted ?? "")
                        + (opening.planTarget ? "  ◀ plan" : ""))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "One opening: its details, the skills it asks for (and the words they came from), your match and gaps.")

        @Argument(help: "The opening's number (rounds openings list).") var id: Int64
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: {opening, skills, match, rows, gaps, next, note}.") var json = false

        mutating func run() async throws {
            let context = try await Context.open(storeOptions, content)
            let opening = try await context.opening(id)
            let snapshot = try await context.library.progress(learnerID: context.learner.id, in: context.store)
            let note = try await context.store.companyNote(opening.company, learnerID: context.learner.id)
            let report = context.library.openingReport(
                opening, snapshot: snapshot, settings: context.learner.settings, note: note)
            if json {
                try Terminal.printJSON(report)
                return
            }
            print("\(opening.title) · \(opening.company)")
            var facts: [String] = []
            if let location = opening.location { facts.append(location) }
            if opening.remote { facts.append("remote") }
            if let salary = opening.salary { facts.append(salary.text) }
            if let posted = opening.datePosted { facts.append("posted \(posted)") }
            if !facts.isEmpty { print(facts.joined(separator: " · ")) }
            if let url = opening.url { print(url) }
            print("")
            guard !report.skills.isEmpty else {
                print("Rounds found none of its skills in this posting's text, so it cannot match or plan for it.")
                return
            }
            print("Your match: \(report.match)%  (your measured mastery, weighted by what the posting asks for)\n")
            print("Skills it asks for, and the words they came from")
            for found in report.skills {
                let name = context.library.skill(id: found.skill)?.name ?? found.skill
                let mastery = report.rows.first { $0.skill == found.skill }?.mastery ?? 0
                print(
                    "  " + Terminal.pad(Terminal.truncate(name, to: 33), 34) + Chart.bar(mastery, width: 12)
                        + String(format: " %3d%%", Int((mastery * 100).rounded())))
                print("    \(found.evidence.joined(separator: ", ")) (\(found.mentions)×): \(found.excerpt)")
            }
            if !report.gaps.isEmpty {
                print(
                    "\nGaps: "
                        + report.gaps.map { context.library.skill(id: $0.skill)?.name ?? $0.skill }.joined(
                            separator: ", "))
            }
            if !report.next.isEmpty {
                print("\nWhat would close them")
                for item in report.next {
                    print("  " + Terminal.pad(item.kind.rawValue, 9) + Terminal.truncate(item.title, to: 68))
                    print("  " + String(repeating: " ", count: 9) + "\(item.id): \(item.why)")
                }
            }
            if let note {
                print("\nYour notes on \(note.company)")
                if !note.techStack.isEmpty { print("  Tech stack: \(note.techStack)") }
                if !note.interviewFormat.isEmpty { print("  Interview format: \(note.interviewFormat)") }
                if !note.people.isEmpty { print("  People: \(note.people)") }
            }
            print("\nrounds openings plan \(id): build your study plan for this posting.")
        }
    }

    struct Match: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rank your openings by how well your measured skills match each, with the biggest gaps.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: [{id, title, company, match, skills, gaps}], best match first.") var json = false

        struct Row: Encodable {
            let id: Int64
            let title, company: String
            let match: Int
            let skills: [String]
            let gaps: [String]
        }

        mutating func run() async throws {
            let context = try await Context.open(storeOptions, content)
            let openings = try await context.store.openings(learnerID: context.learner.id)
            let snapshot = try await context.library.progress(learnerID: context.learner.id, in: context.store)
            let rows = openings.map { opening in
                let report = context.library.openingReport(
                    opening, snapshot: snapshot, settings: context.learner.settings)
                return Row(
                    id: opening.id ?? 0, title: opening.title, company: opening.company, match: report.match,
                    skills: report.skills.map(\.skill), gaps: report.gaps.map(\.skill))
            }.sorted { ($0.match, $1.id) > ($1.match, $0.id) }
            if json {
                try Terminal.printJSON(rows)
                return
            }
            guard !rows.isEmpty else {
                print(OpeningsCommand.noOpenings)
                return
            }
            for row in rows {
                let gaps = row.gaps.prefix(3).map { context.library.skill(id: $0)?.name ?? $0 }
                print(
                    Terminal.pad("#\(row.id)", 6) + String(format: "%3d%%  ", row.match)
                        + Terminal.pad(Terminal.truncate("\(row.title) · \(row.company)", to: 50), 51)
                        + (row.skills.isEmpty
                            ? "no skills found" : gaps.isEmpty ? "no gaps" : "gaps: " + gaps.joined(separator: ", ")))
            }
        }
    }

    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The market as your imported postings describe it: pay, companies, remote share, skills asked.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: the summary's figures.") var json = false

        mutating func run() async throws {
            let context = try await Context.open(storeOptions, content)
            let summary = context.library.marketSummary(try await context.store.openings(learnerID: context.learner.id))
            if json {
                try Terminal.printJSON(summary)
                return
            }
            print(summary.coverage)
            guard summary.openings > 0 else { return }
            for pay in summary.pay {
                print(
                    "Salary (\(pay.currency), as a year's pay, \(pay.postings) posting\(pay.postings == 1 ? "" : "s")): median \(Salary.amount(pay.median)), range \(Salary.amount(pay.lowest))–\(Salary.amount(pay.highest))"
                )
            }
            if summary.withoutSalary > 0 { print("\(summary.withoutSalary) state no salary.") }
            print("Remote: \(summary.remote) of \(summary.openings) (\(summary.remotePercent)%)")
            print("Companies: " + summary.companies.map { "\($0.name) (\($0.count))" }.joined(separator: ", "))
            print("Skills asked for (postings naming each):")
            for skill in summary.skills {
                print(
                    "  " + Terminal.pad(context.library.skill(id: skill.name)?.name ?? skill.name, 36)
                        + "\(skill.count)")
            }
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Build your study plan for one posting's skills (rounds plan then follows it), or --clear to go back to your role.",
            usage: "rounds openings plan [<id>] [--clear]\n[--db <path>] [--content <folder> ...]"
        )

        @Argument(help: "The opening's number.") var id: Int64?
        @Flag(help: "Plan for your target role again.") var clear = false
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions

        mutating func validate() throws {
            if (id == nil) == !clear { throw ValidationError("give an opening's number, or --clear.") }
        }

        mutating func run() async throws {
            let context = try await Context.open(storeOptions, content)
            if clear {
                try await context.store.setPlanTarget(openingID: nil, learnerID: context.learner.id)
                print("Your plan follows your target role again.")
                return
            }
            let opening = try await context.opening(id!)
            guard context.library.role(for: opening) != nil else {
                throw ValidationError(
                    "Rounds found none of its skills in opening \(id!)'s text, so it cannot plan for it; your plan is unchanged."
                )
            }
            try await context.store.setPlanTarget(openingID: id, learnerID: context.learner.id)
            print("Your plan now follows “\(opening.title)” at \(opening.company). rounds plan shows it.")
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Keep notes on a company: its tech stack, interview format, people you met (no option: show them).",
            usage:
                "rounds openings note <company> [--stack <stack>]\n[--interview-format <interview-format>] [--people <people>]\n[--db <path>] [--content <folder> ...]"
        )

        @Argument(help: "The company, as its postings name it.") var company: String
        @Option(help: "Its tech stack.") var stack: String?
        @Option(name: .customLong("interview-format"), help: "How it interviews.") var interviewFormat: String?
        @Option(help: "People you have met there.") var people: String?
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions

        mutating func validate() throws {
            let trimmed = company.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= Opening.maxField else {
                throw ValidationError("give the company's name (1 to \(Opening.maxField) characters).")
            }
            for (name, value) in [("--stack", stack), ("--interview-format", interviewFormat), ("--people", people)] {
                if let value, value.count > CompanyNote.maxField {
                    throw ValidationError("\(name) is \(value.count) characters; keep it to \(CompanyNote.maxField).")
                }
            }
        }

        mutating func run() async throws {
            let context = try await Context.open(storeOptions, content)
            let name = company.trimmingCharacters(in: .whitespacesAndNewlines)
            var note =
                try await context.store.companyNote(name, learnerID: context.learner.id)
                ?? CompanyNote(company: name, updatedAt: Date())
            if stack == nil && interviewFormat == nil && people == nil {
                guard !note.isEmpty else {
                    print("No notes on \(name) yet. Add some with --stack, --interview-format or --people.")
                    return
                }
                print(
                    "\(note.company)\n  Tech stack: \(note.techStack)\n  Interview format: \(note.interviewFormat)\n  People: \(note.people)"
                )
                return
            }
            note.techStack = stack ?? note.techStack
            note.interviewFormat = interviewFormat ?? note.interviewFormat
            note.people = people ?? note.people
            note.updatedAt = Date()
            do {
                try await context.store.saveCompanyNote(note, learnerID: context.learner.id)
            } catch let limit as OpeningLimitReached {
                throw ValidationError(limit.description)
            }
            print(note.isEmpty ? "Removed your notes on \(note.company)." : "Saved your notes on \(note.company).")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an opening.")

        @Argument(help: "The opening's number.") var id: Int64
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var content: ContentOptions

        mutating func run() async throws {
            let context = try await Context.open(storeOptions, content)
            let opening = try await context.opening(id)
            try await context.store.deleteOpening(id: id, learnerID: context.learner.id)
            print("Removed “\(opening.title)” at \(opening.company).")
        }
    }
}

extension OpeningImport.Format: ExpressibleByArgument {}
