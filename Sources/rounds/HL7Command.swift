import ArgumentParser
import Foundation
import HL7v2

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
