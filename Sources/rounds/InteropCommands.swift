import ArgumentParser
import FHIR
import Foundation
import HL7v2
import RoundsContent

/// `rounds hl7`: look inside an HL7 v2 message with the library the labs grade with.
struct HL7Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hl7",
        abstract: "Read and check HL7 v2 messages.",
        subcommands: [Parse.self]
    )

    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse",
            abstract: "Parse a message, check its structure, and read values by path.",
            discussion: """
                The message may end segments with CR, LF or CRLF, and may be wrapped in MLLP framing.
                Exits 1 when the message cannot be read or has structure problems.

                Examples:
                  rounds hl7 parse adt.hl7
                  rounds hl7 parse adt.hl7 --path PID-3[2]-1 --path PID-5
                  cat oru.hl7 | rounds hl7 parse - --json
                """,
            aliases: ["inspect"])

        @Argument(help: "The message file ('-' for standard input).") var file: String
        @Option(
            help: ArgumentHelp("A terser path to read, such as PID-5-1 or OBX[2]-5 (repeatable).", valueName: "path"))
        var path: [String] = []
        @Flag(help: "Print JSON: {type, delimiters, segments: [{id, fields}], notes, problems, values}.") var json =
            false

        struct Output: Encodable {
            let type: String?
            let encodingCharacters: String
            let segments: [SegmentOutput]
            let notes: [String]
            let problems: [ProblemOutput]
            let values: [String: String?]
        }
        struct SegmentOutput: Encodable {
            let id: String
            let fieldCount: Int
        }
        struct ProblemOutput: Encodable {
            let path, message: String
        }

        mutating func run() async throws {
            var bytes = Array(try readFile(file).utf8)
            if bytes.first == MLLP.start, let messages = try? MLLP.unframe(bytes), let first = messages.first {
                bytes = Array(first.utf8)
            }
            let message: Message
            do {
                message = try Message(bytes: bytes)
            } catch {
                Terminal.standardError("rounds: \(error.description)")
                throw ExitCode(1)
            }
            var values: [String: String?] = [:]
            for item in path {
                do {
                    values[item] = try message.value(at: item)
                } catch {
                    throw ValidationError(error.description)
                }
            }
            let problems = StructureCheck().problems(in: message)
            if json {
                try Terminal.printJSON(
                    Output(
                        type: message.messageType, encodingCharacters: message.delimiters.encodingCharacters,
                        segments: message.segments.map { SegmentOutput(id: $0.id, fieldCount: $0.fields.count) },
                        notes: message.notes,
                        problems: problems.map { ProblemOutput(path: $0.path, message: $0.message) },
                        values: values))
            } else {
                print(
                    "\(message.messageType ?? "unknown type"), \(message.segments.count) segments: \(message.segments.map(\.id).joined(separator: " "))"
                )
                for note in message.notes { print("  note: \(note)") }
                for item in path {
                    print("  \(item) = \(values[item].flatMap { $0 }.map { "“\($0)”" } ?? "(absent, empty or null)")")
                }
                if problems.isEmpty {
                    print("  No structure problems.")
                } else {
                    for problem in problems {
                        print(Terminal.marked("✗", problem.description))
                    }
                }
            }
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }
}

/// `rounds fhir`: validate resources and run searches with the library the labs grade with.
struct FHIRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhir",
        abstract: "Validate FHIR R4 resources and try FHIR searches.",
        subcommands: [Validate.self, Search.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a FHIR R4 JSON resource or Bundle.",
            discussion: """
                Checks elements, cardinality, datatypes, required codes, references, invariants and Bundle
                rules for Patient, Practitioner, Organization, Encounter, Observation, Condition,
                MedicationRequest, AllergyIntolerance, Procedure, Immunization, DiagnosticReport and Bundle.
                Exits 1 when there are errors. --json prints a FHIR OperationOutcome.

                Examples:
                  rounds fhir validate observation.json
                  rounds fhir validate bundle.json --json
                """)

        @Argument(help: "The JSON file ('-' for standard input).") var file: String
        @Flag(help: "Print the issues as a FHIR OperationOutcome.") var json = false

        mutating func run() async throws {
            let issues = FHIRValidator().validate(try readFile(file))
            if json {
                print(issues.operationOutcome.pretty)
            } else if issues.isEmpty {
                print("Valid: no issues.")
            } else {
                for issue in issues {
                    let mark = issue.severity <= .error ? "✗" : "·"
                    print(Terminal.marked(mark, issue.description))
                }
                let errors = issues.filter { $0.severity <= .error }.count
                print(
                    "\(errors) error\(errors == 1 ? "" : "s"), \(issues.count - errors) other issue\(issues.count - errors == 1 ? "" : "s")"
                )
            }
            if issues.hasErrors { throw ExitCode(1) }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a FHIR search URL on the labs' synthetic resources.",
            usage: "rounds fhir search <url> [--fixtures <name>] [--content <folder> ...]\n[--json]",
            discussion: """
                Runs the search on a fixture set (the synthetic clinic the search labs use, by default) and
                prints what matched. Use it to try a query before handing it in to a lab.

                Examples:
                  rounds fhir search 'Patient?family=riv'
                  rounds fhir search 'Observation?code=http://loinc.org|4548-4&_sort=-date' --json
                """)

        @Argument(help: "The search, starting with the resource type: Observation?code=…") var url: String
        @Option(help: ArgumentHelp("The fixture set to search.", valueName: "name")) var fixtures = "clinic"
        @OptionGroup var content: ContentOptions
        @Flag(help: "Print JSON: {total, matches, included}.") var json = false

        mutating func run() async throws {
            let library = content.load()
            // The hidden variants are what the labs also grade on; searching them would be practising on the exam.
            guard !fixtures.hasSuffix("-hidden"), let text = library.labFixtures[fixtures],
                let resources = try? JSONValue(parsing: text)
            else {
                throw ValidationError(
                    "no fixture set '\(fixtures)'. Sets: \(library.labFixtures.keys.filter { !$0.hasSuffix("-hidden") }.sorted().joined(separator: ", "))."
                )
            }
            let query: SearchQuery
            do {
                query = try SearchQuery(url)
            } catch {
                throw ValidationError(error.description)
            }
            let result = SearchEngine(resources: [resources]).run(query)
            if json {
                try Terminal.printJSON(result)
                return
            }
            print(
                "\(result.total) match\(result.total == 1 ? "" : "es")"
                    + (result.matches.count < result.total ? ", showing \(result.matches.count)" : ""))
            for key in result.matches { print("  \(key)") }
            if !result.included.isEmpty {
                print("included:")
                for key in result.included { print("  \(key)") }
            }
        }
    }
}

/// Reads a whole file, or standard input for "-".
func readFile(_ path: String) throws -> String {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ValidationError("cannot read \(path): no such file, or no permission to read it.")
        }
        data = handle.readDataToEndOfFile()
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw ValidationError("\(path) is not UTF-8 text.")
    }
    return text
}
