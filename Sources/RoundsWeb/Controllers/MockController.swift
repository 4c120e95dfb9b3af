import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

/// Timed mock interviews in the browser, as `rounds mock` runs them in a terminal. The server keeps the
/// time: the interview is a stored session with its start and length, the questions are re-derived from
/// the session (the planner is seeded by it), and an answer sent after the time is up ends the interview.
/// The countdown on the page is only a display; JavaScript, when present, makes it tick.
struct MockController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    /// How late an answer may arrive after the time is up and still count (the last answer, marked over
    /// time), to allow for sending it.
    static let grace: TimeInterval = 60

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/mock", use: start)
        router.post("/mock", use: begin)
        router.get("/mock/:id", use: current)
        router.post("/mock/:id/answers", use: answer)
        router.post("/mock/:id/finish", use: finish)
        router.get("/mock/:id/report", use: report)
    }

    // MARK: The state of one interview

    /// The learner's own mock session with this id: another learner's id finds nothing.
    func interview(_ context: AppRequestContext, learner: Learner) async throws -> Interview {
        guard let id = context.parameters.get("id", as: Int64.self),
            let session = try await environment.store.sessions(learnerID: learner.id).first(where: {
                $0.id == id && $0.kind == .mock
            }), let role = session.role, let minutes = session.minutes
        else { throw PageError.notFound("There is no mock interview with that number.") }
        let all = try await environment.store.attempts(learnerID: learner.id, questionID: nil)
        return Interview(
            session: session, plan: Self.plan(session, role: role, minutes: minutes, attempts: all, library: library),
            attempts: all.filter { $0.sessionID == session.id },
            deadline: session.startedAt.addingTimeInterval(Double(minutes) * 60))
    }

    /// The interview's questions, the same on every request: the planner is seeded by the session's id
    /// and sees only the answers given before the session began.
    static func plan(
        _ session: PracticeSession, role: String, minutes: Int, attempts: [Attempt], library: ContentLibrary
    )
        -> [Question]
    {
        let answeredBefore = Set(attempts.filter { $0.answeredAt < session.startedAt }.map(\.questionID))
        return MockPlanner().plan(
            questions: library.questions, role: role, level: session.level, minutes: minutes,
            answered: answeredBefore, seed: UInt64(bitPattern: session.id) &* 0x9E37_79B9_7F4A_7C15)
    }

    // MARK: Starting

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let target = learner.settings.targetRole ?? library.roles.first?.id
        let sessions = try await environment.store.sessions(learnerID: learner.id).filter { $0.kind == .mock }
        let now = Date()
        let past = sessions.reversed().prefix(10).map { session in
            PastRow(
                id: session.id, when: session.startedAt.formatted(date: .abbreviated, time: .shortened),
                role: session.role.flatMap(library.role(id:))?.name ?? session.role ?? "",
                minutes: session.minutes ?? 0,
                open: session.endedAt == nil
                    && now < session.startedAt.addingTimeInterval(Double(session.minutes ?? 0) * 60))
        }
        let page = StartPage(
            csrf: context.csrfToken,
            roles: library.roles.map { Option(value: $0.id, label: $0.name, selected: $0.id == target) },
            levels: [Option(value: "", label: "Any level", selected: true)]
                + Level.allCases.map { Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: false) },
            minutes: [15, 30, 45, 60].map { Option(value: "\($0)", label: "\($0) minutes", selected: $0 == 30) },
            past: Array(past), hasPast: !past.isEmpty)
        return environment.views.response(.mockStart, title: "Mock interview", page: page, context: context)
    }

    struct StartForm: Decodable {
        let csrf: String?
        let role: String?
        let level: String?
        let minutes: Int?
    }

    @Sendable func begin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(StartForm.self, context: context)
        let learner = try await actions.currentLearner(context)
        guard let roleID = form.role, let role = library.role(id: roleID) else {
            throw PageError.badRequest("Choose a role to interview for.", code: "unknown_role")
        }
        let level = try LearnerActions.level(form.level)
        guard let minutes = form.minutes, (10...120).contains(minutes) else {
            throw PageError.badRequest("A mock interview lasts 10 to 120 minutes.", code: "bad_parameter")
        }
        let pool = library.questions.filter { $0.roles.contains(role.id) && (level == nil || $0.level == level) }
        guard pool.count >= 2 else {
            throw PageError.badRequest(
                "Too few questions are tagged for \(role.name)\(level.map { " at \($0.rawValue) level" } ?? ""); choose any level."
            )
        }
        let session = try await environment.store.startSession(
            PracticeSession(
                id: 0, learnerID: learner.id, kind: .mock, startedAt: Date(), role: role.id, level: level,
                minutes: minutes))
        return .redirect(to: "/mock/\(session.id)")
    }

    // MARK: Answering

    @Sendable func current(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let interview = try await interview(context, learner: learner)
        let now = Date()
        guard !interview.isOver(at: now), let question = interview.next else {
            if interview.session.endedAt == nil {
                try await environment.store.endSession(id: interview.session.id, at: now)
            }
            return .redirect(to: "/mock/\(interview.session.id)/report")
        }
        let left = Int(interview.deadline.timeIntervalSince(now).rounded(.down))
        let draft = try await environment.store.draft(
            key: Draft.mockKey(interview: interview.session.id, questionID: question.id), learnerID: learner.id)
        let page = QuestionStep(
            id: interview.session.id, csrf: context.csrfToken, number: interview.attempts.count + 1,
            total: interview.plan.count, row: QuestionRow(question, library: library),
            audience: question.audience?.rawValue, secondsLeft: left, clock: Self.clock(left),
            deadline: Int(interview.deadline.timeIntervalSince1970),
            role: interview.session.role.flatMap(library.role(id:))?.name ?? "",
            isLast: interview.attempts.count + 1 == interview.plan.count,
            previousQuestion: interview.attempts.last?.questionID, draftText: draft?.text ?? "",
            draftAt: draft.map { PageCache.milliseconds($0.savedAt) } ?? 0)
        return environment.views.response(
            .mockQuestion, title: "Mock interview: question \(page.number) of \(page.total)", page: page,
            context: context)
    }

    struct AnswerForm: Decodable {
        let csrf: String?
        let question: String?
        let answer: String?
        /// Set by the "Skip" button: the learner does not know, and moves on.
        let skip: String?
    }

    /// What a skipped question is recorded as: what the learner would say aloud. It is graded like any
    /// answer (band 0), so the question comes back soon; an answer already typed is kept instead.
    static let skipped = "I don't know."

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(AnswerForm.self, context: context)
        let learner = try await actions.currentLearner(context)
        let interview = try await interview(context, learner: learner)
        let now = Date()
        let id = interview.session.id
        guard interview.session.endedAt == nil, let question = interview.next else {
            return .redirect(to: "/mock/\(id)/report")
        }
        // Answers come in order: a resubmitted or skipped-ahead form is not counted twice.
        guard form.question == question.id else { return .redirect(to: "/mock/\(id)") }
        let typed = (form.answer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let text = try actions.validAnswer(form.skip != nil && typed.isEmpty ? Self.skipped : form.answer)
        // Timed by the server: from the previous answer (or the start) to this one.
        let seconds = Int(now.timeIntervalSince(interview.attempts.last?.answeredAt ?? interview.session.startedAt))
        if now > interview.deadline.addingTimeInterval(Self.grace) {
            // Too late to count in the interview; kept as ordinary practice so nothing typed is lost.
            _ = try await actions.submit(text, to: question, learner: learner, seconds: seconds)
            try await forgetDraft(of: question, in: id, learner: learner)
            try await environment.store.endSession(id: id, at: interview.deadline)
            return .redirect(to: "/mock/\(id)/report?late=1")
        }
        _ = try await actions.submit(text, to: question, learner: learner, seconds: seconds, session: id)
        try await forgetDraft(of: question, in: id, learner: learner)
        if now >= interview.deadline || interview.attempts.count + 1 == interview.plan.count {
            try await environment.store.endSession(id: id, at: now)
            return .redirect(to: "/mock/\(id)/report")
        }
        return .redirect(to: "/mock/\(id)")
    }

    /// Ends the interview. The button sits in the answer form, so an answer in the box comes along and
    /// is saved first (issue 18: it used to be a form of its own, and the typed answer was lost).
    @Sendable func finish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(AnswerForm.self, context: context)
        let learner = try await actions.currentLearner(context)
        let interview = try await interview(context, learner: learner)
        let id = interview.session.id
        let typed = (form.answer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if interview.session.endedAt == nil, !typed.isEmpty, let question = interview.next,
            form.question == question.id
        {
            let text = try actions.validAnswer(typed)
            let now = Date()
            let seconds = Int(now.timeIntervalSince(interview.attempts.last?.answeredAt ?? interview.session.startedAt))
            // Past the grace period it is kept as ordinary practice, as a late answer is.
            let late = now > interview.deadline.addingTimeInterval(Self.grace)
            _ = try await actions.submit(
                text, to: question, learner: learner, seconds: seconds, session: late ? nil : id)
            try await forgetDraft(of: question, in: id, learner: learner)
        }
        if interview.session.endedAt == nil {
            try await environment.store.endSession(id: id, at: min(Date(), interview.deadline))
        }
        return .redirect(to: "/mock/\(id)/report")
    }

    /// Removes the server's copy of an answer once the answer is saved.
    func forgetDraft(of question: Question, in interview: Int64, learner: Learner) async throws {
        try await environment.store.deleteDraft(
            key: Draft.mockKey(interview: interview, questionID: question.id), learnerID: learner.id)
    }

    // MARK: The report

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let interview = try await interview(context, learner: learner)
        let now = Date()
        if interview.session.endedAt == nil {
            guard interview.isOver(at: now) else { return .redirect(to: "/mock/\(interview.session.id)") }
            try await environment.store.endSession(id: interview.session.id, at: min(now, interview.deadline))
        }
        var entries: [MockReport.Entry] = []
        for attempt in interview.attempts {
            guard let question = library.question(id: attempt.questionID) else { continue }
            entries.append(
                MockReport.Entry(
                    question: question, score: attempt.score, band: attempt.band, seconds: attempt.secondsTaken ?? 0,
                    overTime: attempt.answeredAt > interview.deadline,
                    improvements: try await environment.feedback(attempt.answer, for: question).improvements,
                    attemptID: attempt.id))
        }
        let ended = interview.session.endedAt ?? now
        let report = MockReport(
            role: interview.session.role ?? "", minutes: interview.session.minutes ?? 0,
            secondsUsed: Int(min(ended, interview.deadline).timeIntervalSince(interview.session.startedAt)),
            planned: interview.plan.count, entries: entries)
        let skillName = { (id: String) in self.library.skill(id: id)?.name ?? id }
        let page = ReportPage(
            role: library.role(id: report.role)?.name ?? report.role, minutes: report.minutes,
            used: Self.clock(report.secondsUsed), answered: report.answered, planned: report.planned,
            averageScore: report.averageScore,
            entries: report.entries.enumerated().map { index, entry in
                .init(
                    number: index + 1, attemptID: entry.attemptID ?? 0, title: entry.title, kind: entry.kind.rawValue,
                    score: entry.score, band: Feedback.bandNames[entry.band], bandValue: entry.band,
                    time: Self.clock(entry.seconds), overTime: entry.overTime)
            }, hasEntries: !report.entries.isEmpty,
            chart: Charts.bars(
                report.skills.map { (label: skillName($0.skill), value: Double($0.score) / 100) },
                title: "Mean score per skill in this interview"),
            weakest: report.weakest.map { .init(name: skillName($0.skill), id: $0.skill, score: $0.score) },
            topImprovement: report.topImprovement, late: request.uri.queryParameters["late"] == "1",
            savedDrafts: interview.attempts.map { "mock:\(interview.session.id):\($0.questionID)" })
        return environment.views.response(.mockReport, title: "Mock interview report", page: page, context: context)
    }

    static func clock(_ seconds: Int) -> String {
        let total = max(0, seconds)
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
