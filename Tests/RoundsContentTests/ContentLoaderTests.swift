import Foundation
import RoundsCore
import Testing

@testable import RoundsContent

/// One test per kind of content error: each breaks a valid fixture in one way and checks that the
/// loader names the file, the line, the field and a fix.
@Suite struct ContentLoaderTests {
    func load(_ pack: TemporaryPack, extra: [TemporaryPack] = []) -> ContentLoadResult {
        ContentLoader(packs: [pack.root] + extra.map(\.root)).load()
    }

    func loadQuestion(replacing: [(String, String)] = [], body: String? = nil) throws -> ContentLoadResult {
        load(try Fixture.pack([Fixture.question(replacing: replacing, body: body)]))
    }

    /// The single issue whose message contains `text`, which must be an error on `line` for `field`.
    func expectError(
        _ result: ContentLoadResult, _ text: String, line: Int?, field: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let matching = result.issues.filter { $0.message.contains(text) }
        #expect(matching.count == 1, "issues: \(result.issues.map(\.description))", sourceLocation: sourceLocation)
        guard let issue = matching.first else { return }
        #expect(issue.severity == .error, sourceLocation: sourceLocation)
        #expect(issue.line == line, "\(issue)", sourceLocation: sourceLocation)
        #expect(issue.field == field, "\(issue)", sourceLocation: sourceLocation)
        #expect(issue.fix?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(issue.file.hasSuffix(".md") || issue.file.hasSuffix(".yaml"), sourceLocation: sourceLocation)
        #expect(result.library.questions.isEmpty || !result.errors.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func validFixtureLoadsCleanly() throws {
        let result = try loadQuestion()
        #expect(result.issues.isEmpty, "\(result.issues.map(\.description))")
        let question = try #require(result.library.question(id: "breach-notification-basics"))
        #expect(question.rubric.count == 3)
        #expect(question.rubric[2].weight == 1.5)
        #expect(question.pitfalls == ["Treating every lost device as a breach."])
        #expect(question.modelAnswer.hasPrefix("A breach is presumed"))
        #expect(result.library.roles.first?.market.first?.asOf == "2024-05")
    }

    @Test func unknownSkill() throws {
        let result = try loadQuestion(replacing: [
            ("skills: [privacy-compliance]", "skills: [privacy-compliance, privacy-complance]")
        ])
        expectError(
            result, "unknown skill `privacy-complance`. Did you mean `privacy-compliance`?", line: 5, field: "skills[1]"
        )
    }

    @Test func unknownRole() throws {
        let result = try loadQuestion(replacing: [("roles: [healthcare-data-analyst]", "roles: [data-analyst]")])
        expectError(result, "unknown role `data-analyst`", line: 6, field: "roles[0]")
    }

    @Test func duplicateIdWithinAPack() throws {
        let first = Fixture.question()
        var second = Fixture.question()
        second.path = "questions/privacy-compliance/copy.md"
        let result = load(try Fixture.pack([first, second]))
        let issue = try #require(result.errors.first { $0.message.contains("is also used by") })
        #expect(issue.field == "id")
        #expect(issue.line == 2)
        #expect(result.library.questions.count == 1)
    }

    @Test func missingRubric() throws {
        let text = Fixture.question().text
        let start = text.range(of: "rubric:")!.lowerBound
        let end = text.range(of: "misconceptions:")!.lowerBound
        var cut = text
        cut.removeSubrange(start..<end)
        let result = load(try Fixture.pack([(Fixture.question().path, cut)]))
        expectError(result, "required field `rubric` is missing", line: 2, field: "rubric")
    }

    @Test func weightNotPositive() throws {
        let result = try loadQuestion(replacing: [("weight: 1.5", "weight: 0")])
        expectError(result, "weight must be positive, got 0", line: 22, field: "rubric[2].weight")
    }

    @Test func weightNotANumber() throws {
        let result = try loadQuestion(replacing: [("weight: 1.5", "weight: heavy")])
        expectError(result, "expected a number, found `heavy`", line: 22, field: "rubric[2].weight")
    }

    @Test func badLevel() throws {
        let result = try loadQuestion(replacing: [("level: beginner", "level: beginer")])
        expectError(result, "`beginer` is not allowed here. Did you mean `beginner`?", line: 4, field: "level")
    }

    @Test func badKind() throws {
        let result = try loadQuestion(replacing: [("kind: concept", "kind: trivia")])
        expectError(result, "`trivia` is not allowed here", line: 7, field: "kind")
    }

    @Test func emptyModelAnswer() throws {
        let result = try loadQuestion(body: "## Model answer\n\n## Tip\n\nBe brief.\n\n## Pitfalls\n\n- Rambling.\n")
        expectError(result, "the section is empty", line: 37, field: "## Model answer")
    }

    @Test func missingSection() throws {
        let result = try loadQuestion(body: "## Model answer\n\n\(Fixture.modelAnswer)\n\n## Pitfalls\n\n- Rambling.\n")
        expectError(result, "the section is missing", line: 37, field: "## Tip")
    }

    @Test func unknownSection() throws {
        let result = try loadQuestion(replacing: [("## Tip", "## Tips")])
        expectError(result, "unknown section", line: 41, field: "## tips")
    }

    @Test func headingsInsideCodeBlocksAreNotSections() throws {
        let result = try loadQuestion(replacing: [("## Tip\n", "```\n## not a heading\n```\n\n## Tip\n")])
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
    }

    @Test func brokenYAML() throws {
        let result = try loadQuestion(replacing: [
            ("title: When is a lost laptop a reportable breach?", "title: [unclosed")
        ])
        let issue = try #require(result.errors.first { $0.message.hasPrefix("broken YAML") })
        #expect(issue.line != nil && (3...5).contains(issue.line!), "\(issue)")
        #expect(result.library.questions.isEmpty)
    }

    @Test func missingFrontMatter() throws {
        let result = load(try Fixture.pack([("questions/privacy-compliance/x.md", "# Just Markdown\n")]))
        expectError(result, "does not start with YAML front matter", line: 1, field: nil)
    }

    @Test func unclosedFrontMatter() throws {
        let result = load(try Fixture.pack([("questions/privacy-compliance/x.md", "---\nid: x\n")]))
        expectError(result, "never closed", line: 1, field: nil)
    }

    @Test func unknownFieldSuggestsTheNearestOne() throws {
        let result = try loadQuestion(replacing: [("followups:", "folowups:")])
        expectError(result, "unknown field `folowups`. Did you mean `followups`?", line: 31, field: "folowups")
    }

    @Test func evidenceThatCanNeverMatch() throws {
        let result = try loadQuestion(replacing: [("      - four factors\n", "      - of the\n")])
        expectError(result, "can never match", line: 19, field: "rubric[1].evidence[0]")
    }

    @Test func evidenceThatIsOneGenericWord() throws {
        let result = try loadQuestion(replacing: [("      - four factors\n", "      - privacy\n")])
        expectError(result, "single generic word", line: 19, field: "rubric[1].evidence[0]")
    }

    @Test func idMustMatchFileName() throws {
        var question = Fixture.question()
        question.path = "questions/privacy-compliance/other-name.md"
        expectError(load(try Fixture.pack([question])), "does not match the file name", line: 2, field: "id")
    }

    @Test func folderMustBeThePrimarySkill() throws {
        let question = Fixture.question(folder: "security-incident-response")
        expectError(
            load(try Fixture.pack([question])), "its primary skill is `privacy-compliance`", line: 5, field: "skills[0]"
        )
    }

    @Test func invalidId() throws {
        let result = try loadQuestion(replacing: [("id: breach-notification-basics", "id: Breach_Notification")])
        #expect(result.errors.contains { $0.message.contains("is not a valid id") && $0.line == 2 })
    }

    @Test func tooFewRubricPoints() throws {
        let text = Fixture.question().text
        let start = text.range(of: "  - point: Gives the 60-day")!.lowerBound
        let end = text.range(of: "misconceptions:")!.lowerBound
        var cut = text
        cut.removeSubrange(start..<end)
        let result = load(try Fixture.pack([(Fixture.question().path, cut)]))
        expectError(result, "has 2 points; a rubric needs 3 to 7 points", line: 11, field: "rubric")
    }

    @Test func behavioralRubricNeedsAllStarSteps() throws {
        let result = try loadQuestion(replacing: [
            ("kind: concept", "kind: behavioral"),
            ("    weight: 1.5\n", "    weight: 1.5\n    star: result\n"),
        ])
        expectError(result, "missing situation, task, action", line: 11, field: "rubric")
    }

    @Test func explainQuestionsNeedAnAudience() throws {
        let result = try loadQuestion(replacing: [("kind: concept", "kind: explain")])
        expectError(result, "an explain question needs an audience", line: 7, field: "audience")
        let fixed = try loadQuestion(replacing: [("kind: concept", "kind: explain\naudience: manager")])
        #expect(fixed.errors.isEmpty)
        #expect(fixed.library.questions.first?.audience == .manager)
    }

    @Test func minutesOutOfRange() throws {
        let result = try loadQuestion(replacing: [("minutes: 3", "minutes: 90")])
        expectError(result, "90 minutes is outside the allowed 1 to 30", line: 8, field: "minutes")
    }

    @Test func aSourceMustBePrimary() throws {
        let result = try loadQuestion(replacing: [("https://www.hhs.gov/hipaa", "https://example.com/hipaa")])
        expectError(result, "no source is on a primary-source host", line: 34, field: "sources")
    }

    @Test func sourceURLMustBeHTTP() throws {
        let result = try loadQuestion(replacing: [("url: https://www.hhs.gov/hipaa", "url: www.hhs.gov/hipaa")])
        expectError(result, "is not an http(s) URL", line: 35, field: "sources[0].url")
    }

    @Test func invalidUTF8() throws {
        let pack = try Fixture.pack([])
        try pack.writeData("questions/privacy-compliance/bad.md", Data([0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0xFE]))
        expectError(load(pack), "not valid UTF-8", line: nil, field: nil)
    }

    @Test func roleWithUnknownSkillAndBadDate() throws {
        let pack = try Fixture.pack()
        try pack.write(
            "roles/healthcare-data-analyst.yaml",
            Fixture.role.replacingOccurrences(of: "security-incident-response: 1", with: "securty: 1")
                .replacingOccurrences(of: "as_of: 2024-05", with: "as_of: May 2024"))
        let result = load(pack)
        #expect(
            result.errors.contains {
                $0.message.contains("is not a date") && $0.field == "market[0].as_of" && $0.line == 13
            })
        let bad = Fixture.role.replacingOccurrences(of: "security-incident-response: 1", with: "securty: 1")
        try pack.write("roles/healthcare-data-analyst.yaml", bad)
        let second = load(pack)
        expectError(second, "unknown skill `securty`", line: 6, field: "skills.securty")
    }

    @Test func roleIdMustMatchFileName() throws {
        let pack = try Fixture.pack()
        try pack.write("roles/analyst.yaml", Fixture.role)
        expectError(load(pack), "does not match the file name `analyst`", line: 1, field: "id")
    }

    @Test func skillDefinedTwice() throws {
        let extra = try TemporaryPack(files: [
            "skills.yaml": "- id: privacy-compliance\n  name: Again\n  summary: Twice.\n"
        ])
        let result = load(try Fixture.pack(), extra: [extra])
        expectError(result, "the skill `privacy-compliance` is already defined", line: 1, field: "id")
    }

    @Test func missingPackFolder() {
        let result = ContentLoader(packs: [URL(fileURLWithPath: "/nonexistent/rounds-pack")]).load()
        #expect(result.errors.first?.message == "the content pack folder does not exist.")
    }

    // MARK: Warnings

    @Test func modelAnswerLengthIsAWarning() throws {
        let result = try loadQuestion(replacing: [
            (Fixture.modelAnswer, "A breach is presumed. Four factors. Risk assessment within 60 days.")
        ])
        let issue = try #require(result.warnings.first { $0.message.contains("the model answer has") })
        #expect(issue.field == "## Model answer")
        #expect(result.library.questions.count == 1)
    }

    @Test func rubricPointTheModelAnswerMissesIsAWarning() throws {
        let result = try loadQuestion(replacing: [
            ("      - 60 days\n      - 500 or more\n", "      - sixty day clock\n      - media notice\n")
        ])
        let issue = try #require(result.warnings.first { $0.message.contains("matches none of this point's evidence") })
        #expect(issue.field == "rubric[2]")
        #expect(issue.line == 21)
    }

    @Test func misconceptionPhraseThatMatchesTheModelAnswerIsAWarning() throws {
        let result = try loadQuestion(replacing: [
            ("      - always report encrypted laptops\n", "      - encrypted laptop\n")
        ])
        let issue = try #require(result.warnings.first { $0.message.contains("the model answer itself matches") })
        #expect(issue.field == "misconceptions[0].phrases[0]")
        #expect(issue.message.contains("\"encrypted laptop\""))
    }

    // MARK: Currency and weak evidence (issue 13)

    @Test func reviewedAndVolatileAreRead() throws {
        let result = try loadQuestion(replacing: [("reviewed: 2026-11\n", "reviewed: 2026-11\nvolatile: true\n")])
        #expect(result.issues.isEmpty, "\(result.issues.map(\.description))")
        let question = try #require(result.library.question(id: "breach-notification-basics"))
        #expect(question.reviewed == "2026-11")
        #expect(question.volatile)
    }

    @Test func missingReviewedIsAWarning() throws {
        let result = try loadQuestion(replacing: [("reviewed: 2026-11\n", "")])
        let issue = try #require(result.warnings.first { $0.field == "reviewed" })
        #expect(issue.message.contains("does not say when its facts were last checked"))
        #expect(result.library.question(id: "breach-notification-basics")?.reviewed == nil)
    }

    @Test func reviewedMustBeAMonth() throws {
        for bad in ["2026-13", "2026-1", "Dec 2026", "2026-12-01"] {
            let result = try loadQuestion(replacing: [("reviewed: 2026-11", "reviewed: \(bad)")])
            expectError(result, "`\(bad)` is not a month", line: 9, field: "reviewed")
        }
    }

    @Test func reviewedMayNotBeInTheFuture() throws {
        let result = try loadQuestion(replacing: [("reviewed: 2026-11", "reviewed: 2199-01")])
        expectError(result, "`2199-01` is in the future", line: 9, field: "reviewed")
    }

    @Test func volatileMustBeTrueOrFalse() throws {
        let result = try loadQuestion(replacing: [("reviewed: 2026-11\n", "reviewed: 2026-11\nvolatile: often\n")])
        expectError(result, "expected true or false, found `often`", line: 10, field: "volatile")
    }

    @Test func staleQuestionsAreVolatileOnesReviewedTooLongAgo() throws {
        let old = Fixture.question(
            id: "old-volatile", replacing: [("reviewed: 2026-11\n", "reviewed: 2026-01\nvolatile: true\n")])
        let fresh = Fixture.question(
            id: "fresh-volatile", replacing: [("reviewed: 2026-11\n", "reviewed: 2026-10\nvolatile: true\n")])
        let stable = Fixture.question(id: "old-stable", replacing: [("reviewed: 2026-11\n", "reviewed: 2025-01\n")])
        let never = Fixture.question(id: "never-reviewed", replacing: [("reviewed: 2026-11\n", "volatile: true\n")])
        let library = load(try Fixture.pack([old, fresh, stable, never])).library
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-06T00:00:00Z"))
        #expect(library.staleQuestions(months: 6, now: now).map(\.id).sorted() == ["never-reviewed", "old-volatile"])
        #expect(
            library.staleQuestions(months: 1, now: now).map(\.id).sorted() == [
                "fresh-volatile", "never-reviewed", "old-volatile",
            ])
        #expect(library.staleQuestions(months: 11, now: now).map(\.id) == ["never-reviewed"])
    }

    /// The checker for the fixture question with `evidence` in place of the second point's first phrase.
    func checked(evidence: String, common: Set<String> = [], standalone: Set<String> = []) throws -> [ContentIssue] {
        let text = Fixture.question(replacing: [("      - four factors\n", "      - \(evidence)\n")]).text
        let collector = IssueCollector(file: "questions/privacy-compliance/breach-notification-basics.md")
        let file = try #require(
            QuestionFileParser.parse(
                text, path: "questions/privacy-compliance/breach-notification-basics.md", issues: collector))
        let checker = QuestionChecker(
            file: file, answer: AnalyzedText(file.question.modelAnswer), skillIDs: ["privacy-compliance"],
            roleIDs: ["healthcare-data-analyst"], isPrimary: { _ in true },
            commonStems: Set(common.map(PorterStemmer.stem)), standaloneTerms: Set(standalone.map(PorterStemmer.stem)))
        return checker.check().filter { $0.field == "rubric[1].evidence[0]" }
    }

    @Test func aCommonSingleWordIsWeakEvidenceUnlessItIsAStandaloneTerm() throws {
        let weak = try checked(evidence: "audit", common: ["audit", "loinc"])
        #expect(weak.count == 1)
        #expect(weak.first?.severity == .warning)
        #expect(
            weak.first?.message.contains("comes down to one word that more than 8% of the bank's model answers use")
                == true)
        #expect(try checked(evidence: "loinc", common: ["audit", "loinc"], standalone: ["loinc"]).isEmpty)
        #expect(try checked(evidence: "audit log review", common: ["audit"]).isEmpty)
        #expect(try checked(evidence: "audit", common: []).isEmpty)
    }

    @Test func commonStemsAreThoseOfMoreThanOneInTwelveModelAnswers() {
        // 8 of 100 is not more than 8%, 92 of 100 is.
        let answers = (0..<100).map { AnalyzedText($0 < 8 ? "we audit the logs" : "we encrypt the disks") }
        #expect(QuestionChecker.commonStems(in: answers) == Set(["encrypt", "disk"].map(PorterStemmer.stem)))
        #expect(QuestionChecker.commonStems(in: Array(answers.prefix(20))).isEmpty)
    }

    @Test func evidenceThatOnlyRepeatsTheTitleIsAWarning() throws {
        let echo = try checked(evidence: "reportable breach")
        #expect(echo.count == 1)
        #expect(echo.first?.message.contains("only repeats words of the question's title") == true)
        #expect(try checked(evidence: "reportable within 60 days").isEmpty)
    }

    @Test func standaloneTermsMustBeSingleWords() throws {
        let pack = try Fixture.pack([Fixture.question()])
        try pack.write("standalone-terms.yaml", "terms:\n  - loinc\n  - audit log\n")
        let result = load(pack)
        #expect(result.errors.contains { $0.message.contains("`audit log` is not one word") })
    }

    // MARK: Loading behaviour

    @Test func aBadFileNeverStopsTheOthers() throws {
        let good = Fixture.question()
        let bad = Fixture.question(
            id: "broken-one", replacing: [("level: beginner", "level: expert"), ("weight: 2\n", "weight: -1\n")])
        let result = load(try Fixture.pack([good, bad, ("questions/privacy-compliance/junk.md", "not yaml")]))
        #expect(result.library.questions.map(\.id) == ["breach-notification-basics"])
        let badErrors = result.errors.filter { $0.file.hasSuffix("broken-one.md") }
        #expect(badErrors.count >= 3, "all errors of one file are reported at once: \(badErrors.map(\.description))")
        #expect(result.errors.contains { $0.file.hasSuffix("junk.md") })
    }

    @Test func extraPackAddsAndReplacesById() throws {
        let base = try Fixture.pack()
        let replacement = Fixture.question(replacing: [
            ("title: When is a lost laptop a reportable breach?", "title: Replaced title?")
        ])
        let added = Fixture.question(id: "second-question")
        let extra = try TemporaryPack(files: [replacement.path: replacement.text, added.path: added.text])
        let result = load(base, extra: [extra])
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description))")
        #expect(result.library.questions.count == 2)
        #expect(result.library.question(id: "breach-notification-basics")?.title == "Replaced title?")
        #expect(result.library.questionFiles["breach-notification-basics"]?.hasPrefix(extra.root.path) == true)
        #expect(result.issues.contains { $0.severity == .note && $0.message.contains("replaces the question") })
    }

    @Test func filtersCombine() throws {
        let pack = try Fixture.pack([
            Fixture.question(),
            Fixture.question(id: "advanced-one", replacing: [("level: beginner", "level: advanced")]),
        ])
        let library = load(pack).library
        #expect(library.questions(matching: QuestionFilter(level: .advanced)).map(\.id) == ["advanced-one"])
        #expect(library.questions(matching: QuestionFilter(skill: "privacy-compliance", kind: .concept)).count == 2)
        #expect(library.questions(matching: QuestionFilter(role: "health-it-manager")).isEmpty)
        #expect(library.questions.map(\.id) == ["breach-notification-basics", "advanced-one"], "ordered by level")
    }
}
