import Testing

@testable import RoundsCore

/// Issue 21, finding 7: limits counted grapheme clusters, so "e" with 120,000 combining marks was one
/// character; NUL was accepted in answers and control characters in token names.
@Suite struct TypedTextTests {
    @Test func combiningMarksCountAsCharacters() {
        let zalgo = "e" + String(repeating: "\u{301}", count: 120_000)
        #expect(zalgo.count == 1, "one grapheme cluster")
        #expect(TypedText.problem(in: zalgo, maxCharacters: 20_000) == .tooManyCharacters(120_001, limit: 20_000))
        #expect(TypedText.problem(in: "café au lait", maxCharacters: 12) == nil)
    }

    @Test func controlCharactersAreRefusedWithTheirPosition() {
        #expect(TypedText.problem(in: "ab\u{0}c", maxCharacters: 100) == .controlCharacter(0, at: 3))
        #expect(TypedText.problem(in: "bell\u{7}", maxCharacters: 100) == .controlCharacter(7, at: 5))
        #expect(TypedText.problem(in: "esc \u{1B}[31m", maxCharacters: 100) == .controlCharacter(0x1B, at: 5))
        #expect(TypedText.problem(in: "line one\nline two\twith a tab\r\n", maxCharacters: 100) == nil)
        #expect(TypedText.problem(in: "a\nb", maxCharacters: 100, multiline: false) == .controlCharacter(10, at: 2))
        let message = "\(TypedText.Problem.controlCharacter(0, at: 3))"
        #expect(message.contains("U+0000 at character 3"), "\(message)")
    }

    @Test func wordsAndBytesHaveLimitsOfTheirOwn() {
        let words = String(repeating: "a ", count: 4_001)
        #expect(
            TypedText.problem(in: words, maxCharacters: 20_000, maxWords: 4_000) == .tooManyWords(4_001, limit: 4_000))
        #expect(TypedText.problem(in: "ééé", maxCharacters: 10, maxBytes: 5) == .tooManyBytes(6, limit: 5))
    }
}
