import Foundation
import RoundsCore

/// A role as a learner sees it: what the job is, its interview stages, how much each skill weighs,
/// the learner's readiness skill by skill, and what would raise it most.
public struct RoleReport: Sendable, Codable {
    public struct SkillRow: Sendable, Codable, Hashable {
        public let skill: String
        public let name: String
        /// The role's weight for the skill.
        public let weight: Double
        /// The learner's mastery, 0 to 1.
        public let mastery: Double
        public let practised: Int
        public let available: Int
        /// Readiness points (of 100) the skill still has to give: its share of the role's weight times
        /// what is left to master.
        public let headroom: Int
    }

    /// Something to do that would raise readiness.
    public struct Suggestion: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable { case review, question, lab }
        public let kind: Kind
        public let id: String
        public let title: String
        public let skill: String
        public let why: String
    }

    public let role: Role
    /// Readiness for the role, 0 to 100.
    public let readiness: Int
    /// The role's skills, heaviest first.
    public let skills: [SkillRow]
    public let next: [Suggestion]
}

extension ContentLibrary {
    /// How many questions and labs a role report suggests.
    static let reportQuestions = 5
    static let reportLabs = 3

    /// The report on `role` for a learner whose progress is `snapshot`.
    public func roleReport(_ role: Role, snapshot: ProgressSnapshot, settings: LearnerSettings, now: Date = Date())
        -> RoleReport
    {
        let progress = snapshot.progress
        let total = role.skillWeights.values.reduce(0, +)
        let rows = role.skillWeights.filter { $0.value > 0 }.map { skill, weight in
            let measured = progress.skills.first { $0.skill == skill }
            let mastery = measured?.mastery ?? 0
            return RoleReport.SkillRow(
                skill: skill, name: self.skill(id: skill)?.name ?? skill, weight: weight, mastery: mastery,
                practised: measured?.practised ?? 0, available: measured?.available ?? 0,
                headroom: total > 0 ? Int((weight / total * (1 - mastery) * 100).rounded()) : 0)
        }.sorted { ($0.weight, $0.headroom, $1.skill) > ($1.weight, $1.headroom, $0.skill) }
        let headroom = Dictionary(rows.map { ($0.skill, $0.headroom) }, uniquingKeysWith: { a, _ in a })

        var next: [RoleReport.Suggestion] = PracticePlanner(for: settings).queue(
            questions: questions, cards: snapshot.cards, progress: progress, role: role, count: Self.reportQuestions,
            now: now, accepts: { (role.skillWeights[$0.primarySkill] ?? 0) > 0 }
        ).map { item in
            let skill = item.question.primarySkill
            let name = self.skill(id: skill)?.name ?? skill
            switch item.reason {
            case .due(let retrievability):
                return .init(
                    kind: .review, id: item.question.id, title: item.question.title, skill: skill,
                    why: "due for review: recall now about \(Int((retrievability * 100).rounded()))%")
            case .new:
                return .init(
                    kind: .question, id: item.question.id, title: item.question.title, skill: skill,
                    why: "\(name) has \(headroom[skill] ?? 0) readiness points left to earn")
            }
        }
        let labs = labs.filter { lab in
            snapshot.cards[Lab.reviewItem(lab.id)] == nil && (headroom[lab.skills.first ?? ""] ?? 0) > 0
        }.sorted {
            let a = headroom[$0.skills.first!] ?? 0
            let b = headroom[$1.skills.first!] ?? 0
            return a != b ? a > b : $0.level != $1.level ? $0.level < $1.level : $0.id < $1.id
        }
        var labSkills = Set<String>()
        for lab in labs where labSkills.count < Self.reportLabs {
            let skill = lab.skills.first!
            // One lab a skill, so the list spreads over the skills with the most to gain.
            guard labSkills.insert(skill).inserted else { continue }
            next.append(
                .init(
                    kind: .lab, id: lab.id, title: lab.title, skill: skill,
                    why: "hands-on \(self.skill(id: skill)?.name ?? skill), \(headroom[skill] ?? 0) points left"))
        }
        return RoleReport(
            role: role,
            readiness: progress.roles.first { $0.role == role.id }?.percent
                ?? LearnerProgress.readiness(
                    weights: role.skillWeights,
                    mastery: Dictionary(rows.map { ($0.skill, $0.mastery) }, uniquingKeysWith: { a, _ in a })),
            skills: rows,
            next: next)
    }
}
