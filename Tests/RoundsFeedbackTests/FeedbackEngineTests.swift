import RoundsCore
import Testing

@testable import RoundsFeedback

/// The engine's rules, one at a time, on a small question built here.
@Suite struct FeedbackEngineTests {
    static let question = Question(
        id: "encrypt-phi", title: "How would you protect PHI stored by a telehealth app?", level: .beginner,
        skills: ["security-incident-response"], roles: ["healthcare-security-engineer"], kind: .concept, minutes: 3,
        audience: nil,
        rubric: [
            .init(
                point: "Encrypts data at rest and in transit", weight: 2,
                evidence: ["encrypt at rest", "TLS", "AES 256"]),
            .init(
                point: "Limits access by role with MFA", weight: 2,
                evidence: ["role based access", "multi factor", "MFA"]),
            .init(point: "Keeps audit logs of access to records", weight: 1, evidence: ["audit log", "access logs"]),
        ],
        misconceptions: [
            .init(
                claim: "Encryption alone makes the app compliant.", phrases: ["encryption alone makes"],
                correction: "It is one safeguard among many.")
        ],
        followups: [], sources: [],
        modelAnswer: """
            I would encrypt PHI at rest with AES-256 and in transit with TLS 1.2 or later, so a stolen disk or an \
            intercepted call reveals nothing. Clinicians and patients get role-based access, and every login \
            needs multi-factor authentication. Every read of a patient record goes to an audit log that the \
            privacy office reviews, so inappropriate access is caught.
            """,
        tip: "Start with the data, then the people.", pitfalls: ["Only naming encryption."])

    let engine = FeedbackEngine(globalMisconceptions: [
        GlobalMisconception(
            id: "pay-ransom-first",
            misconception: .init(
                claim: "Pay the ransom first.", phrases: ["pay the ransom first"], correction: "Isolate first."),
            skills: ["security-incident-response"]),
        GlobalMisconception(
            id: "other-skill",
            misconception: .init(
                claim: "Wrong elsewhere.", phrases: ["patients hospital clinicians"], correction: "n/a"),
            skills: ["machine-learning"]),
    ])

    func evaluate(_ answer: String) -> Feedback { engine.evaluate(answer, for: Self.question) }

    @Test func theModelAnswerIsExcellent() {
        let feedback = evaluate(Self.question.modelAnswer)
        #expect(feedback.points.allSatisfy { $0.coverage == .covered })
        #expect(feedback.band == 4)
        #expect(feedback.rating == .easy)
        #expect(feedback.caps.isEmpty)
    }

    @Test func evidenceSpansPointAtTheWords() {
        let answer =
            "For patients' records we encrypt everything at rest and use TLS on every connection to the clinic."
        let feedback = evaluate(answer)
        let point = feedback.points[0]
        #expect(point.coverage == .covered)
        let characters = Array(answer)
        let quoted = point.evidence.map { String(characters[$0.range]) }
        #expect(quoted == ["encrypt everything at rest", "TLS"])
    }

    @Test func aCorrectAnswerInOtherWordsScoresWell() {
        let answer = """
            Patient data on our servers is encrypted at rest using AES-256, and traffic uses TLS. Each clinician \
            gets role-based access to only their patients, with multi-factor sign-in for everyone. We keep access \
            logs for every chart view and the privacy team reviews them weekly.
            """
        let feedback = evaluate(answer)
        #expect(feedback.band >= 3, "\(feedback.score) \(feedback.points.map(\.coverage))")
    }

    @Test func aListOfBuzzwordsScoresPoorly() {
        let feedback = evaluate("Encryption at rest, TLS, AES-256, role-based access, MFA, audit logs, HIPAA, PHI.")
        #expect(feedback.band <= 1)
        #expect(feedback.caps.contains { $0.contains("lists terms") })
        #expect(feedback.improvements.first?.hasPrefix("Explain, don't list") == true)
    }

    @Test func negatedEvidenceEarnsNothing() {
        let feedback = evaluate(
            "We did not encrypt at rest, and we never turned on MFA for the clinicians or patients.")
        #expect(feedback.points[0].coverage == .missing)
        #expect(feedback.points[0].negated.count == 1)
        #expect(feedback.points[1].coverage == .missing)
    }

    @Test func aMisconceptionCapsTheScore() {
        let answer = Self.question.modelAnswer + " Encryption alone makes the app compliant, so that is the main thing."
        let feedback = evaluate(answer)
        #expect(feedback.misconceptions.count == 1)
        #expect(feedback.misconceptions[0].global == false)
        #expect(feedback.score <= 30)
        #expect(feedback.band <= 1)
        #expect(feedback.improvements.first?.hasPrefix("Correct a wrong claim") == true)
    }

    @Test func globalMisconceptionsApplyByskill() {
        let feedback = evaluate(
            "If ransomware hits I would pay the ransom first, then encrypt at rest. Patients hospital clinicians agree."
        )
        #expect(feedback.misconceptions.map(\.claim) == ["Pay the ransom first."])
        #expect(feedback.misconceptions[0].global)
    }

    @Test func aDeniedMisconceptionIsNotFlagged() {
        let feedback = evaluate(
            "Never pay the ransom first; isolate systems. Encrypt at rest and use TLS for patients.")
        #expect(feedback.misconceptions.isEmpty)
    }

    @Test func anOffTopicAnswerScoresZero() {
        let feedback = evaluate(
            "I am a hard worker who loves solving puzzles. I enjoy collaborating with colleagues and always deliver projects on schedule with great communication and attention to detail."
        )
        #expect(feedback.band == 0)
        #expect(feedback.checks.first { $0.id == "relevance" }?.status == .fail)
    }

    @Test func partialWordsEarnPartialCredit() {
        // "based" and "role" appear in one sentence, but not as the phrase "role based access": by words
        // alone that is half the point.
        let lexical = FeedbackEngine(encoder: nil)
        let feedback = lexical.evaluate(
            "Access is based on each person's role in the clinic, and patients sign in twice.", for: Self.question)
        #expect(feedback.points[1].coverage == .partly)
    }

    @Test func aPointSaidInOtherWordsIsCreditedByMeaningAndExplained() throws {
        let feedback = evaluate(
            "Each time a patient file is read, the system writes an entry to a trail that the privacy office reviews, so inappropriate viewing is caught."
        )
        let point = feedback.points[2]
        #expect(point.coverage == .covered)
        let semantic = try #require(point.semantic)
        #expect(semantic.similarity >= Double(Semantics.coverSimilarity))
        #expect(semantic.sentence.text.hasPrefix("Each time a patient file is read"))
        // Without the encoder the same words earn at most part of the point.
        let lexical = FeedbackEngine(encoder: nil).evaluate(semantic.sentence.text, for: Self.question)
        #expect(lexical.points[2].coverage != .covered)
    }

    @Test func tooShortAnswersFailTheLengthCheck() {
        let feedback = evaluate("Encrypt at rest with TLS.")
        #expect(feedback.checks.first { $0.id == "length" }?.status == .fail)
    }

    @Test func fillerWordsAreCounted() {
        let answer =
            "Um, basically we, like, encrypt at rest, you know, and um basically use TLS for patients and clinicians, kind of everywhere, actually all of the time for the hospital."
        let check = evaluate(answer).checks.first { $0.id == "filler" }
        #expect(check?.status == .fail)
        #expect(check?.spans.count ?? 0 >= 6)
    }

    @Test func bandsFollowTheThresholds() {
        #expect(
            [0, 19, 20, 39, 40, 61, 62, 81, 82, 100].map(FeedbackEngine.band(for:)) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    }

    @Test func theSameInputGivesTheSameFeedback() {
        let answer = "We encrypt at rest and keep audit logs of every chart view by clinicians."
        #expect(evaluate(answer) == evaluate(answer))
    }
}

@Suite struct KindChecksTests {
    func question(
        kind: QuestionKind, title: String = "Q?", audience: Audience? = nil, rubric: [Question.RubricPoint]? = nil
    ) -> Question {
        Question(
            id: "q", title: title, level: .beginner, skills: ["behavioral-communication"], roles: [], kind: kind,
            minutes: 3, audience: audience,
            rubric: rubric ?? [
                .init(
                    point: "Context", weight: 1, evidence: ["go live", "epic upgrade"],
                    star: kind == .behavioral ? .situation : nil),
                .init(
                    point: "Role", weight: 1, evidence: ["my job was", "responsible for"],
                    star: kind == .behavioral ? .task : nil),
                .init(
                    point: "Action", weight: 1, evidence: ["i met", "i trained"],
                    star: kind == .behavioral ? .action : nil),
                .init(
                    point: "Result", weight: 1, evidence: ["tickets fell", "reduced"],
                    star: kind == .behavioral ? .result : nil),
            ],
            misconceptions: [], followups: [], sources: [], modelAnswer: "", tip: "", pitfalls: [])
    }

    @Test func starStepsAreFoundOrMissing() {
        let story = """
            During our Epic upgrade go-live at a 300-bed hospital, I was responsible for training the nurses on \
            the new medication screens. I met each unit manager, I trained 120 nurses in small groups on night \
            shifts, and I set up a help line. As a result, support tickets fell by 40% in the first week.
            """
        let feedback = FeedbackEngine().evaluate(story, for: question(kind: .behavioral))
        let star = feedback.checks.filter { $0.id.hasPrefix("star.") }
        #expect(star.count == 4)
        #expect(star.allSatisfy { $0.status == .pass })
        #expect(feedback.checks.first { $0.id == "quantified-impact" }?.status == .pass)

        let vague = FeedbackEngine().evaluate(
            "I always communicate well with nurses and work hard to help everyone in the hospital.",
            for: question(kind: .behavioral))
        #expect(vague.checks.first { $0.id == "star.result" }?.status == .fail)
        #expect(vague.checks.first { $0.id == "quantified-impact" }?.status == .fail)
    }

    @Test func plainLanguageFlagsLongSentencesAndJargon() {
        let dense = """
            The FHIR API exposes an interoperability layer that leverages JSON payloads and OAuth scopes, which \
            the EHR middleware normalizes through an ETL pipeline into a canonical schema for downstream \
            analytics consumption across heterogeneous departmental information systems and registries.
            """
        let feedback = FeedbackEngine().evaluate(dense, for: question(kind: .explain, audience: .clinician))
        #expect(feedback.checks.first { $0.id == "plain-language" }?.status == .fail)
        #expect(feedback.checks.first { $0.id == "jargon" }?.status == .fail)
        #expect(feedback.checks.first { $0.id == "readability" }?.status != .pass)

        let plain = """
            FHIR is a common language that computer systems use to share health records. Think of it like a \
            standard form: every hospital fills in the same boxes. So when you order a lab test, the result can \
            come back to your screen without anyone typing it again.
            """
        let good = FeedbackEngine().evaluate(plain, for: question(kind: .explain, audience: .clinician))
        #expect(good.checks.first { $0.id == "plain-language" }?.status == .pass)
        #expect(good.checks.first { $0.id == "jargon" }?.status == .pass)
    }

    @Test func codeHygiene() {
        let answer = """
            ```sql
            SELECT * FROM visits WHERE discharge_time = NULL AND (los > 3
            ```
            """
        let checks = FeedbackEngine().evaluate(answer, for: question(kind: .code)).checks
        #expect(checks.first { $0.id == "code.present" }?.status == .pass)
        #expect(checks.first { $0.id == "code.select-star" }?.status == .warn)
        #expect(checks.first { $0.id == "code.null-comparison" }?.status == .fail)
        #expect(checks.first { $0.id == "code.balanced" }?.status == .fail)

        let prose = FeedbackEngine().evaluate(
            "I would write a query that groups visits by month.", for: question(kind: .code))
        #expect(prose.checks.first { $0.id == "code.present" }?.status == .fail)
    }

    @Test func healthcareContextIsCheckedOutsideCode() {
        let generic = FeedbackEngine().evaluate(
            "I would build a scalable service with queues, caching and a relational store behind a load balancer.",
            for: question(kind: .design))
        #expect(generic.checks.first { $0.id == "healthcare-context" }?.status == .fail)
    }
}
