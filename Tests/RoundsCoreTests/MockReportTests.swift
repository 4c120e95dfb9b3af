import Testing

@testable import RoundsCore

/// Issue 18: the mock report recommended the learner's strongest skill (with two skills, "the three
/// weakest" are both), and counted a question only toward its first skill.
@Suite struct MockReportTests {
    static func question(_ id: String, skills: [String]) -> Question {
        Question(
            id: id, title: id, level: .beginner, skills: skills, roles: ["healthcare-data-analyst"],
            kind: .concept, minutes: 3, audience: nil, rubric: [], misconceptions: [], followups: [], sources: [],
            modelAnswer: "", tip: "", pitfalls: [])
    }

    @Test func aQuestionCountsTowardEveryOneOfItsSkills() {
        let report = MockReport(
            role: "r", minutes: 15, secondsUsed: 600, planned: 2,
            entries: [
                .init(
                    question: Self.question("a", skills: ["sql-databases", "data-quality-governance"]), score: 40,
                    band: 1, seconds: 60, overTime: false, improvements: []),
                .init(
                    question: Self.question("b", skills: ["sql-databases"]), score: 90, band: 4, seconds: 60,
                    overTime: false, improvements: []),
            ])
        let averages = Dictionary(uniqueKeysWithValues: report.skills.map { ($0.skill, $0.score) })
        #expect(averages == ["sql-databases": 65, "data-quality-governance": 40])
    }

    @Test func theStrongestSkillIsNeverRecommended() {
        let report = MockReport(
            role: "r", minutes: 15, secondsUsed: 600, planned: 2,
            entries: [
                .init(
                    question: Self.question("a", skills: ["privacy-compliance"]), score: 70, band: 3, seconds: 60,
                    overTime: false, improvements: []),
                .init(
                    question: Self.question("b", skills: ["sql-databases"]), score: 30, band: 1, seconds: 60,
                    overTime: false, improvements: []),
            ])
        #expect(report.weakest.map(\.skill) == ["sql-databases"])
        let strong = MockReport(
            role: "r", minutes: 15, secondsUsed: 600, planned: 1,
            entries: [
                .init(
                    question: Self.question("a", skills: ["privacy-compliance"]), score: 92, band: 4, seconds: 60,
                    overTime: false, improvements: [])
            ])
        #expect(strong.weakest.isEmpty, "an average of 92 is not a weakness")
    }
}
