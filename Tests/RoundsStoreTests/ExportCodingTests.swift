import Foundation
import Testing

@testable import RoundsStore

/// Export timestamps survive export → import → export exactly, whatever their binary rounding.
@Suite struct ExportCodingTests {
    @Test func millisecondsSurviveARoundTrip() throws {
        #expect(ExportCoding.format(Date(timeIntervalSince1970: 1_795_000_318.207_999_9)) == "2026-11-18T11:11:58.208Z")
        #expect(ExportCoding.format(Date(timeIntervalSince1970: 1_795_000_318)) == "2026-11-18T11:11:58.000Z")
        var seed: UInt64 = 42
        for _ in 0..<5_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(seed >> 40) / 1_000)
            let text = ExportCoding.format(date)
            let back = try #require(ExportCoding.parse(text))
            #expect(ExportCoding.format(back) == text)
        }
    }
}
