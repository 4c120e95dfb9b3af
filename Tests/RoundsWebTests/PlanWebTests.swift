import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RoundsContent
import RoundsCore
import RoundsStore
import RoundsTestSupport
import Testing

@testable import RoundsWeb

/// Issue 17: the study plan page, its calendar file, and the countdown and today's plan on the dashboard.
@Suite struct PlanWebTests {
    static func day(_ days: Int) -> String {
        let date = Calendar.current.date(byAdding: .day, value: days, to: Date())!
        let c = Calendar.current.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    @Test(arguments: TestStores.kinds) func thePlanFollowsTheSettings(_ kind: StoreLocation.Kind) async throws {
        try await FileBackedApp.run(mode: "single", on: kind) { client, store in
            // Without a date: a rolling week, and a pointer to the settings.
            let rolling = try await client.execute(uri: "/plan", method: .get) { String(buffer: $0.body) }
            #expect(rolling.contains("A rolling week") && rolling.contains(#"href="/settings""#))
            #expect(rolling.components(separatedBy: #"class="card plan-day""#).count - 1 == 7)

            let learner = try await store.learner(named: "local")
            try await store.updateSettings(
                LearnerSettings(targetRole: "healthcare-data-analyst", interviewDate: Self.day(20)),
                learnerID: learner.id)
            let page = try await client.execute(uri: "/plan", method: .get) { String(buffer: $0.body) }
            #expect(page.contains("20 days left · Healthcare data analyst"))
            #expect(page.contains("it fits.") || page.contains("it does not fit."))
            #expect(page.contains(#"<span class="tag">new</span> <a href="/questions/"#))
            #expect(page.contains(#"<a href="/mock">Timed mock interview</a>"#))
            #expect(page.contains("The 13 days after that"))
            #expect(page.contains(#"<label for="hours">Hours a week</label>"#))
            #expect(page.contains(#"aria-current="page">Plan</a>"#))

            // Too little time: the page says so and lists what it left out.
            let short = try await client.execute(uri: "/plan?hours=0.5", method: .get) { String(buffer: $0.body) }
            #expect(short.contains("cannot cover the role") && short.contains("Left out"))

            let dashboard = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            #expect(
                dashboard.contains(#"<span class="big">20</span> <span class="label">days to your interview</span>"#))
            #expect(dashboard.contains("Today's plan"))

            try await client.execute(uri: "/plan.ics?hours=4", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
                #expect(response.headers[.contentDisposition]?.contains("rounds-plan.ics") == true)
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
                #expect(
                    text.contains("UID:interview-\(Self.day(20).replacingOccurrences(of: "-", with: ""))@rounds.local"))
            }
        }
    }

    @Test(arguments: TestStores.kinds) func hoursAWeekAreASettingThePlanUses(_ kind: StoreLocation.Kind) async throws {
        try await FileBackedApp.run(mode: "single", on: kind) { client, store in
            let browser = Browser()
            let settings = String(buffer: try await browser.get(client, "/settings").body)
            #expect(settings.contains(#"<label for="hours">Hours a week for study</label>"#))
            #expect(settings.contains(#"placeholder="5""#), "empty until set, showing what the plan assumes")
            let saved = try await browser.post(
                client, "/settings",
                [
                    ("role", "healthcare-security-engineer"), ("interviewDate", Self.day(10)), ("retention", "0.90"),
                    ("hours", "7.5"), ("level", "advanced"),
                ])
            #expect(saved.status == .seeOther)
            let learner = try await store.learner(named: "local")
            #expect(learner.settings.hoursPerWeek == 7.5 && learner.settings.level == .advanced)
            #expect(
                String(buffer: try await browser.get(client, "/settings").body).contains(
                    #"<option value="advanced" selected>Advanced</option>"#))
            let badLevel = try await browser.post(
                client, "/settings", [("role", ""), ("interviewDate", ""), ("retention", "0.90"), ("level", "expert")])
            #expect(badLevel.status == .badRequest)
            #expect(String(buffer: try await browser.get(client, "/settings").body).contains(#"value="7.5""#))

            let plan = String(buffer: try await browser.get(client, "/plan").body)
            #expect(plan.contains(#"value="7.5""#) && plan.contains("64 min"), "7.5 hours a week is 64 minutes a day")
            #expect(!plan.contains("your settings say"))
            let trying = String(buffer: try await browser.get(client, "/plan?hours=3").body)
            #expect(trying.contains("Planned with 3 hours a week; your settings say 7.5."))

            let refused = try await browser.post(
                client, "/settings", [("role", ""), ("interviewDate", ""), ("retention", "0.90"), ("hours", "lots")])
            #expect(refused.status == .badRequest)
            #expect(String(buffer: refused.body).contains("Hours a week must be a number from 0.5 to 80"))
            #expect(try await store.learner(named: "local").settings.hoursPerWeek == 7.5, "nothing half-saved")
            // Emptying the field goes back to the plan's assumption.
            _ = try await browser.get(client, "/settings")
            _ = try await browser.post(
                client, "/settings", [("role", ""), ("interviewDate", ""), ("retention", "0.90"), ("hours", " ")])
            #expect(try await store.learner(named: "local").settings.hoursPerWeek == nil)
        }
    }

    @Test func theAPIGivesThePlanAsJSON() async throws {
        try await FileBackedApp.run(mode: "single", on: .sqlite) { client, store in
            let learner = try await store.learner(named: "local")
            try await store.updateSettings(
                LearnerSettings(targetRole: "cloud-devops-engineer", interviewDate: Self.day(9), hoursPerWeek: 3.5),
                learnerID: learner.id)
            let response = try await client.execute(uri: "/api/v1/plan", method: .get)
            #expect(response.status == .ok)
            let plan = try JSONDecoder().decode(StudyPlan.self, from: Data(buffer: response.body))
            #expect(plan.daysLeft == 9 && plan.days.count == 9 && plan.hoursPerWeek == 3.5)
            #expect(plan.role == "cloud-devops-engineer" && plan.days.allSatisfy { $0.budgetMinutes == 30 })
            let tried = try await client.execute(uri: "/api/v1/plan?hours=7", method: .get)
            #expect(try JSONDecoder().decode(StudyPlan.self, from: Data(buffer: tried.body)).hoursPerWeek == 7)
            let bad = try await client.execute(uri: "/api/v1/plan?hours=x", method: .get)
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("invalid_hours"))
        }
    }

    @Test(arguments: TestStores.kinds) func theDashboardShowsTheWeekAndReadinessOverTime(_ kind: StoreLocation.Kind)
        async throws
    {
        try await FileBackedApp.run(mode: "single", on: kind) { client, store in
            let learner = try await store.learner(named: "local")
            try await store.updateSettings(
                LearnerSettings(targetRole: "healthcare-data-analyst", hoursPerWeek: 2), learnerID: learner.id)
            let now = Date()
            let answers = [
                (20.0, "what-counts-as-phi", 60), (9.0, "what-counts-as-phi", 90),
                (0.0, "hipaa-security-rule-safeguard-categories", 70),
            ]
            for (daysAgo, question, score) in answers {
                let at = now.addingTimeInterval(-daysAgo * 86_400 - 60)
                let card = ReviewScheduler().review(.new(due: at), rating: .good, at: at)
                _ = try await store.record(
                    Attempt(
                        learnerID: learner.id, questionID: question, sessionID: nil, answeredAt: at,
                        answer: "An answer.",
                        score: score, band: 3, rating: .good, ratingOverridden: false, secondsTaken: 600, summary: ""),
                    review: Review(
                        learnerID: learner.id, questionID: question, attemptID: nil, reviewedAt: at, rating: .good,
                        card: card))
            }
            let dashboard = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body) }
            #expect(dashboard.contains("of 120 planned minutes"), "2 hours a week")
            #expect(dashboard.contains("Readiness over time"))
            #expect(dashboard.contains("Readiness for Healthcare data analyst, week by week, in percent:"))

            let progress = try await client.execute(uri: "/api/v1/plan/progress", method: .get)
            let decoded = try JSONDecoder().decode(PlanProgress.self, from: Data(buffer: progress.body))
            #expect(decoded.week.plannedMinutes == 120)
            #expect(decoded.readiness?.points.count ?? 0 >= 3, "the week of the first answer to this week")
            let percents = decoded.readiness?.points.map(\.percent) ?? []
            #expect(percents == percents.sorted(), "readiness only grew: \(percents)")
        }
    }

    @Test func badHoursGetAClearError() async throws {
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            for value in ["abc", "0", "81", "nan"] {
                try await client.execute(uri: "/plan?hours=\(value)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(value)")
                    #expect(String(buffer: response.body).contains("Hours a week must be a number from 0.5 to 80"))
                }
            }
        }
    }
}

/// Issue 17: the role pages.
@Suite struct RolePagesTests {
    @Test(arguments: TestStores.kinds) func rolesShowStagesReadinessAndWhatToDoNext(_ kind: StoreLocation.Kind)
        async throws
    {
        try await FileBackedApp.run(mode: "single", on: kind) { client, store in
            let browser = Browser()
            let list = String(buffer: try await browser.get(client, "/roles").body)
            #expect(list.components(separatedBy: #"<a class="question-link" href="/roles/"#).count - 1 == 8)
            #expect(!list.contains("your target"))

            let page = String(buffer: try await browser.get(client, "/roles/ehr-integration-analyst").body)
            #expect(page.contains("<h1>EHR / integration analyst</h1>"))
            #expect(page.contains("<strong>Workflow scenario</strong> <span class=\"muted small\">45 min</span>"))
            #expect(page.contains("Your readiness: 0%"))
            #expect(page.contains("<td>Interoperability (HL7 v2, FHIR)</td><td data-label=\"Weight\">5</td>"))
            #expect(page.contains(#"<span class="tag">question</span> <a href="/questions/"#))
            #expect(page.contains(#"<span class="tag">lab</span> <a href="/labs/"#))

            // "Make this my target role" changes only the role, and the page then says so.
            let chosen = try await browser.post(client, "/settings/role", [("role", "ehr-integration-analyst")])
            #expect(chosen.status == .seeOther && chosen.headers[.location] == "/roles/ehr-integration-analyst")
            let learner = try await store.learner(named: "local")
            #expect(
                learner.settings.targetRole == "ehr-integration-analyst" && learner.settings.desiredRetention == 0.9)
            let after = String(buffer: try await browser.get(client, "/roles/ehr-integration-analyst").body)
            #expect(after.contains("This is your target role."))
            #expect(String(buffer: try await browser.get(client, "/roles").body).contains("your target"))

            let missing = try await browser.get(client, "/roles/nope")
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("There is no role “nope”"))
            let bad = try await browser.post(client, "/settings/role", [("role", "nope")])
            #expect(bad.status == .badRequest)
        }
    }
}

/// Issue 17: the first-run form on the dashboard.
@Suite struct FirstRunTests {
    @Test func theFirstRunFormSetsTheGoalAndShowsTheRole() async throws {
        try await FileBackedApp.run(mode: "single", on: .sqlite) { client, store in
            let browser = Browser()
            let first = String(buffer: try await browser.get(client, "/").body)
            #expect(first.contains("What are you preparing for?"))
            #expect(first.contains(#"<label for="setup-role">Target role</label>"#))
            #expect(first.contains(#"<input id="setup-hours" name="hours""#) && first.contains(#"value="5""#))

            // "Not sure yet" keeps no role and goes to the plan; the form stays until there is a role.
            let unsure = try await browser.post(
                client, "/settings", [("next", "role"), ("role", ""), ("interviewDate", ""), ("hours", "4")])
            #expect(unsure.headers[.location] == "/plan")
            #expect(try await store.learner(named: "local").settings.hoursPerWeek == 4)
            #expect(String(buffer: try await browser.get(client, "/").body).contains("What are you preparing for?"))

            let chosen = try await browser.post(
                client, "/settings",
                [
                    ("next", "role"), ("role", "health-it-manager"), ("interviewDate", PlanWebTests.day(14)),
                    ("hours", "6"),
                ])
            #expect(chosen.headers[.location] == "/roles/health-it-manager")
            let settings = try await store.learner(named: "local").settings
            #expect(settings.targetRole == "health-it-manager" && settings.interviewDate == PlanWebTests.day(14))
            #expect(settings.hoursPerWeek == 6 && settings.desiredRetention == 0.9, "retention is left as it was")
            let after = String(buffer: try await browser.get(client, "/").body)
            #expect(!after.contains("What are you preparing for?"))
            #expect(after.contains(#"<span class="big">14</span>"#))
        }
    }
}
