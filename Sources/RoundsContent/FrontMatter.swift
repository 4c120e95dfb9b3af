import Foundation

/// Splits a Markdown file into its YAML front matter and its body.
enum FrontMatter {
    struct Split {
        let yaml: String
        /// The file line of the first front-matter line.
        let yamlFirstLine: Int
        let body: String
        /// The file line of the first body line.
        let bodyFirstLine: Int
    }

    /// The front matter sits between a first line `---` and the next line `---` (or `...`).
    static func split(_ text: String, issues: IssueCollector) -> Split? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else {
            issues.add(
                .error, line: 1, field: nil, "the file does not start with YAML front matter.",
                fix: "make the first line `---`, then the fields, then a closing `---` line.")
            return nil
        }
        guard let close = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) else {
            issues.add(
                .error, line: 1, field: nil, "the front matter is never closed.",
                fix: "add a line `---` after the last field.")
            return nil
        }
        return Split(
            yaml: lines[1..<close].joined(separator: "\n"),
            yamlFirstLine: 2,
            body: lines[(close + 1)...].joined(separator: "\n"),
            bodyFirstLine: close + 2
        )
    }
}

/// Splits a Markdown body into its level-two sections.
enum MarkdownSections {
    /// Returns each known section's trimmed text, keyed by its lower-cased heading. Unknown, repeated,
    /// missing, empty and out-of-order sections, and text before the first heading, are reported.
    /// - Parameter optional: known sections that may be left out (lint checks them another way).
    static func parse(
        _ body: String, firstLine: Int, known: [String], optional: Set<String> = [], issues: IssueCollector
    ) -> [String: String] {
        var sections: [(name: String, line: Int, lines: [Substring])] = []
        var preamble: (line: Int, text: Bool) = (firstLine, false)
        var inFence = false
        for (offset, line) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle() }
            if !inFence, line.hasPrefix("## ") {
                let name = line.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
                sections.append((name, firstLine + offset, []))
            } else if sections.isEmpty {
                if !trimmed.isEmpty, !preamble.text { preamble = (firstLine + offset, true) }
            } else {
                sections[sections.count - 1].lines.append(line)
            }
        }
        if preamble.text {
            issues.add(
                .error, line: preamble.line, field: "body", "text before the first section heading.",
                fix: "put it under `## Model answer`, `## Tip` or `## Pitfalls`.")
        }
        var result: [String: String] = [:]
        for section in sections {
            guard known.contains(section.name) else {
                issues.add(
                    .error, line: section.line, field: "## \(section.name)", "unknown section.",
                    fix:
                        "use only these headings, in order: \(known.map { "## \(title($0))" }.joined(separator: ", "))."
                )
                continue
            }
            guard result[section.name] == nil else {
                issues.add(
                    .error, line: section.line, field: "## \(title(section.name))", "the section appears twice.",
                    fix: "merge the two sections.")
                continue
            }
            let text = section.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                issues.add(
                    .error, line: section.line, field: "## \(title(section.name))", "the section is empty.",
                    fix: section.name == "model answer"
                        ? "write what a strong candidate would say, 150 to 400 words." : "write the section's text.")
            }
            result[section.name] = text
        }
        let order = sections.map(\.name).filter { known.contains($0) }
        let expected = known.filter { order.contains($0) }
        if order.count == expected.count, order != expected {
            issues.add(
                .warning, line: firstLine, field: "body", "the sections are out of order.",
                fix: "order them: \(known.map { "## \(title($0))" }.joined(separator: ", ")).")
        }
        for name in known where !optional.contains(name) && !sections.contains(where: { $0.name == name }) {
            issues.add(
                .error, line: firstLine, field: "## \(title(name))", "the section is missing.",
                fix: "add a `## \(title(name))` section.")
        }
        return result.filter { !$0.value.isEmpty }
    }

    /// The items of a Markdown bullet list, each with its continuation lines.
    static func listItems(_ text: String) -> [String] {
        var items: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                items.append(String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces))
            } else if !items.isEmpty, !trimmed.isEmpty {
                items[items.count - 1] += " " + trimmed
            }
        }
        return items
    }

    static func title(_ name: String) -> String { name.prefix(1).uppercased() + name.dropFirst() }
}
