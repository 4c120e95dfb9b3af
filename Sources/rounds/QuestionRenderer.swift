import Foundation
import RoundsContent
import RoundsCore

/// Renders a question as readable, wrapped terminal text.
enum QuestionRenderer {
    enum Part: CaseIterable {
        case answer, rubric, tip, pitfalls
    }

    static func header(_ question: Question, library: ContentLibrary) -> String {
        var lines: [String] = []
        lines.append(Terminal.wrap(question.title))
        lines.append("")
        let skills = question.skills.map { library.skill(id: $0)?.name ?? $0 }.joined(separator: ", ")
        var meta = "\(question.level.rawValue.capitalized) · \(question.kind.rawValue) · about \(question.minutes) min"
        if let audience = question.audience { meta += " · for a \(audience.rawValue)" }
        lines.append(meta)
        lines.append(Terminal.wrap("Skills: \(skills)", indent: "  "))
        let roles = question.roles.map { library.role(id: $0)?.name ?? $0 }.joined(separator: ", ")
        lines.append(Terminal.wrap("Roles: \(roles)", indent: "  "))
        lines.append("Id: \(question.id)")
        return lines.joined(separator: "\n")
    }

    static func parts(_ question: Question, _ parts: Set<Part>) -> String {
        var blocks: [String] = []
        if parts.contains(.answer) {
            blocks.append(section("Model answer", wrapMarkdown(question.modelAnswer)))
        }
        if parts.contains(.rubric) {
            let total = question.rubric.map(\.weight).reduce(0, +)
            var lines: [String] = []
            for point in question.rubric {
                let share = Int((point.weight / total * 100).rounded())
                let star = point.star.map { "[\($0.rawValue)] " } ?? ""
                lines.append(Terminal.wrap("\(star)\(point.point) (\(share)%)", indent: "    ", firstIndent: "  - "))
                lines.append(
                    Terminal.wrap(
                        "evidence: " + point.evidence.joined(separator: "; "), indent: "      ", firstIndent: "    "))
            }
            for misconception in question.misconceptions {
                lines.append(Terminal.wrap("Wrong: " + misconception.claim, indent: "    ", firstIndent: "  ! "))
                lines.append(Terminal.wrap("Right: " + misconception.correction, indent: "    ", firstIndent: "    "))
            }
            blocks.append(section("Rubric", lines.joined(separator: "\n")))
        }
        if parts.contains(.tip) {
            blocks.append(section("Tip", wrapMarkdown(question.tip)))
        }
        if parts.contains(.pitfalls) {
            blocks.append(
                section(
                    "Pitfalls",
                    question.pitfalls.map { Terminal.wrap($0, indent: "    ", firstIndent: "  - ") }
                        .joined(separator: "\n")))
        }
        if parts.contains(.answer) || parts.contains(.rubric) {
            if !question.followups.isEmpty {
                blocks.append(
                    section(
                        "Follow-up questions",
                        question.followups.map { Terminal.wrap($0, indent: "    ", firstIndent: "  - ") }
                            .joined(separator: "\n")))
            }
            blocks.append(
                section(
                    "Sources",
                    question.sources.map {
                        Terminal.wrap($0.title, indent: "    ", firstIndent: "  - ") + "\n    \($0.url)"
                    }
                    .joined(separator: "\n")))
        }
        return blocks.joined(separator: "\n")
    }

    private static func section(_ title: String, _ body: String) -> String {
        "\n\(title.uppercased())\n\(body)"
    }

    /// Re-wraps Markdown paragraphs to the terminal width; code blocks and list items keep their lines.
    static func wrapMarkdown(_ markdown: String) -> String {
        var output: [String] = []
        var paragraph: [String] = []
        var inFence = false
        func flush() {
            if !paragraph.isEmpty { output.append(Terminal.wrap(paragraph.joined(separator: " "))) }
            paragraph = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                flush()
                inFence.toggle()
                output.append(line)
            } else if inFence {
                output.append(line)
            } else if trimmed.isEmpty {
                flush()
                output.append("")
            } else if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ")
                || trimmed.first?.isNumber == true && trimmed.contains(". ")
            {
                flush()
                output.append(Terminal.wrap(trimmed, indent: "  "))
            } else {
                paragraph.append(trimmed)
            }
        }
        flush()
        return output.joined(separator: "\n")
    }
}
