import Foundation
import RoundsContent
import RoundsCore
import Testing

@testable import RoundsFeedback

/// The rubric probes that `rounds content lint` runs (issue 13): each with a rubric that fails and
/// one that passes.
@Suite struct RubricProbeTests {
    let probe = RubricProbe()

    func question(evidence: [[String]], misconceptionPhrases: [String] = ["notify within 90 days"]) -> Question {
        Question(
            id: "breach-deadlines", title: "A laptop with patient data is stolen: who do you tell, and by when?",
            level: .intermediate, skills: ["privacy-compliance"], roles: ["health-it-manager"], kind: .scenario,
            minutes: 4, audience: nil,
            rubric: evidence.enumerated().map { index, phrases in
                .init(point: "Point \(index)", weight: 1, evidence: phrases)
            },
            misconceptions: [
                .init(
                    claim: "Patients have 90 days.", phrases: misconceptionPhrases,
                    correction: "Individuals are told within 60 days of discovery.")
            ],
            followups: [], sources: [],
            modelAnswer: """
                Unencrypted PHI on a stolen laptop is a presumed breach unless a documented four-factor risk \
                assessment shows a low probability of compromise. We notify affected individuals without \
                unreasonable delay and within 60 days of discovery. Because 500 or more people are affected, HHS \
                hears within the same 60 days, and because more than 500 live in one state, prominent media \
                outlets too. Encryption to HHS guidance would have made the data secured.
                """,
            tip: "", pitfalls: [])
    }

    @Test func aListOfShortEvidenceStaysBelowBandTwo() {
        let good = question(evidence: [
            ["presumed breach", "four factor risk assessment", "low probability of compromise"],
            ["notify affected individuals", "within 60 days", "without unreasonable delay"],
            ["500 or more individuals", "prominent media outlets", "more than 500 residents"],
            ["secured phi", "encryption to hhs guidance"],
        ])
        let list = RubricProbe.keywordList(good)
        #expect(list.hasPrefix("presumed breach, four factor risk assessment"))
        #expect(probe.problems(in: good).isEmpty, "\(probe.problems(in: good))")
    }

    @Test func aRubricThatAListOfLongPhrasesSatisfiesIsAProblem() {
        // Six long phrases full of function words read like prose to the list detector.
        let weak = question(evidence: [
            ["we treat it as a presumed breach of the data", "there is a risk assessment with four factors"],
            ["we notify the affected individuals within sixty days", "the delay is not unreasonable for them"],
            ["we tell hhs when there are five hundred or more", "the media is told about it in the state"],
        ])
        let problems = probe.problems(in: weak)
        #expect(problems.map(\.field) == ["rubric"], "\(problems)")
        #expect(problems.first?.message.contains("must stay below band 2") == true)
    }

    @Test func aMisconceptionPhraseThatARejectionTripsIsAProblem() {
        let subject = question(evidence: [
            ["presumed breach", "four factor risk assessment"], ["within 60 days", "notify affected individuals"],
            ["prominent media outlets", "500 or more individuals"],
        ])
        // The standard rejections never trip the engine (the next test shows why); a sentence that
        // rejects the claim in a way the engine does not see must be reported.
        #expect(probe.problems(in: subject).isEmpty)
        let unseen = RubricProbe(rejections: ["The rules have moved on from {}.", "It is not true that hospitals {}."])
        let problems = unseen.problems(in: subject)
        #expect(problems.map(\.field) == ["misconceptions[0].phrases[0]"], "\(problems)")
        #expect(problems.first?.message.contains("The rules have moved on from notify within 90 days.") == true)
        #expect(problems.first?.message.contains("a sentence that rejects the claim") == true)
    }

    @Test func rejectionsAndContrastsAreNotClaims() {
        let engine = FeedbackEngine(encoder: nil)
        let subject = question(evidence: [
            ["presumed breach", "four factor"], ["within 60 days", "notify individuals"],
            ["media outlets", "500 or more"],
        ])
        for sentence in [
            "Rather than notify within 90 days, we notify within 60.",
            "Instead of notifying within 90 days, tell them within 60.",
            "Avoid notifying within 90 days; the rule is 60.",
            "It is a myth that you can notify within 90 days.",
        ] {
            #expect(engine.evaluate(sentence, for: subject).misconceptions.isEmpty, "\(sentence)")
        }
        #expect(engine.evaluate("We notify within 90 days.", for: subject).misconceptions.count == 1)
    }

    @Test func aMisconceptionPhraseThatTheModelAnswerContainsIsAProblem() {
        let evidence = [
            ["presumed breach", "four factor"], ["within 60 days", "notify individuals"], ["media outlets"],
        ]
        #expect(probe.problems(in: question(evidence: evidence)).isEmpty)
        // "notify affected individuals" is in the model answer: every right answer would be flagged.
        let flagsTheRightAnswer = question(
            evidence: evidence, misconceptionPhrases: ["notify within 90 days", "notify affected individuals"])
        let problems = probe.problems(in: flagsTheRightAnswer)
        #expect(problems.map(\.field) == ["misconceptions[0].phrases[1]"], "\(problems)")
        #expect(problems.first?.message.contains("the model answer is flagged") == true)
        #expect(problems.first?.phrase == "notify affected individuals")
    }

    @Test func aPhraseThatFlagsANeighboursModelAnswerIsAProblem() {
        let evidence = [
            ["presumed breach", "four factor"], ["within 60 days", "notify individuals"], ["media outlets"],
        ]
        let subject = question(
            evidence: evidence, misconceptionPhrases: ["notify within 90 days", "encryption optional"])
        let neighbour = Question(
            id: "encryption-basics", title: "Is encryption required under HIPAA?", level: .beginner,
            skills: ["privacy-compliance"], roles: [], kind: .concept, minutes: 2, audience: nil, rubric: [],
            misconceptions: [], followups: [], sources: [],
            modelAnswer: "Encryption is addressable: you implement it or document an equivalent.",
            tip: "", pitfalls: [])
        // A right answer that never states the claim passes; one whose words the phrase matches does not.
        #expect(probe.problems(in: subject, peers: [.init(neighbour)]).isEmpty)
        let plain = Question(
            id: neighbour.id, title: neighbour.title, level: .beginner, skills: neighbour.skills, roles: [],
            kind: .concept, minutes: 2, audience: nil, rubric: [], misconceptions: [], followups: [], sources: [],
            modelAnswer: "The old policy left laptop encryption optional; the new one turns it on for every device.",
            tip: "", pitfalls: [])
        let problems = probe.problems(in: subject, peers: [.init(plain), .init(subject)])
        #expect(problems.map(\.field) == ["misconceptions[0].phrases[1]"], "\(problems)")
        #expect(problems.first?.message.contains("the model answer of `encryption-basics`") == true)
    }

    /// What `rounds content lint --strict` checks in CI, as a test: no bundled rubric fails a probe.
    @Test func everyBundledRubricPassesTheProbes() {
        let library = LabelledAgreementTests.library
        let probe = RubricProbe(globalMisconceptions: library.globalMisconceptions, facts: library.facts)
        let problems = library.questions.flatMap { question in
            probe.problems(in: question).map { "\(question.id): \($0.field): \($0.message)" }
        }
        #expect(library.questions.count >= 360)
        #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
    }
}
