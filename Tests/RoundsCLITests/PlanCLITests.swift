import Foundation
import Testing

/// Issue 17: `rounds plan`, its JSON, and its iCalendar file read back by a real parser (Python's
/// `icalendar` package, which `.ci/run` installs).
@Suite struct PlanCLITests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-plan-\(UUID().uuidString)")
    var database: String { folder.appendingPathComponent("rounds.sqlite").path }

    /// `YYYY-MM-DD` of the day `days` from today, in this machine's calendar (the command's).
    static func day(_ days: Int) -> String {
        let date = Calendar.current.date(byAdding: .day, value: days, to: Date())!
        let c = Calendar.current.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    @Test func aPlanToTheInterviewInTextJSONAndICalendar() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let interview = Self.day(21)
        let settings = try RoundsBinary.run([
            "settings", "--db", database, "--role", "ehr-integration-analyst", "--interview-date", interview,
            "--hours", "6", "--level", "intermediate",
        ])
        #expect(settings.status == 0, "\(settings.stderr)")
        #expect(settings.stdout.contains("Hours a week:      6"))
        #expect(settings.stdout.contains("Level:             intermediate"))

        let stats = try RoundsBinary.run(["stats", "--db", database])
        #expect(stats.stdout.hasPrefix("Interview \(interview): 21 days left"))

        let text = try RoundsBinary.run(["plan", "--db", database, "--days", "2"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Interview \(interview): 21 days left · EHR / integration analyst"))
        #expect(text.stdout.contains("6 hours a week"), "the hours come from the settings")
        #expect(text.stdout.contains(" of 51 min"), "6 hours a week is 51 minutes a day")
        #expect(text.stdout.contains("\n\(Self.day(0))  ") && text.stdout.contains("\n\(Self.day(1))  "))
        #expect(!text.stdout.contains("\n\(Self.day(2))  "), "--days 2 shows two days")
        #expect(text.stdout.contains("… 19 more days"))

        struct Plan: Decodable {
            struct Day: Decodable {
                struct Item: Decodable {
                    let kind: String
                    let id: String?
                    let minutes: Int
                }
                let date: String
                let items: [Item]
            }
            let daysLeft: Int?
            let interviewDate: String?
            let days: [Day]
            let fits: Bool
        }
        let json = try RoundsBinary.run(["plan", "--db", database, "--hours", "6", "--json"])
        let plan = try JSONDecoder().decode(Plan.self, from: Data(json.stdout.utf8))
        #expect(plan.daysLeft == 21 && plan.interviewDate == interview && plan.days.count == 21)
        let mocks = plan.days.filter { $0.items.contains { $0.kind == "mock" } }.map(\.date)
        #expect(mocks == [Self.day(1), Self.day(8), Self.day(15), Self.day(19)])

        let ics = folder.appendingPathComponent("plan.ics").path
        let written = try RoundsBinary.run(["plan", "--db", database, "--hours", "6", "--ics", ics])
        #expect(written.status == 0 && written.stdout.contains("Wrote the plan as iCalendar to \(ics)"))
        // A real parser: every event's date, and the interview day.
        let script = """
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            for event in cal.walk('VEVENT'):
                print(event.decoded('dtstart').isoformat(), event.decoded('dtend').isoformat(), str(event['summary']), str(event.get('description', '')).count('\\n') + 1)
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, ics]
        let pipe = Pipe()
        let errors = Pipe()
        python.standardOutput = pipe
        python.standardError = errors
        try python.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let failure = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "python3 with icalendar (pip install icalendar): \(failure)")
        let events = output.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 2) }
        let planned = plan.days.filter { !$0.items.isEmpty }
        #expect(events.count == planned.count + 1)
        #expect(events.first?.first.map(String.init) == planned.first?.date)
        #expect(events.contains { $0[0] == Substring(interview) && $0[2].hasPrefix("Interview") })
        // The first day's description lists each of its items on its own line.
        let first = output.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasSuffix(" \(planned[0].items.count)"), "\(first)")
    }

    @Test func badHoursAreRefusedWithTheRange() throws {
        let run = try RoundsBinary.run(["plan", "--db", database, "--hours", "200"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--hours must be between 0.5 and 80"))
    }
}

/// Issue 17: `rounds roles list|show`.
@Suite struct RolesCLITests {
    @Test func rolesListAndShow() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rounds-roles-\(UUID().uuidString).sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: database) }
        _ = try RoundsBinary.run(["settings", "--db", database, "--role", "healthcare-data-analyst"])
        struct Row: Decodable {
            let id: String
            let readiness: Int
            let target: Bool
        }
        let list = try JSONDecoder().decode(
            [Row].self, from: Data(try RoundsBinary.run(["roles", "list", "--db", database, "--json"]).stdout.utf8))
        #expect(list.count == 8)
        #expect(list.filter(\.target).map(\.id) == ["healthcare-data-analyst"])

        struct Report: Decodable {
            struct Skill: Decodable {
                let skill: String
                let weight: Double
                let headroom: Int
            }
            struct Next: Decodable {
                let kind: String
                let id: String
            }
            let readiness: Int
            let skills: [Skill]
            let next: [Next]
        }
        let show = try RoundsBinary.run(["roles", "show", "healthcare-data-analyst", "--db", database, "--json"])
        let report = try JSONDecoder().decode(Report.self, from: Data(show.stdout.utf8))
        #expect(report.readiness == 0)
        #expect(report.skills.first?.skill == "sql-databases" && report.skills.first?.weight == 5)
        // With nothing answered, each skill's points left are its share of the weight: 5 of 27 is 19.
        #expect(report.skills.first?.headroom == 19)
        #expect(report.skills.map(\.headroom).reduce(0, +) >= 99)
        #expect(report.next.first?.kind == "question" && report.next.contains { $0.kind == "lab" })

        let text = try RoundsBinary.run(["roles", "show", "healthcare-data-analyst", "--db", database])
        #expect(text.stdout.contains("Interview stages\n  1. Recruiter screen (30 min)"))
        let unknown = try RoundsBinary.run(["roles", "show", "nope", "--db", database])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown role 'nope'. Roles: cloud-devops-engineer"))
    }
}
