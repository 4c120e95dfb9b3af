import HL7v2
import Testing

/// Each supported message type: a minimal well-formed message passes, and leaving out a segment the
/// structure requires is reported with that segment's name. Synthetic messages, written for these tests.
@Suite struct MessageTypeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let type: String
        let segments: [String]
        /// A segment the structure requires, and that the message may not go without.
        let required: String
        var testDescription: String { type }
    }

    static func msh(_ type: String) -> String {
        #"MSH|^~\&|APP|FAC|EHR|FAC|20240310101500-0500||\#(type)|MSG1|P|2.5.1"#
    }
    static let pid = "PID|1||48213^^^SGH^MR||RIVERA^ANA||19840721|F"
    static let pv1 = "PV1|1|I|3B^12^A^SGH"

    static let cases: [Case] = [
        Case(type: "ADT^A01", segments: [msh("ADT^A01^ADT_A01"), "EVN|A01|20240310101500", pid, pv1], required: "EVN"),
        Case(type: "ADT^A03", segments: [msh("ADT^A03^ADT_A03"), "EVN|A03|20240311100000", pid, pv1], required: "PV1"),
        Case(
            type: "ADT^A04", segments: [msh("ADT^A04^ADT_A01"), "EVN|A04|20240310101500", pid, "PV1|1|O"],
            required: "PID"),
        Case(
            type: "ADT^A08", segments: [msh("ADT^A08^ADT_A01"), "EVN|A08|20240310101500", pid, "PV1|1|O"],
            required: "EVN"),
        Case(
            type: "ORU^R01",
            segments: [
                msh("ORU^R01^ORU_R01"), pid, "OBR|1|O1|F1|4548-4^HbA1c^LN",
                "OBX|1|NM|4548-4^HbA1c^LN||7.2|%^percent^UCUM|4.0-5.6|H|||F",
            ], required: "OBR"),
        Case(
            type: "ORM^O01",
            segments: [msh("ORM^O01^ORM_O01"), pid, "ORC|NW|ORD1", "OBR|1|ORD1||2345-7^Glucose^LN"],
            required: "ORC"),
        Case(
            type: "SIU^S12",
            segments: [
                msh("SIU^S12^SIU_S12"), "SCH|APT1|APT1", pid, "RGS|1", "AIS|1||FOLLOWUP^Follow-up visit|20240320090000",
            ], required: "SCH"),
        Case(
            type: "VXU^V04",
            segments: [
                msh("VXU^V04^VXU_V04"), pid, "ORC|RE|IMM1",
                "RXA|0|1|20231002|20231002|140^Influenza^CVX|0.5|mL^mL^UCUM",
            ], required: "PID"),
    ]

    @Test(arguments: cases)
    func aWellFormedMessagePassesAndAMissingSegmentIsNamed(_ testCase: Case) throws {
        let message = try Message(testCase.segments.joined(separator: "\r"))
        #expect(message.messageType == testCase.type)
        let problems = StructureCheck().problems(in: message)
        #expect(problems.isEmpty, "\(testCase.type): \(problems)")
        let without = testCase.segments.filter { !$0.hasPrefix(testCase.required + "|") }
        let broken = StructureCheck().problems(in: try Message(without.joined(separator: "\r")))
        #expect(
            broken.contains { $0.path == testCase.required && $0.message.contains("required") },
            "\(testCase.type) without \(testCase.required): \(broken)")
    }

    @Test func everySupportedTypeHasACase() {
        #expect(Set(Self.cases.map(\.type)) == Set(StructureCheck.supportedTypes))
    }

    @Test(arguments: [
        ("PID|1||||RIVERA^ANA", "PID-3"),
        ("PID|1||48213^^^SGH^MR", "PID-5"),
        ("PID|1||48213^^^SGH^MR||RIVERA^ANA||1984-07-21", "PID-7"),
    ])
    func requiredAndTimestampFieldsOfPID(pid: String, path: String) throws {
        let message = try Message(
            [Self.msh("ADT^A04^ADT_A01"), "EVN|A04|20240310101500", pid, "PV1|1|O"].joined(separator: "\r"))
        let problems = StructureCheck().problems(in: message)
        #expect(problems.contains { $0.path == path }, "\(problems)")
    }
}
