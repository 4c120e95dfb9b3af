import Testing

@testable import RoundsCore

/// Issue 21, finding 8: `99999-01-01` reached the database (whose CHECK refused it: a 500) and
/// `2026-02-30` was saved. Only days that exist, written YYYY-MM-DD, are interview dates.
@Suite struct InterviewDateTests {
    @Test(arguments: ["2027-02-01", "2028-02-29", "2000-01-01", "2199-12-31"])
    func realDaysAreDates(_ text: String) {
        #expect(LearnerSettings.interviewDateProblem(text) == nil)
    }

    @Test(arguments: [
        ("99999-01-01", "not a date"), ("2026-02-30", "28 days"), ("2027-02-29", "28 days"), ("2026-13-01", "month 13"),
        ("2026-04-31", "30 days"), ("1850-01-01", "plausible"), ("2026-1-1", "not a date"),
        ("２０２６-01-01", "not a date"),
        ("2026-01-01T00:00", "not a date"), ("", "not a date"),
    ])
    func otherTextIsNotAndSaysWhy(_ text: String, _ words: String) {
        let problem = LearnerSettings.interviewDateProblem(text)
        #expect(problem?.contains(words) == true, "\(text): \(problem ?? "accepted")")
    }
}
