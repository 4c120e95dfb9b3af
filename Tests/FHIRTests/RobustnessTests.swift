import Foundation
import Testing

@testable import FHIR

/// Seeded mutations of valid resources: the JSON parser and the validator must answer every one, with
/// issues or a syntax error, and never crash; whatever parses must serialise back to the same value.
@Suite struct RobustnessTests {
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

    static let alphabet = Array(#"{}[]:,"\ 0123456789.-eEtrufalsn\u00é"#.utf8)

    @Test func mutatedResourcesNeverCrashTheValidator() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Examples")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            Array(try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8).utf8)
        }
        var generator = SplitMix(state: 4_010)
        var parsed = 0
        var refused = 0
        let runs = 3_000  // about a second; the first run of this test found a hang on a trailing backslash
        for _ in 0..<runs {
            var bytes = seeds.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<max(1, bytes.count), using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0 where !bytes.isEmpty: bytes.remove(at: position)
                case 1: bytes.insert(Self.alphabet.randomElement(using: &generator)!, at: min(position, bytes.count))
                case 2: bytes = Array(bytes.prefix(position))
                default: if !bytes.isEmpty { bytes[position] = Self.alphabet.randomElement(using: &generator)! }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let issues = FHIRValidator().validate(text)
            if let json = try? JSONValue(parsing: text) {
                parsed += 1
                #expect(try JSONValue(parsing: json.serialized) == json)
            } else {
                refused += 1
                #expect(issues.count == 1 && issues[0].severity == .fatal)
            }
        }
        #expect(parsed + refused == runs)
        #expect(parsed > 300 && refused > 300, "both outcomes exercised: \(parsed) parsed, \(refused) refused")
    }

    /// The mutation test's first find: a string ending in a lone backslash looped for ever.
    @Test func aTrailingBackslashIsASyntaxError() {
        for text in [#""abc\"#, #"{"a": "\"#, #"["\"#] {
            #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
        }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let issues = FHIRValidator().validate(deep)
        #expect(issues.first?.message.contains("200 levels") == true)
    }
}
