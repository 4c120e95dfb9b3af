import Ink

/// Renders the Markdown of questions (model answers, tips, pitfalls) to HTML for the web pages.
/// Content packs are written by the team that runs Rounds, not by learners, so their HTML is trusted.
public enum MarkdownRenderer {
    public static func html(_ markdown: String) -> String {
        MarkdownParser().html(from: markdown)
    }
}
