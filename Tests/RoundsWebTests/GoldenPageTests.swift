import Foundation
import Hummingbird
import HummingbirdTesting
import RoundsTestSupport
import Testing

/// Key pages compared whole with golden files in `Golden/`, so that a change to a template, a page
/// model or the layout shows up as a diff to review, not only where a test happens to look. What
/// differs per request (CSRF tokens, the time a page was shown) is replaced before comparing.
///
/// After an intended change, write the files again with `ROUNDS_UPDATE_GOLDEN=1 swift test --filter
/// GoldenPageTests` and review the diff.
@Suite struct GoldenPageTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The page with per-request values replaced by fixed words.
    static func normalised(_ html: String) -> String {
        html.replacing(/[0-9a-f]{64}/, with: "CSRF-TOKEN")
            .replacing(/name="started" value="[0-9.]+"/, with: #"name="started" value="TIME""#)
            .replacing(/data-shown-at="[0-9]+"/, with: #"data-shown-at="TIME""#)
            .replacing(/This week \([^)]*\)/, with: "This week (DATES)")
    }

    func compare(_ html: String, with name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = Self.folder.appendingPathComponent(name + ".html")
        let page = Self.normalised(html)
        if ProcessInfo.processInfo.environment["ROUNDS_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try page.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        if page != golden {
            // The first line that differs, so the failure says where to look.
            let pageLines = page.split(separator: "\n", omittingEmptySubsequences: false)
            let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let index =
                zip(pageLines, goldenLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(pageLines.count, goldenLines.count)
            Issue.record(
                """
                \(name).html differs at line \(index + 1):
                  golden: \(index < goldenLines.count ? goldenLines[index] : "(end)")
                  page:   \(index < pageLines.count ? pageLines[index] : "(end)")
                Review the change, then run ROUNDS_UPDATE_GOLDEN=1 swift test --filter GoldenPageTests.
                """, sourceLocation: sourceLocation)
        }
    }

    func page(_ uri: String, accounts: Bool = false) async throws -> String {
        try await TestApp.make(accounts ? ["auth.mode": "accounts"] : [:]).test(.router) { client in
            String(buffer: try await client.execute(uri: uri, method: .get).body)
        }
    }

    @Test(arguments: [
        ("question", "/questions/hipaa-why-it-matters-for-data-roles"),
        ("settings", "/settings"),
        ("dashboard-first-run", "/"),
        ("not-found", "/questions/no-such-question"),
    ])
    func singleUserPagesMatchTheirGoldenFiles(name: String, uri: String) async throws {
        try compare(try await page(uri), with: name)
    }

    @Test func theSignInPageMatchesItsGoldenFile() async throws {
        try compare(try await page("/signin", accounts: true), with: "signin")
    }
}
