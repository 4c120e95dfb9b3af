/// Chooses the questions of a timed mock interview: a behavioural opener, technical questions, a
/// design question, a code or explain question and a behavioural closer, repeated until the time is
/// used, preferring questions the learner has not answered yet.
///
/// Behavioural questions are short, so in a short interview they used to fill the time left after one
/// technical question (15 minutes gave two behavioural questions of three: issue 18). Past the opener,
/// a behavioural question is asked only after two technical ones for each behavioural question so far.
public struct MockPlanner: Sendable {
    /// The order in which kinds are drawn.
    public static let slots: [[QuestionKind]] = [
        [.behavioral], [.concept, .scenario], [.scenario, .concept], [.design], [.code, .explain], [.behavioral],
    ]

    public init() {}

    /// Questions tagged for `role` (at `level`, if given) whose suggested minutes fit in `minutes`;
    /// at least two questions whenever two exist.
    public func plan(
        questions: [Question], role: String, level: Level?, minutes: Int, answered: Set<String>, seed: UInt64
    ) -> [Question] {
        var generator = SplitMix64(seed: seed)
        let pool = questions.filter { $0.roles.contains(role) && (level == nil || $0.level == level) }
        var byKind: [QuestionKind: [Question]] = [:]
        for kind in QuestionKind.allCases {
            let own = pool.filter { $0.kind == kind }
            // Unanswered questions first, each group shuffled.
            byKind[kind] =
                own.filter { !answered.contains($0.id) }.shuffled(using: &generator)
                + own.filter { answered.contains($0.id) }.shuffled(using: &generator)
        }
        var chosen: [Question] = []
        var used = 0
        var slot = 0
        var misses = 0
        while misses < Self.slots.count {
            let kinds = Self.slots[slot % Self.slots.count]
            slot += 1
            guard let kind = kinds.first(where: { !(byKind[$0]?.isEmpty ?? true) }), let next = byKind[kind]?.first
            else {
                misses += 1
                continue
            }
            if kind == .behavioral, !chosen.isEmpty, !Self.mayAddBehavioral(to: chosen) {
                misses += 1
                continue
            }
            if used + next.minutes > minutes && chosen.count >= 2 {
                misses += 1
                continue
            }
            misses = 0
            byKind[kind]!.removeFirst()
            chosen.append(next)
            used += next.minutes
        }
        return chosen
    }

    /// True when `chosen` has at least two technical questions for each behavioural one.
    static func mayAddBehavioral(to chosen: [Question]) -> Bool {
        let behavioral = chosen.filter { $0.kind == .behavioral }.count
        return chosen.count - behavioral >= 2 * behavioral
    }
}
