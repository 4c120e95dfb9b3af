import Crypto
import Foundation
import RoundsCore
import RoundsStore
import Testing

/// Practising from the terminal, end to end, against a database in a temporary folder.
@Suite(.serialized) struct PracticeFlowTests {
    let database = FileManager.default.temporaryDirectory.appendingPathComponent(
        "rounds-cli-\(UUID().uuidString).sqlite"
    ).path

    static let answer = """
        I would start from the rules: HIPAA's Privacy Rule and Security Rule protect patient information, and \
        only the minimum necessary data should be used, with role-based access and audit logs.
        """

    func answers(_ count: Int) -> String {
        String(repeating: Self.answer + "\n\n", count: count)
    }

    @Test func practiceSavesEachAnswerAndSchedulesIt() async throws {
        let run = try RunningRounds(["practice", "--count", "3", "--db", database])
        run.write(answers(3))
        run.closeInput()
        run.wait()
        #expect(run.process.terminationStatus == 0, "\(run.text.suffix(1500))")
        #expect(run.text.components(separatedBy: "Saved. Next review").count - 1 == 3)
        #expect(run.text.contains("Session done: 3 answers saved."))

        let store = try SQLiteStore(path: database)
        let learner = try await store.learner(named: "local")
        let attempts = try await store.attempts(learnerID: learner.id, questionID: nil)
        #expect(attempts.count == 3)
        #expect(Set(attempts.map(\.questionID)).count == 3)
        let cards = try await store.currentCards(learnerID: learner.id)
        #expect(cards.count == 3)
        #expect(cards.values.allSatisfy { $0.due > Date() }, "nothing answered today is due again today")
        let sessions = try await store.sessions(learnerID: learner.id)
        #expect(sessions.count == 1 && sessions[0].endedAt != nil)

        let stats = try RoundsBinary.run(["stats", "--db", database, "--json"])
        struct Stats: Decodable {
            let attempts: Int
            let dueNow: Int
            let streakDays: Int
            let recentScores: [Int]
        }
        let decoded = try JSONDecoder().decode(Stats.self, from: Data(stats.stdout.utf8))
        #expect(decoded.attempts == 3 && decoded.dueNow == 0 && decoded.streakDays == 1)
        #expect(decoded.recentScores == attempts.map(\.score))
    }

    /// Issue 17: the first run asks for the goal (Enter skips any question), says what it cannot read,
    /// saves the answers, shows the role, and practice then follows it.
    @Test func theFirstRunAsksForTheGoalThenShowsTheRole() async throws {
        let run = try RunningRounds(["practice", "--setup", "--count", "1", "--db", database])
        run.write("9\n6\nintermediate\n2027-02-30\n2027-03-01\n7.5\n")
        #expect(run.waitFor("Your answer"), "\(run.text.suffix(1500))")
        run.closeInput()
        run.wait()
        #expect(run.text.contains("Welcome to Rounds. Four questions set up your plan"))
        #expect(run.text.contains("Type a number from 1 to 8."))
        #expect(run.text.contains("2027-02-30 does not exist: that month has 28 days."))
        #expect(run.text.contains("Saved. rounds settings changes any of it"))
        #expect(run.text.contains("Interview stages") && run.text.contains("What would raise it most"))
        #expect(run.text.contains("Practice: 1 question for Healthcare data analyst."))
        let store = try SQLiteStore(path: database)
        let settings = try await store.learner(named: "local").settings
        #expect(settings.targetRole == "healthcare-data-analyst" && settings.level == .intermediate)
        #expect(settings.interviewDate == "2027-03-01" && settings.hoursPerWeek == 7.5)

        // Enter at every question keeps what is there; nothing is asked without --setup off a terminal.
        let again = try RunningRounds(["practice", "--setup", "--count", "1", "--db", database])
        again.write("\n\n\n\n")
        #expect(again.waitFor("Your answer"))
        again.closeInput()
        again.wait()
        #expect(try await store.learner(named: "local").settings == settings)
        let piped = try RunningRounds([
            "practice", "--count", "1", "--db",
            FileManager.default.temporaryDirectory.appendingPathComponent("rounds-fresh-\(UUID().uuidString).sqlite")
                .path,
        ])
        piped.closeInput()
        piped.wait()
        #expect(!piped.text.contains("Welcome to Rounds"), "piped input is a script, not a first run")
    }

    @Test func killingTheProcessLosesNoCommittedAnswer() async throws {
        let run = try RunningRounds(["practice", "--count", "5", "--db", database])
        run.write(Self.answer + "\n\n")
        #expect(run.waitFor("Saved. Next review"))
        run.write(Self.answer + "\n\n")
        #expect(run.waitFor("Saved. Next review", count: 2))
        // Halfway through typing the third answer, the process dies without a chance to clean up.
        run.write("Half an answer about")
        run.kill()

        let store = try SQLiteStore(path: database)
        let learner = try await store.learner(named: "local")
        let attempts = try await store.attempts(learnerID: learner.id, questionID: nil)
        let reviews = try await store.reviews(learnerID: learner.id)
        #expect(attempts.count == 2)
        #expect(reviews.count == 2)
        #expect(Set(reviews.compactMap(\.attemptID)) == Set(attempts.map(\.id)), "each attempt has its review")
    }

    @Test func ctrlCEndsTheSessionCleanly() async throws {
        let run = try RunningRounds(["practice", "--count", "5", "--db", database])
        run.write(Self.answer + "\n\n")
        #expect(run.waitFor("Saved. Next review"))
        run.interrupt()
        #expect(run.text.contains("Session ended. 1 answer saved."))
        let store = try SQLiteStore(path: database)
        let learner = try await store.learner(named: "local")
        #expect(try await store.sessions(learnerID: learner.id).first?.endedAt != nil)
        #expect(try await store.attempts(learnerID: learner.id, questionID: nil).count == 1)
    }

    /// Issue 18: Ctrl-C at the rating prompt after feedback dropped the answer that was just graded.
    @Test func ctrlCAtTheRatingPromptSavesTheGradedAnswerWithTheProposedRating() async throws {
        let run = try RunningRounds(
            ["practice", "--count", "5", "--db", database], environment: ["ROUNDS_INTERACTIVE": "1"])
        run.write(Self.answer + "\n.\n")
        #expect(run.waitFor("Enter to keep"))
        let proposed = try #require(
            run.text.firstMatch(of: /Rating for scheduling: ([1-4])/).map { Int($0.1)! })
        run.interrupt()
        #expect(run.text.contains("Session ended. 1 answer saved."), "\(run.text.suffix(400))")
        let store = try SQLiteStore(path: database)
        let learner = try await store.learner(named: "local")
        #expect(try await store.attempts(learnerID: learner.id, questionID: nil).count == 1)
        let reviews = try await store.reviews(learnerID: learner.id)
        #expect(reviews.map(\.rating.rawValue) == [proposed])
    }

    @Test func aRatingTypedAtThePromptIsSavedOnce() async throws {
        let run = try RunningRounds(
            ["practice", "--count", "1", "--db", database], environment: ["ROUNDS_INTERACTIVE": "1"])
        run.write("First paragraph: " + Self.answer + "\n\nSecond paragraph, after an empty line.\n.\n")
        #expect(run.waitFor("Enter to keep"))
        run.write("1\n")
        run.closeInput()
        run.wait()
        // The output pipe is read as it comes; let it drain after the process has ended.
        #expect(run.waitFor("Session done: 1 answer saved.", seconds: 10), "\(run.text.suffix(300))")
        let store = try SQLiteStore(path: database)
        let learner = try await store.learner(named: "local")
        let reviews = try await store.reviews(learnerID: learner.id)
        #expect(reviews.map(\.rating) == [.again])
        // Issue 18: in a terminal an empty line is a paragraph break; a line holding only "." ends the answer.
        let attempts = try await store.attempts(learnerID: learner.id, questionID: nil)
        #expect(attempts.first?.answer.contains("\n\nSecond paragraph") == true, "\(attempts.first?.answer ?? "")")
    }

    @Test func exportAndImportRoundTripInBothFormats() async throws {
        let run = try RunningRounds(["practice", "--count", "2", "--db", database])
        run.write(answers(2))
        run.closeInput()
        run.wait()

        let json = try RoundsBinary.run(["export", "--db", database])
        #expect(json.status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rounds-export-\(UUID().uuidString).json")
        try Data(json.stdout.utf8).write(to: file)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-export-\(UUID().uuidString)")
        let csv = try RoundsBinary.run(["export", "--db", database, "--format", "csv", "--out", folder.path])
        #expect(csv.status == 0, "\(csv.stderr)")

        for source in [file.path, folder.path] {
            let target = FileManager.default.temporaryDirectory.appendingPathComponent(
                "rounds-import-\(UUID().uuidString).sqlite"
            ).path
            let imported = try RoundsBinary.run(["import", source, "--db", target])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("Imported 2 answers, 2 reviews, 1 sessions, 0 lab hand-ins, 0 openings"))
            let again = try RoundsBinary.run(["import", source, "--db", target])
            #expect(again.stdout.contains("Imported 0 answers"))
            let reexport = try RoundsBinary.run(["export", "--db", target])
            #expect(Self.history(reexport.stdout) == Self.history(json.stdout), "\(source)")
        }
    }

    @Test func accountsAreListedAndGivenRoles() async throws {
        let store = try SQLiteStore(path: database)
        let hash = "$2b$12$" + String(repeating: "a", count: 53)
        _ = try await store.createAccount(email: "ada@example.org", passwordHash: hash, role: .learner, at: Date())
        let promoted = try RoundsBinary.run(["accounts", "role", "ADA@example.org", "admin", "--db", database])
        #expect(promoted.status == 0, "\(promoted.stderr)")
        #expect(promoted.stdout.contains("ada@example.org is now an admin."))
        let listed = try RoundsBinary.run(["accounts", "list", "--json", "--db", database])
        #expect(listed.stdout.contains(#""role" : "admin""#) || listed.stdout.contains(#""role":"admin""#))
        let alone = try RoundsBinary.run(["accounts", "role", "ada@example.org", "learner", "--db", database])
        #expect(alone.status != 0 && alone.stderr.contains("the only admin"))
        let unknown = try RoundsBinary.run(["accounts", "role", "bob@example.org", "coach", "--db", database])
        #expect(unknown.status != 0 && unknown.stderr.contains("no account has the email"))
        let badRole = try RoundsBinary.run(["accounts", "role", "ada@example.org", "root", "--db", database])
        #expect(badRole.status != 0)

        // Issue 18: a one-time password-reset link for someone who forgot theirs.
        let link = try RoundsBinary.run([
            "accounts", "reset-password", "Ada@example.org", "--url", "https://rounds.example.org/", "--db", database,
        ])
        #expect(link.status == 0, "\(link.stderr)")
        let token = try #require(
            link.stdout.firstMatch(of: /https:\/\/rounds\.example\.org\/reset\/([0-9a-f]{64})\n/)?.1)
        let account = try #require(try await store.account(email: "ada@example.org"))
        let hashed = SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(try await store.passwordResetAccount(tokenHash: hashed, now: Date())?.account.id == account.id)
        let badURL = try RoundsBinary.run([
            "accounts", "reset-password", "ada@example.org", "--url", "rounds", "--db", database,
        ])
        #expect(badURL.status != 0 && badURL.stderr.contains("--url must be an http or https address"))
        let nobody = try RoundsBinary.run(["accounts", "reset-password", "bob@example.org", "--db", database])
        #expect(nobody.status != 0 && nobody.stderr.contains("no account has the email"))
    }

    @Test func importRefusesSomethingElse() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-rounds-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"hello": "world"}"#.utf8).write(to: file)
        let output = try RoundsBinary.run(["import", file.path, "--db", database])
        #expect(output.status != 0)
        #expect(output.stderr.contains("is not a Rounds export: missing `format`"))
    }

    /// Issue 18: `rounds answer` printed "next review: Good" and saved nothing, without saying so.
    @Test func answerIsADryRunUnlessSaved() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-answer-\(UUID()).txt")
        try Data(Self.answer.utf8).write(to: file)
        let id = "hipaa-why-it-matters-for-data-roles"
        let dry = try RoundsBinary.run(["answer", id, "--file", file.path, "--db", database])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Not saved: this was a dry run. Add --save"))
        let saved = try RoundsBinary.run(["answer", id, "--file", file.path, "--db", database, "--save"])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("Saved to your history. Next review"))
        let json = try RoundsBinary.run(["answer", id, "--file", file.path, "--db", database, "--save", "--json"])
        #expect(json.stderr.contains("Saved to your history"))
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil, "stdout stays JSON")
        let store = try SQLiteStore(path: database)
        let learner = try await store.learner(named: "local")
        let attempts = try await store.attempts(learnerID: learner.id, questionID: nil)
        #expect(attempts.count == 2 && attempts.allSatisfy { $0.questionID == id })
        #expect(try await store.reviews(learnerID: learner.id).count == 2)
    }

    @Test func settingsValidateAndPersist() throws {
        let bad = try RoundsBinary.run(["settings", "--retention", "0.5", "--db", database])
        #expect(bad.status != 0 && bad.stderr.contains("between 0.70 and 0.97"))
        let set = try RoundsBinary.run([
            "settings", "--role", "healthcare-data-analyst", "--retention", "0.85", "--db", database,
        ])
        #expect(set.status == 0, "\(set.stderr)")
        let shown = try RoundsBinary.run(["settings", "--json", "--db", database])
        #expect(shown.stdout.contains("\"targetRole\" : \"healthcare-data-analyst\""))
        #expect(shown.stdout.contains("0.85"))
    }

    @Test func mockInterviewReportsAtTheEnd() throws {
        let run = try RunningRounds([
            "mock", "--role", "healthcare-data-analyst", "--minutes", "10", "--seed", "7", "--db", database,
        ])
        run.write(answers(8))
        run.closeInput()
        run.wait()
        #expect(run.process.terminationStatus == 0, "\(run.text.suffix(1000))")
        #expect(run.text.contains("MOCK INTERVIEW REPORT"))
        #expect(run.text.contains("What to practise next"))
        #expect(run.text.contains("⏱"))
        let long = run.text.split(separator: "\n").filter { $0.count > 80 }
        #expect(long.isEmpty, "issue 18: every line fits 80 columns: \(long)")
    }

    /// Issue 18: `rounds mock` ignored the target role saved with `rounds settings --role`.
    @Test func mockUsesTheSavedTargetRole() throws {
        let none = try RoundsBinary.run(["mock", "--minutes", "10", "--db", database])
        #expect(none.status != 0 && none.stderr.contains("Give --role, or save a target role"), "\(none.stderr)")
        _ = try RoundsBinary.run(["settings", "--role", "cloud-devops-engineer", "--db", database])
        let run = try RunningRounds(["mock", "--minutes", "10", "--seed", "3", "--json", "--db", database])
        run.write(answers(8))
        run.closeInput()
        run.wait()
        #expect(run.process.terminationStatus == 0, "\(run.text.suffix(600))")
        #expect(run.text.contains(#""role" : "cloud-devops-engineer""#), "\(run.text.suffix(600))")
    }

    @Test func answerPrintsFeedbackFromStandardInput() throws {
        let id = "hipaa-why-it-matters-for-data-roles"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("answer-\(UUID().uuidString).txt")
        try Data("HIPAA only applies to hospitals.".utf8).write(to: file)
        let output = try RoundsBinary.run(["answer", id, "--file", file.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("WRONG OR HARMFUL CLAIMS"))
        let json = try RoundsBinary.run(["answer", id, "--file", file.path, "--json"])
        struct Feedback: Decodable {
            let band: Int
            let misconceptions: [[String: AnyDecodable]]
        }
        let decoded = try JSONDecoder().decode(Feedback.self, from: Data(json.stdout.utf8))
        #expect(decoded.band <= 1 && decoded.misconceptions.count == 1)
        let empty = try RoundsBinary.run(["answer", id, "--file", "/dev/null"])
        #expect(empty.status != 0 && empty.stderr.contains("the answer is empty"))

        // Issue 18: colour for bands and marks, only where it can be seen and is wanted.
        #expect(!output.stdout.contains("\u{1B}["), "a pipe gets no escape codes")
        // An empty NO_COLOR counts as unset (no-color.org); the test runner may have set it.
        let coloured = try RoundsBinary.run(
            ["answer", id, "--file", file.path], environment: ["CLICOLOR_FORCE": "1", "NO_COLOR": ""])
        #expect(
            coloured.stdout.contains("\u{1B}[31m✗\u{1B}[0m ") && coloured.stdout.contains("\u{1B}[31mband 0"),
            "\(coloured.stdout.prefix(300).debugDescription)")
        let plain = try RoundsBinary.run(
            ["answer", id, "--file", file.path], environment: ["CLICOLOR_FORCE": "1", "NO_COLOR": "1"])
        #expect(!plain.stdout.contains("\u{1B}[") && plain.stdout == output.stdout, "NO_COLOR wins")
        // Colour never changes where lines break.
        let stripped = coloured.stdout.replacing(/\u{1B}\[[0-9]+m/, with: "")
        #expect(stripped == output.stdout)
    }

    @Test func replayPrintsTheMemoryState() throws {
        let output = try RoundsBinary.run([
            "schedule", "replay", "--ratings", "1,3,3,3,3,3", "--days", "0,0,1,3,8,21", "--json",
        ])
        #expect(output.status == 0)
        #expect(output.stdout.contains("53.626"))
        let bad = try RoundsBinary.run(["schedule", "replay", "--ratings", "3,3", "--days", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--days has 1 items but --ratings has 2"))
    }

    /// The parts of an export that must survive a round trip (ids and export time may differ).
    static func history(_ json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [] }
        let attempts = (object["attempts"] as? [[String: Any]] ?? []).map {
            "\($0["questionID"]!)|\($0["answeredAt"]!)|\($0["score"]!)|\($0["answer"]!)"
        }
        let reviews = (object["reviews"] as? [[String: Any]] ?? []).map { review in
            let card =
                (try? JSONSerialization.data(withJSONObject: review["card"] ?? [:], options: .sortedKeys))
                .map { String(decoding: $0, as: UTF8.self) } ?? ""
            return "\(review["questionID"]!)|\(review["reviewedAt"]!)|\(card)"
        }
        return attempts + reviews
    }
}

/// Decodes any JSON value, to count array items without modelling them.
struct AnyDecodable: Decodable {
    init(from decoder: any Decoder) throws {}
}
