/// Limits on text a person types (answers, names), counted in units that bound the work it causes.
///
/// Swift's `count` counts grapheme clusters: "e" followed by 120,000 combining marks is one character,
/// 240 KB long, and costs the feedback engine 0.6 s on every read. Limits here count Unicode scalars
/// (what an editor calls characters), words, and UTF-8 bytes, and refuse control characters other
/// than line breaks and tabs: NUL and the like come from binary pastes, never from an answer.
public enum TypedText {
    /// An answer's limits, on the web and in the terminal: several times the longest model answer.
    public static let answerCharacters = 20_000
    public static let answerWords = 4_000

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case tooManyCharacters(Int, limit: Int)
        case tooManyWords(Int, limit: Int)
        case tooManyBytes(Int, limit: Int)
        /// A control character, its code point and the 1-based character position.
        case controlCharacter(UInt32, at: Int)

        public var description: String {
            switch self {
            case .tooManyCharacters(let count, let limit):
                "it has \(count) characters; the limit is \(limit)"
            case .tooManyWords(let count, let limit):
                "it has \(count) words; the limit is \(limit)"
            case .tooManyBytes(let count, let limit):
                "it is \(count) bytes long; the limit is \(limit)"
            case .controlCharacter(let value, let position):
                "it contains the control character \(Self.codePoint(value)) at character \(position), which is not text (often pasted from a PDF or a terminal); remove it"
            }
        }

        static func codePoint(_ value: UInt32) -> String {
            let hex = String(value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }

    /// The first problem with `text`, or nil. Line breaks and tabs are allowed when `multiline`.
    public static func problem(
        in text: String, maxCharacters: Int, maxWords: Int? = nil, maxBytes: Int? = nil, multiline: Bool = true
    ) -> Problem? {
        if let maxBytes, text.utf8.count > maxBytes { return .tooManyBytes(text.utf8.count, limit: maxBytes) }
        var characters = 0
        for scalar in text.unicodeScalars {
            characters += 1
            let allowed = multiline && (scalar == "\n" || scalar == "\t" || scalar == "\r")
            if scalar.properties.generalCategory == .control, !allowed {
                return .controlCharacter(scalar.value, at: characters)
            }
        }
        if characters > maxCharacters { return .tooManyCharacters(characters, limit: maxCharacters) }
        if let maxWords {
            let words = text.split(whereSeparator: { $0.isWhitespace }).count
            if words > maxWords { return .tooManyWords(words, limit: maxWords) }
        }
        return nil
    }
}
