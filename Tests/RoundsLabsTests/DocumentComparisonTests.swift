import FHIR
import Foundation
import HL7v2
import RoundsCore
import Testing

@testable import RoundsLabs

/// HL7 fix and FHIR write and map labs are graded against their whole expected document, by meaning
/// (issue 19, classes 2 and 3): every element the solution has is checked, a change anywhere is
/// caught, and the same meaning written another way passes.
@Suite struct DocumentComparisonTests {
    static let library = BundledLabsTests.library
    static let grader = LabGrader(fixtures: library.labFixtures)
    static let documentLabs = library.labs.filter { $0.kind.takesFHIR }.map(\.id)
    static let fixLabs = library.labs.filter { $0.kind == .hl7Fix }.map(\.id)

    // MARK: FHIR

    /// Every leaf of a JSON document with its path, and a copy with that one leaf changed.
    static func mutations(of json: JSONValue, path: [String] = []) -> [(path: String, document: JSONValue)] {
        switch json {
        case .object(let members):
            return members.indices.flatMap { index in
                mutations(of: members[index].value, path: path + [members[index].key]).map { mutation in
                    var copy = members
                    copy[index].value = mutation.document
                    return (mutation.path, JSONValue.object(copy))
                }
            }
        case .array(let items):
            return items.indices.flatMap { index in
                mutations(of: items[index], path: path + ["[\(index)]"]).map { mutation in
                    var copy = items
                    copy[index] = mutation.document
                    return (mutation.path, JSONValue.array(copy))
                }
            }
        case .string(let text):
            let changed: String
            if let date = FHIRDate(text), Equivalence.looksLikeDate(text) {
                // A day later, same precision.
                changed = text.replacingOccurrences(of: String(text.prefix(4)), with: String(Int(text.prefix(4))! + 1))
                _ = date
            } else {
                changed = text + "9"
            }
            return [(path.joined(separator: "."), .string(changed))]
        case .number(let text): return [(path.joined(separator: "."), .number(String(Double(text)! + 1)))]
        case .bool(let flag): return [(path.joined(separator: "."), .bool(!flag))]
        case .null: return []
        }
    }

    /// Leaves that no lab grades or that may take any value.
    static func isFree(_ path: String, in lab: Lab) -> Bool {
        let names = path.split(separator: ".").map(String.init).filter { !$0.hasPrefix("[") }
        guard let last = names.last else { return true }
        if ["display", "text", "div", "id", "userSelected", "version", "fullUrl"].contains(last) { return true }
        if names.first == "meta" || names.first == "extension" { return true }
        if path.contains("urn:uuid") { return true }
        let plain = ([lab.solutionResourceType] + names).joined(separator: ".")
        return (lab.optional + lab.free).contains { plain.hasPrefix($0) }
    }

    @Test(arguments: documentLabs)
    func changingAnyElementOfTheSolutionIsCaught(id: String) throws {
        let lab = try #require(Self.library.lab(id: id))
        let solution = try JSONValue(parsing: lab.solution)
        #expect(Self.grader.grade(lab, submission: lab.solution).accepted)
        var missed: [String] = []
        for mutation in Self.mutations(of: solution) where !Self.isFree(mutation.path, in: lab) {
            if case .string(let text) = mutation.document, text.hasPrefix("urn:uuid:") { continue }
            if mutation.path.hasSuffix("reference"), lab.kind == .fhirBundle { continue }
            if Self.grader.grade(lab, submission: mutation.document.serialized).accepted {
                missed.append(mutation.path)
            }
        }
        #expect(missed.isEmpty, "\(id): a change at \(missed.joined(separator: ", ")) is accepted")
    }

    @Test(arguments: documentLabs)
    func theSameInstantInAnotherZoneAndTheSameNumberWrittenOtherwisePass(id: String) throws {
        let lab = try #require(Self.library.lab(id: id))
        // Every date-time with an offset rewritten in UTC; every decimal with a trailing zero.
        var text = lab.solution
        let pattern = try Regex(#"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})"#)
        for match in text.matches(of: pattern).reversed() {
            let original = String(text[match.range])
            guard let date = FHIRDate(original) else { continue }
            let utc = Date(timeIntervalSince1970: date.low)
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            text.replaceSubrange(match.range, with: formatter.string(from: utc))
        }
        text = text.replacingOccurrences(of: #"(": \d+\.\d+)"#, with: "$1\\0", options: .regularExpression)
        let offset = try Regex(#"T\d{2}:\d{2}:\d{2}[+-]"#)
        let decimal = try Regex(#"": \d+\.\d"#)
        if lab.solution.contains(offset) || lab.solution.contains(decimal) {
            #expect(text != lab.solution)
        }
        let result = Self.grader.grade(lab, submission: text)
        #expect(result.accepted, "\(id): \(result.failures.map { "\($0.location ?? ""): \($0.message)" })\n\(text)")
    }

    @Test func periodEndOnAnEncounterThatHasNotEndedIsWrong() throws {
        let lab = try #require(Self.library.lab(id: "hl7-to-fhir-encounter"))
        let ended = lab.solution.replacingOccurrences(
            of: #""period": {"start": "2024-03-08T14:20:00-05:00"}"#,
            with: #""period": {"start": "2024-03-08T14:20:00-05:00", "end": "2024-03-08T18:00:00-05:00"}"#)
        #expect(ended != lab.solution)
        let result = Self.grader.grade(lab, submission: ended)
        #expect(!result.accepted)
        #expect(result.failures.contains { $0.location == "Encounter.period.end" })
    }

    @Test func anAllergyRecordedAsAnIntoleranceIsWrong() throws {
        let lab = try #require(Self.library.lab(id: "fhir-write-allergy"))
        let intolerance = lab.solution.replacingOccurrences(of: #""type": "allergy""#, with: #""type": "intolerance""#)
        #expect(intolerance != lab.solution)
        #expect(!Self.grader.grade(lab, submission: intolerance).accepted)
    }

    @Test func aWrongHandInSeesWhatIsWrongButNotTheChecklist() throws {
        let lab = try #require(Self.library.lab(id: "fhir-write-allergy"))
        let wrong = lab.solution.replacingOccurrences(of: #""criticality": "high""#, with: #""criticality": "low""#)
        let result = Self.grader.grade(lab, submission: wrong)
        #expect(!result.accepted)
        #expect(result.findings.filter { $0.status == .passed }.isEmpty)
        #expect(result.failures.map(\.location) == ["AllergyIntolerance.criticality"])
        // No finding states a value the hand-in got wrong.
        #expect(!result.findings.contains { $0.message.contains("“high”") })
        #expect(result.score > 0 && result.score < 100)
        let right = Self.grader.grade(lab, submission: lab.solution)
        #expect(right.findings.filter { $0.status == .passed }.count == 1)
    }

    // MARK: HL7 v2

    @Test(arguments: fixLabs)
    func changingAnyFieldOfTheCorrectedMessageIsCaught(id: String) throws {
        let lab = try #require(Self.library.lab(id: id))
        let lines = lab.solution.split(separator: "\r").map(String.init)
        var missed: [String] = []
        for (index, line) in lines.enumerated() {
            var fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            for field in fields.indices.dropFirst() where !(index == 0 && field == 1) && !fields[field].isEmpty {
                let original = fields[field]
                // Change the first component: a letter to another, a digit to another.
                let first = original.first!
                let changed = first.isNumber ? (first == "9" ? "8" : "9") : (first == "Z" ? "Y" : "Z")
                fields[field] = changed + original.dropFirst()
                var message = lines
                message[index] = fields.joined(separator: "|")
                if Self.grader.grade(lab, submission: message.joined(separator: "\n")).accepted {
                    missed.append("\(fields[0])-\(index == 0 ? field + 1 : field)")
                }
                fields[field] = original
            }
        }
        #expect(missed.isEmpty, "\(id): a change at \(missed.joined(separator: ", ")) is accepted")
    }

    @Test func theSameTimestampInAnotherOffsetAndTheSameNumberPass() {
        #expect(Equivalence.sameHL7("20240202221000-0600", "20240203041000+0000"))
        #expect(!Equivalence.sameHL7("20240202221000-0600", "20240202221000-0500"))
        #expect(Equivalence.sameHL7("5.90", "5.9"))
        #expect(!Equivalence.sameHL7("20240202-0500", "20240202-0600"))
        #expect(!Equivalence.sameNumber("20240202221000-0500", "20240202221000-0600"))
        #expect(Equivalence.sameFHIR("2024-05-20T13:00:00Z", "2024-05-20T08:00:00-05:00", element: "start"))
        #expect(!Equivalence.sameFHIR("2024-05-20", "2024-05-20T00:00:00Z", element: "start"))
        #expect(!Equivalence.sameFHIR("mL", "ML", element: "code"))
        #expect(
            Equivalence.sameFHIR("2024-02-03T01:30:00.000-06:00", "2024-02-03T07:30:00Z", element: "effectiveDateTime"))
        #expect(
            !Equivalence.sameFHIR("2024-02-03T01:30:00.500-06:00", "2024-02-03T07:30:00Z", element: "effectiveDateTime")
        )
    }

    @Test func shortAnswersIgnoreSpacingAroundPunctuationAndCase() {
        #expect(LabGrader.sameAnswer("0.6 - 1.1", "0.6-1.1"))
        #expect(LabGrader.sameAnswer("5.90", "5.9"))
        #expect(LabGrader.sameAnswer("Mismatched fullUrl.", "mismatched fullurl"))
        #expect(LabGrader.sameAnswer("20240520140000+0000", "20240520090000-0500"))
        #expect(!LabGrader.sameAnswer("0.6-1.2", "0.6-1.1"))
        #expect(!LabGrader.sameAnswer("5.8", "5.9"))
        #expect(LabGrader.sameAnswer("the time zone (Z or -05:00)", "the time zone"))
        #expect(!LabGrader.sameAnswer("(time zone)", "offset"))
    }
}

extension Lab {
    /// The resourceType of the solution, for FHIR labs.
    var solutionResourceType: String { (try? JSONValue(parsing: solution))?["resourceType"]?.string ?? "" }
}
