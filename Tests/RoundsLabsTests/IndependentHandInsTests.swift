import Foundation
import RoundsCore
import Testing
import Yams

@testable import RoundsLabs

/// Hand-ins written by someone who never saw the labs' solutions, their listed wrong answers or the
/// graders (Tests/RoundsLabsTests/Independent, one file per family), each marked right or wrong by
/// the task's own wording. They are held out: the graders were not tuned on them. The test reports
/// how many of each are misjudged and holds the figures measured when the set arrived, so that a
/// change that misjudges more fails. `ROUNDS_DUMP_INDEPENDENT_LABS=1` prints every misjudged hand-in.
@Suite struct IndependentHandInsTests {
    struct HandIn: Decodable {
        let lab: String
        let expect: String
        let kind: String?
        let why: String?
        let handin: String
        let ambiguous: Bool?
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Independent")

    static func handIns(_ family: String) throws -> [HandIn] {
        let url = folder.appendingPathComponent("\(family).yaml")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try YAMLDecoder().decode([HandIn].self, from: String(contentsOf: url, encoding: .utf8))
    }

    /// Misjudged hand-ins allowed per family, clear-cut ones only (ambiguous ones are reported, not held):
    /// (correct ones rejected, wrong ones accepted).
    ///
    /// First measurement (2026-12-06, before anything was changed for this set): SQL 0 of 64 right
    /// hand-ins rejected, 0 of 105 wrong ones accepted; HL7 0 of 25 and 0 of 42; FHIR 7 of 24 and 0 of
    /// 47. Four FHIR rejections were grader faults, fixed since (a date-time with milliseconds, a dosage
    /// `sequence`, two short answers in other words). The other three leave out a code's system in a
    /// search; the hidden resources hold local codes that reuse the same numbers, and the tasks now say
    /// to give each code's system, but the hand-ins were written before they did. SQL allowed one: the
    /// tuning lab's non-covering index ran about 9× where 10× was asked, so timing decided it. The lab now
    /// judges its plan (a covering index), and that allowance is gone.
    ///
    /// When the glucose lab moved from 4 to 2.5 SD (a low tail cannot exist at 4 SD), the threshold in
    /// its five hand-ins was changed to match and nothing else.
    static let allowed: [String: (falselyRejected: Int, falselyAccepted: Int)] = [
        "sql": (0, 0), "hl7": (0, 0), "fhir": (3, 0),
    ]

    @Test(arguments: ["sql", "hl7", "fhir"])
    func misjudgedHandInsStayWithinWhatWasMeasured(family: String) throws {
        let items = try Self.handIns(family)
        try #require(!items.isEmpty, "no independent hand-ins for \(family)")
        let grader = BundledLabsTests.grader
        var falselyRejected: [String] = []
        var falselyAccepted: [String] = []
        var ambiguous: [String] = []
        var counts = (right: 0, wrong: 0)
        for item in items {
            guard let lab = BundledLabsTests.library.lab(id: item.lab) else {
                Issue.record("\(family): no lab \(item.lab)")
                continue
            }
            let accepted = grader.grade(lab, submission: item.handin).accepted
            let shouldAccept = item.expect == "accept"
            if shouldAccept { counts.right += 1 } else { counts.wrong += 1 }
            guard accepted != shouldAccept else { continue }
            let line = "\(item.lab) [\(item.kind ?? "")] \(item.why ?? "")"
            if item.ambiguous == true {
                ambiguous.append(line)
            } else if shouldAccept {
                falselyRejected.append(line)
            } else {
                falselyAccepted.append(line)
            }
        }
        print(
            "Independent \(family) hand-ins: \(counts.right) right, \(falselyRejected.count) falsely rejected; \(counts.wrong) wrong, \(falselyAccepted.count) falsely accepted; \(ambiguous.count) ambiguous misjudged"
        )
        if ProcessInfo.processInfo.environment["ROUNDS_DUMP_INDEPENDENT_LABS"] != nil {
            for line in falselyRejected { print("  rejected but right: \(line)") }
            for line in falselyAccepted { print("  accepted but wrong: \(line)") }
            for line in ambiguous { print("  ambiguous: \(line)") }
        }
        let allowed = Self.allowed[family] ?? (0, 0)
        #expect(falselyRejected.count <= allowed.falselyRejected, "\(falselyRejected)")
        #expect(falselyAccepted.count <= allowed.falselyAccepted, "\(falselyAccepted)")
    }
}
