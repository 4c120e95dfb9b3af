import RoundsContent
import RoundsCore
import Testing

@testable import RoundsFeedback

/// Claims, not words: the examples a review of the engine found graded wrongly, each as a test.
@Suite struct ClaimTests {
    static let library = IndependentAgreementTests.library
    static let engine = IndependentAgreementTests.engine

    func question(_ id: String) throws -> Question {
        try #require(Self.library.question(id: id), "no question \(id) in the bank")
    }

    /// "CPT codes are published by CMS… HCPCS Level II codes are for diagnoses" earned both points.
    @Test func cptPublishedByCMSIsAWrongClaimAndEarnsNothing() throws {
        let question = try question("cpt-vs-hcpcs-level-ii-for-managers")
        let answer = """
            CPT codes are published by CMS and describe what the doctor did during the visit. HCPCS Level II codes \
            are for diagnoses, so the hospital uses them to say what the patient has. Both are needed to get paid.
            """
        let feedback = Self.engine.evaluate(answer, for: question)
        #expect(feedback.misconceptions.contains { $0.span.range.lowerBound < 40 }, "\(feedback.misconceptions)")
        #expect(feedback.misconceptions.count >= 2, "\(feedback.misconceptions.map(\.claim))")
        #expect(feedback.band <= 1)
    }

    /// "level i" matched inside "Level II".
    @Test func levelIDoesNotMatchLevelII() {
        let text = AnalyzedText("HCPCS Level II covers supplies and ambulance rides.")
        #expect(Phrase("level i").firstAffirmedMatch(in: text) == nil)
        #expect(Phrase("level ii").firstAffirmedMatch(in: text) != nil)
        #expect(Phrase("hcpcs level i").firstAffirmedMatch(in: AnalyzedText("HCPCS Level I is CPT.")) != nil)
    }

    /// "AWS and Azure are HIPAA certified, so once you sign the BAA you are basically compliant" scored 69.
    @Test func hipaaCertifiedCloudIsFlaggedAndEarnsNoCredit() throws {
        let question = try question("hipaa-cloud-baa-shared-responsibility")
        let answer = """
            AWS and Azure are HIPAA certified, so once you sign the BAA you are basically compliant. The cloud \
            provider takes care of the security of the data, and we just deploy our app there.
            """
        let feedback = Self.engine.evaluate(answer, for: question)
        #expect(!feedback.misconceptions.isEmpty)
        #expect(feedback.band <= 1)
        // The sentence that asserts certification earns nothing, even for "knows there is no certification".
        let first = answer.count / 2
        #expect(feedback.points.allSatisfy { point in point.evidence.allSatisfy { $0.start > first } })
    }

    /// A sentence that refutes a myth is not flagged.
    @Test func refutingAMythIsNotAClaim() throws {
        let question = try question("hipaa-cloud-baa-shared-responsibility")
        for answer in [
            "It is a myth that AWS is HIPAA certified: there is no HIPAA certification, and a BAA does not make us compliant.",
            "There is no such thing as a HIPAA certified cloud; the BAA only splits the responsibilities.",
        ] {
            let feedback = Self.engine.evaluate(answer, for: question)
            #expect(
                !feedback.misconceptions.contains { $0.claim.localizedCaseInsensitiveContains("certif") },
                "\(answer) → \(feedback.misconceptions.map(\.claim))")
        }
    }

    /// "Names and addresses on their own are not PHI" was credited as "notes what is not PHI".
    @Test func namesAreNotPHIIsFlagged() throws {
        let question = try question("what-counts-as-phi")
        let answer = """
            Names and addresses on their own are not PHI, only diagnoses and treatment details are. So a patient \
            list with names and home addresses can be shared freely with marketing.
            """
        let feedback = Self.engine.evaluate(answer, for: question)
        #expect(!feedback.misconceptions.isEmpty, "\(feedback.points.map(\.coverage))")
        #expect(feedback.band <= 1)
    }

    /// A 23-word string of SQL keywords that is not a query scored 72 on a code question.
    @Test func sqlKeywordsThatAreNotAQueryScoreLow() throws {
        let question = try #require(
            Self.library.questions.first { $0.kind == .code && $0.primarySkill == "sql-databases" })
        let answer =
            "SELECT FROM WHERE GROUP BY HAVING ORDER BY JOIN LEFT JOIN COUNT DISTINCT SUM AVG PARTITION OVER WINDOW CTE WITH INDEX LIMIT"
        let feedback = Self.engine.evaluate(answer, for: question)
        #expect(feedback.band <= 1, "score \(feedback.score)")
        #expect(feedback.checks.contains { $0.id == "code.query" && $0.status == .fail })
    }

    /// "once" counted as healthcare context; "30-day", "one page" and "top three" as a measured result.
    @Test func onceIsNotHealthcareAndCountsAreNotResults() throws {
        let question = try #require(Self.library.questions.first { $0.kind == .behavioral })
        let answer = """
            Once I had a deadline for a 30-day report. I wrote a one page summary of the top three issues and \
            presented it once to the team, and they liked it.
            """
        let feedback = Self.engine.evaluate(answer, for: question)
        let context = feedback.checks.first { $0.id == "healthcare-context" }
        #expect(context?.spans.allSatisfy { !$0.text.lowercased().hasPrefix("once") } ?? true)
        #expect(context?.status == .fail)
        #expect(feedback.checks.first { $0.id == "quantified-impact" }?.status == .fail)
    }

    @Test func aRealMeasuredResultCounts() throws {
        let question = try #require(Self.library.questions.first { $0.kind == .behavioral })
        let answer = "After the change, claim denials fell from 12% to 7% and we saved 40 hours a month."
        let feedback = Self.engine.evaluate(answer, for: question)
        #expect(feedback.checks.first { $0.id == "quantified-impact" }?.status == .pass)
    }

    /// The length target is stated from the suggested minutes at a stated speaking rate.
    @Test func lengthTargetNamesMinutesAndSpeakingRate() throws {
        let question = try question("cpt-vs-hcpcs-level-ii-for-managers")
        let feedback = Self.engine.evaluate("CPT is the AMA's code set for procedures.", for: question)
        let length = try #require(feedback.checks.first { $0.id == "length" })
        #expect(length.detail.contains("\(question.minutes)-minute"))
        #expect(length.detail.contains("\(DeliveryChecks.wordsPerMinute) words a minute"))
    }

    /// A fact stated with a wrong value is flagged with the correction; with the right value it is not.
    @Test func factSlotsFlagWrongValuesOnly() {
        let slot = FactSlot(
            id: "cpt-owner", about: ["cpt"], right: ["american medical association", "ama"], wrong: ["cms"],
            correction: "The AMA owns CPT.")
        let question = FeedbackEngineTests.question
        let engine = FeedbackEngine(facts: [slot], encoder: nil)
        let wrong = engine.evaluate("CPT codes are maintained by CMS for billing patients.", for: question)
        #expect(wrong.misconceptions.map(\.via) == ["fact"])
        #expect(wrong.misconceptions.first?.correction == "The AMA owns CPT.")
        let right = engine.evaluate("CPT is owned by the AMA, while CMS runs HCPCS Level II.", for: question)
        #expect(right.misconceptions.isEmpty)
        let denied = engine.evaluate("CPT is not published by CMS.", for: question)
        #expect(denied.misconceptions.isEmpty)
    }
}
