import Foundation
import HL7v2
import Testing

@Suite struct StructureTests {
    let check = StructureCheck()

    func problems(_ text: String) throws -> [String] {
        try check.problems(in: Message(text)).map(\.description)
    }

    @Test func wellFormedMessagesHaveNoProblems() throws {
        #expect(try problems(Samples.adtA01) == [])
        #expect(try problems(Samples.oruR01) == [])
    }

    @Test func aMissingRequiredSegmentIsNamed() throws {
        let noPV1 = Samples.adtA01.split(separator: "\r").filter { !$0.hasPrefix("PV1") }.joined(separator: "\r")
        #expect(try problems(noPV1).contains("PV1: the required PV1 segment is missing after PID in ADT^A01"))
        let noOBR = Samples.oruR01.split(separator: "\r").filter { !$0.hasPrefix("OBR") }.joined(separator: "\r")
        #expect(try problems(noOBR).contains { $0.hasPrefix("OBR: the required") || $0.contains("not allowed here") })
    }

    @Test func segmentsOutOfOrderAreReported() throws {
        let lines = Samples.adtA01.split(separator: "\r").map(String.init)
        let swapped = [lines[0], lines[1], lines[3], lines[2]].joined(separator: "\r")
        let found = try problems(swapped)
        #expect(
            found.contains { $0.contains("PID") && ($0.contains("missing") || $0.contains("not allowed")) }, "\(found)")
        // Z-segments are allowed anywhere.
        let withZ = [lines[0], "ZPI|1|local", lines[1], lines[2], lines[3]].joined(separator: "\r")
        #expect(try problems(withZ) == [])
    }

    @Test func requiredFieldsAndFormatsAreCheckedWithTheirPaths() throws {
        let text = Samples.oruR01
            .replacingOccurrences(of: "|7.2|", with: "|seven|")
            .replacingOccurrences(of: "20240310094500", with: "20241310094500")
            .replacingOccurrences(of: "|LAB0042|", with: "||")
        let found = try problems(text)
        #expect(found.contains("MSH-10: this field is required and is empty"))
        #expect(found.contains { $0.hasPrefix("OBX[1]-5: OBX-2 says NM") })
        #expect(found.contains { $0.hasPrefix("OBX[1]-14: “20241310094500” is not a DTM timestamp: the month") })
    }

    @Test func timestampsFollowTheDTMFormat() {
        for good in [
            "2024", "202403", "20240310", "2024031009", "202403100930", "20240310093015", "20240310093015.1234",
            "20240310093015-0500", "202403100930+0100",
        ] {
            #expect(StructureCheck.timestampProblem(good) == nil, "\(good)")
        }
        for bad in [
            "24-03-10", "2024031", "20240310093015.12345", "20240230250000", "202403100930-05", "2024-03-10",
            "20240310.5",
        ] {
            #expect(StructureCheck.timestampProblem(bad) != nil, "\(bad)")
        }
    }

    @Test func unknownTypesAreSaidSo() throws {
        let text = Samples.adtA01.replacingOccurrences(of: "ADT^A01^ADT_A01", with: "MFN^M02")
        #expect(try problems(text).first?.contains("MFN^M02 has no structure here") == true)
        #expect(
            StructureCheck.supportedTypes == [
                "ADT^A01", "ADT^A03", "ADT^A04", "ADT^A08", "ORM^O01", "ORU^R01", "SIU^S12", "VXU^V04",
            ])
    }
}

/// Property-based robustness: thousands of mutated messages (seeded, so a failure replays) must each
/// either parse or fail with an HL7Error, never crash or hang; and whatever parses must encode back to
/// something that parses to the same segments.
@Suite struct FuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet = Array("|^~\\&#\r\n\"MSHPIDOBX0123456789 .-+éX".utf8)

    @Test func mutatedMessagesNeverCrashTheParser() {
        var generator = SplitMix(state: 20_261_123)
        let seeds = [Samples.adtA01, Samples.oruR01].map { Array($0.utf8) }
        var parsed = 0
        var refused = 0
        let runs = 20_000
        for _ in 0..<runs {
            var bytes = seeds.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let position = Int.random(in: 0..<max(1, bytes.count), using: &generator)
                switch Int.random(in: 0..<5, using: &generator) {
                case 0 where !bytes.isEmpty: bytes.remove(at: position)
                case 1: bytes.insert(Self.alphabet.randomElement(using: &generator)!, at: min(position, bytes.count))
                case 2 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 3: bytes = Array(bytes.prefix(position))
                default: if !bytes.isEmpty { bytes[position] = Self.alphabet.randomElement(using: &generator)! }
                }
            }
            do {
                let message = try Message(bytes: bytes)
                parsed += 1
                let again = try Message(message.encoded())
                #expect(again.segments == message.segments)
                _ = StructureCheck().problems(in: message)
                _ = ORUResults(message)
                for path in ["MSH-9-2", "PID-3[2]-4-1", "OBX[2]-5", "NTE-3"] { _ = try? message.value(at: path) }
            } catch {
                refused += 1
            }
        }
        #expect(parsed + refused == runs)
        #expect(parsed > 1_000 && refused > 1_000, "both outcomes exercised: \(parsed) parsed, \(refused) refused")
    }
}
