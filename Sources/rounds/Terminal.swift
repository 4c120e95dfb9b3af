import Foundation

/// Output helpers: JSON with stable key order, and text wrapped for an 80-column terminal.
enum Terminal {
    static let width = 80

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
    /// refill it; lists, fenced code and indented lines keep their lines.
    static func reflow(_ markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var inFence = false
        func flush() {
            if !paragraph.isEmpty { out.append(wrap(paragraph.joined(separator: " "))) }
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
            } else {
                paragraph.append(paragraph.isEmpty ? line : line.trimmingCharacters(in: .whitespaces))
            }
        }
        flush()
        return out.joined(separator: "\n")
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
