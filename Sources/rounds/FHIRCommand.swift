import ArgumentParser
import FHIR
import Foundation
import RoundsContent

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
