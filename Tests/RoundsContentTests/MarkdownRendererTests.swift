import Testing

@testable import RoundsContent

@Suite struct MarkdownRendererTests {
    /// Issue 18: a lab task showed "(no" and "`deceased_date`)" as two paragraphs.
    @Test func aLineStartingWithCodeStaysInItsParagraph() {
        let html = MarkdownRenderer.html(
            "For **living** patients (no\n`deceased_date`) who are old.\n\n`x` starts this one.")
        #expect(html.components(separatedBy: "<p>").count - 1 == 2, "\(html)")
        #expect(html.contains("(no <code>deceased_date</code>) who are old."), "\(html)")
        let fenced = MarkdownRenderer.html("Run:\n\n```\nSELECT 1\n`not joined`\n```")
        #expect(fenced.contains("SELECT 1\n`not joined`"), "\(fenced)")
        #expect(MarkdownRenderer.html("## Rules\n`code` first").contains("<h2>Rules</h2>"))
    }
}
