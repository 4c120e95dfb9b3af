import Foundation
import RoundsCore

/// Reads a typed answer: from a file, from piped standard input, or interactively until a line holding
/// only `.` or Ctrl-D.
enum AnswerInput {
    /// The longest answer accepted, in characters (Unicode scalars): several times the longest model answer.
    static let maxCharacters = TypedText.answerCharacters

    enum Failure: Error, CustomStringConvertible {
        case unreadable(String, String)
        case empty
        case tooLong(Int, limit: Int)
        case notText(TypedText.Problem)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read the answer from \(path): \(reason)."
            case .empty: "the answer is empty; type at least a sentence."
            case .tooLong(let count, let limit):
                "the answer has \(count) characters; the limit is \(limit)."
            case .notText(let problem): "the answer cannot be taken: \(problem)."
            }
        }
    }

    /// - Parameters:
    ///   - limit: the most characters accepted.
    ///   - toEndOfInput: read an interactive answer until Ctrl-D rather than the first empty line
    ///     (documents such as JSON contain empty lines).
    static func read(file: String?, prompt: String, limit: Int = maxCharacters, toEndOfInput: Bool = false) throws
        -> String
    {
        let text: String
        if let file {
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                // FileHandle rather than String(contentsOfFile:), which refuses devices and pipes.
                guard let handle = FileHandle(forReadingAtPath: file) else {
                    throw Failure.unreadable(file, "no such file, or no permission to read it")
                }
                let data = handle.readDataToEndOfFile()
                guard let decoded = String(data: data, encoding: .utf8) else {
                    throw Failure.unreadable(file, "it is not UTF-8 text")
                }
                text = decoded
            }
        } else if isatty(STDIN_FILENO) == 1 {
            print(prompt)
            text = toEndOfInput ? readAll() : (readAnswer() ?? "")
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        return try validate(text, limit: limit)
    }

    /// The answer trimmed, or why it cannot be taken. An answer (the default limit) is also held to
    /// the web's word limit; lab hand-ins (documents, SQL) only to their length.
    static func validate(_ text: String, limit: Int = maxCharacters) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Failure.empty }
        switch TypedText.problem(
            in: trimmed, maxCharacters: limit, maxWords: limit == maxCharacters ? TypedText.answerWords : nil)
        {
        case nil: return trimmed
        case .tooManyCharacters(let count, let limit)?: throw Failure.tooLong(count, limit: limit)
        case let problem?: throw Failure.notText(problem)
        }
    }

    /// Lines until end of input (Ctrl-D).
    static func readAll() -> String {
        var lines: [String] = []
        while let line = Terminal.readLine() { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// A person at a terminal, or `ROUNDS_INTERACTIVE=1` (tests, expect scripts): ratings are asked
    /// for, and an answer ends with a line holding only `.` (or Ctrl-D), so that empty lines can
    /// separate paragraphs. From a pipe, an answer ends with an empty line, as scripts have always sent.
    static var isInteractive: Bool {
        isatty(STDIN_FILENO) == 1 || ProcessInfo.processInfo.environment["ROUNDS_INTERACTIVE"] == "1"
    }

    /// The end of an answer, in words for a prompt.
    static var endHint: String {
        isInteractive
            ? "end with a line holding only . or Ctrl-D; empty lines make paragraphs" : "end with an empty line"
    }

    /// One answer's lines; nil at end of input before anything was typed.
    static func readAnswer() -> String? {
        let dot = isInteractive
        var lines: [String] = []
        while let line = Terminal.readLine() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if dot ? trimmed == "." : trimmed.isEmpty { return lines.joined(separator: "\n") }
            lines.append(line)
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}
