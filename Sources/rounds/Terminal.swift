import Foundation

/// Output helpers: JSON with stable key order, and text wrapped for an 80-column terminal.
enum Terminal {
    static let width = 80

    /// Colours for marks and bands, when standard output is a terminal and `NO_COLOR`
    /// (https://no-color.org) is not set; `CLICOLOR_FORCE=1` turns them on for a pipe, and `TERM=dumb`
    /// off. Text never depends on colour: ✓, ~ and ✗ carry the meaning.
    static let usesColour: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["NO_COLOR"], !value.isEmpty { return false }
        if let value = environment["CLICOLOR_FORCE"], !value.isEmpty, value != "0" { return true }
        return isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
    }()

    enum Colour: String {
        case green = "32", yellow = "33", red = "31", bold = "1"
    }

    /// `text` in `colour` when colours are on.
    static func paint(_ text: String, _ colour: Colour) -> String {
        usesColour ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// The colour of a mark: ✓ green, ~ yellow, ✗ red, anything else none.
    static func colour(of mark: String) -> Colour? {
        switch mark {
        case "✓": .green
        case "~": .yellow
        case "✗": .red
        default: nil
        }
    }

    /// A marked item wrapped like `wrap(text, indent:, firstIndent: "  MARK ")`, its mark coloured
    /// after wrapping, so that escape codes never count toward the width.
    static func marked(_ mark: String, _ text: String, indent: String = "    ") -> String {
        let wrapped = wrap(text, indent: indent, firstIndent: "  \(mark) ")
        guard let colour = colour(of: mark), usesColour else { return wrapped }
        return "  " + paint(mark, colour) + wrapped.dropFirst(2 + mark.count)
    }

    /// A band's colour: 3 and 4 green, 2 yellow, 0 and 1 red.
    static func colour(ofBand band: Int) -> Colour { band >= 3 ? .green : band == 2 ? .yellow : .red }

    /// Reads a line of input after flushing what was printed, so that a process driving an interactive
    /// session through a pipe (a script, a test, an editor) sees each prompt and "Saved." before Rounds
    /// waits for it; a pipe is otherwise block-buffered.
    static func readLine() -> String? {
        fflush(nil)
        return Swift.readLine()
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints `value` as pretty JSON with sorted keys, so output is stable across runs.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// One item of a listing: the id and its facts on one line, the title wrapped and indented below.
    static func printListing(id: String, meta: String, title: String) {
        let width = Terminal.width - meta.count - 2
        print(pad(truncate(id, to: width), width) + "  " + meta)
        print(wrap(title, indent: "    "))
    }

    /// Markdown for the terminal: soft line breaks inside a paragraph are joined so that `wrap` can
    /// refill it; lists, fenced code and indented lines keep their lines. Inline marks are rendered as
    /// plain text (`inline`), headings in capitals; code spans keep their backticks, which read as code.
    static func reflow(_ markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var inFence = false
        func flush() {
            if !paragraph.isEmpty { out.append(wrap(inline(paragraph.joined(separator: " ")))) }
            paragraph = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                flush()
                inFence.toggle()
                continue
            }
            if inFence || line.hasPrefix("    ") {
                flush()
                out.append(line)
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
                out.append("")
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flush()
                paragraph = [line]
            } else if let heading = line.firstMatch(of: /^#{1,6}\s+(.+)$/) {
                flush()
                out.append(inline(String(heading.1)).uppercased())
            } else {
                paragraph.append(paragraph.isEmpty ? line : line.trimmingCharacters(in: .whitespaces))
            }
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// Inline Markdown as plain text: `**bold**`, `__bold__` and `*emphasis*` lose their marks, and
    /// `[text](url)` becomes "text (url)". Code spans are left exactly as written, backticks included.
    static func inline(_ text: String) -> String {
        // Code spans are set aside first (`COUNT(*)` is not emphasis), as \u{0}N\u{0}: Markdown has no NUL.
        var spans: [String] = []
        var rest = String(
            text.replacing(/`[^`]*`/) { match in
                spans.append(String(match.0))
                return "\u{0}\(spans.count - 1)\u{0}"
            })
        rest = rest.replacing(/\[([^\]]+)\]\(([^)\s]+)\)/) { "\($0.1) (\($0.2))" }
        rest = rest.replacing(/\*\*(.+?)\*\*/) { String($0.1) }
        rest = rest.replacing(/__(.+?)__/) { String($0.1) }
        rest = rest.replacing(/(^|[\s(])\*([^*\s][^*]*?)\*(?=[\s.,;:!?)]|$)/) { "\($0.1)\($0.2)" }
        return rest.replacing(/\u{0}([0-9]+)\u{0}/) { Int($0.1).map { spans[$0] } ?? "" }
    }

    /// Wraps `text` at word boundaries to `width` columns, prefixing each line with `indent`.
    static func wrap(_ text: String, indent: String = "", firstIndent: String? = nil, width: Int = width) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = lines.isEmpty ? (firstIndent ?? indent) : indent
            var lineHasWord = false
            let prefix = line
            for word in paragraph.split(separator: " ") {
                if lineHasWord, line.count + 1 + word.count > width {
                    lines.append(line)
                    line = indent
                    lineHasWord = false
                }
                line += (lineHasWord ? " " : "") + word
                lineHasWord = true
            }
            lines.append(lineHasWord ? line : prefix.trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n")
    }

    /// `text` cut to `width` characters, with an ellipsis when cut.
    static func truncate(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// `text` padded with spaces to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
