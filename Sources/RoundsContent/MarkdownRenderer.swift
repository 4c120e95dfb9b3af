import Ink

/// Renders the Markdown of questions (model answers, tips, pitfalls) to HTML for the web pages.
/// Content packs are written by the team that runs Rounds, not by learners, so their HTML is trusted.
public enum MarkdownRenderer {
    public static func html(_ markdown: String) -> String {
        MarkdownParser().html(from: joiningCodeLines(markdown))
    }

    /// Ink starts a new block at a line that begins with a code span, so "(no\n`deceased_date`)" in a
    /// paragraph became two paragraphs. Such a line is joined to the line before it, as the soft line
    /// break it is; fenced code is left alone.
    static func joiningCodeLines(_ markdown: String) -> String {
        var lines: [String] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inFence.toggle()
                lines.append(line)
            } else if !inFence, line.hasPrefix("`"), let previous = lines.last,
                !previous.trimmingCharacters(in: .whitespaces).isEmpty,
                !["```", "    ", "#", "|"].contains(where: { previous.hasPrefix($0) })
            {
                lines[lines.count - 1] = previous + " " + line
            } else {
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }
}
