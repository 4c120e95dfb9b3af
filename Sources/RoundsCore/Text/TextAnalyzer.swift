/// One word of an analysed text.
public struct Token: Sendable, Hashable {
    /// The word as written, lower-cased.
    public let word: String
    /// The Porter stem of `word`, which is what phrases are matched on.
    public let stem: String
    /// Where the word is in the original text, in characters (grapheme clusters) from the start.
    public let range: Range<Int>
    /// The index of the sentence the word belongs to, counting from zero.
    public let sentence: Int
    /// True for *not*, *no*, *never*, *without*, *cannot*, *n't* forms and the like.
    public let isNegation: Bool
}

/// A sentence of an analysed text, with counts that tell prose from a bare list of terms.
public struct Sentence: Sendable, Hashable {
    /// The characters from the sentence's first word to its last.
    public let range: Range<Int>
    public let wordCount: Int
    /// Words such as *the, of, to, we, is*: prose has many, a list of terms almost none.
    public let functionWordCount: Int
    /// The words in each stretch between commas, colons, slashes and brackets.
    public let segmentWordCounts: [Int]
}

/// A text broken into content words (function words dropped), ready for phrase matching.
public struct AnalyzedText: Sendable {
    /// The content words in order. Function words (*the, of, to…*) are left out; negations are kept.
    public let tokens: [Token]
    /// The number of characters in the text.
    public let characterCount: Int
    /// The number of words, function words included.
    public let wordCount: Int
    /// The number of sentences.
    public var sentenceCount: Int { sentences.count }
    /// The sentences, in order; `Token.sentence` indexes this array.
    public let sentences: [Sentence]

    /// Where each stem occurs, as indexes into `tokens`.
    let positions: [String: [Int]]

    /// Analyses `text`: splits it into words and sentences, lower-cases, stems, and drops function words.
    ///
    /// Offsets count characters (grapheme clusters). Most answers are plain ASCII without carriage
    /// returns, where a byte is a character; they take a byte-level path that gives the same result
    /// several times faster than walking `Character`s.
    public init(_ text: String) {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            self.init(units: Array(utf8))
        } else {
            self.init(units: Array(text))
        }
    }

    private init<Unit: TextUnit>(units characters: [Unit]) {
        var tokens: [Token] = []
        var positions: [String: [Int]] = [:]
        var wordCount = 0
        var sentence = 0
        var sentenceHasWords = false
        var sentences: [Sentence] = []
        var sentenceStart = 0
        var sentenceEnd = 0
        var sentenceWords = 0
        var sentenceFunctionWords = 0
        var segments: [Int] = []
        var segmentWords = 0
        var current = ""
        var start = 0
        var previousIsNewline = false
        var previousWord = ""

        func flush(end: Int) {
            guard !current.isEmpty else { return }
            let word = TextAnalyzer.normalize(current)
            current = ""
            guard !word.isEmpty else { return }
            defer { previousWord = word }
            wordCount += 1
            if !sentenceHasWords { sentenceStart = start }
            sentenceHasWords = true
            sentenceEnd = end
            sentenceWords += 1
            segmentWords += 1
            // "Level I" is a numeral, not the pronoun: kept, so that `level i` never matches "Level II".
            if TextAnalyzer.stopWords.contains(word)
                && !(word == "i" && TextAnalyzer.numberedWords.contains(previousWord))
            {
                sentenceFunctionWords += 1
                return
            }
            let negation = TextAnalyzer.isNegation(word)
            // "once" must not stem to "onc" (the ONC); whole words stay whole.
            let stem = negation || word == "once" ? word : StemCache.shared.stem(word)
            positions[stem, default: []].append(tokens.count)
            tokens.append(Token(word: word, stem: stem, range: start..<end, sentence: sentence, isNegation: negation))
        }

        func endSentence() {
            guard sentenceHasWords else { return }
            if segmentWords > 0 { segments.append(segmentWords) }
            sentences.append(
                Sentence(
                    range: sentenceStart..<sentenceEnd, wordCount: sentenceWords,
                    functionWordCount: sentenceFunctionWords, segmentWordCounts: segments))
            sentence += 1
            sentenceHasWords = false
            sentenceWords = 0
            sentenceFunctionWords = 0
            segments = []
            segmentWords = 0
        }

        for index in characters.indices {
            let character = characters[index]
            if character.isWordCharacter {
                if current.isEmpty { start = index }
                character.append(to: &current)
            } else if character.isApostrophe && !current.isEmpty
                && index + 1 < characters.count && characters[index + 1].isLetter
            {
                current.append("'")
            } else {
                flush(end: index)
                if character.isSegmentBreak, segmentWords > 0 {
                    segments.append(segmentWords)
                    segmentWords = 0
                }
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if character.endsSentence(before: next)
                    || (character.isNewline
                        && (previousIsNewline || TextAnalyzer.startsListItem(characters, at: index + 1)))
                {
                    endSentence()
                }
            }
            previousIsNewline = character.isNewline
        }
        flush(end: characters.count)
        endSentence()

        self.tokens = tokens
        self.sentences = sentences
        self.positions = positions
        self.characterCount = characters.count
        self.wordCount = wordCount
    }

    /// The indexes of the tokens whose stem is `stem`.
    public func occurrences(of stem: String) -> [Int] { positions[stem] ?? [] }

    /// True when some token has this stem.
    public func contains(stem: String) -> Bool { positions[stem] != nil }
}

/// The shared rules for turning text into comparable words.
public enum TextAnalyzer {
    /// Function words ignored on both sides of a match. Negations and words such as *only*, *all* and
    /// *just* are deliberately absent: they change what a phrase claims.
    public static let stopWords: Set<String> = [
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "from", "into", "onto", "as", "and",
        "or", "but", "is", "are", "was", "were", "be", "been", "being", "am", "it", "its", "it's", "this",
        "that", "these", "those", "there", "their", "they", "them", "we", "our", "us", "i", "me", "my", "you",
        "your", "he", "she", "his", "her", "do", "does", "did", "have", "has", "had", "will", "would", "shall",
        "should", "can", "could", "may", "might", "must", "so", "than", "then", "also", "very", "such", "which",
        "who", "whom", "what", "when", "where", "if", "about", "up", "out", "i'm", "we're", "they're", "we've",
        "i've", "i'd", "we'd", "let", "let's", "each", "any", "some", "s",
    ]

    /// Single words that nearly every answer contains, by stem. An evidence phrase made of one of
    /// these alone would match vague answers and prove nothing.
    public static let genericStems: Set<String> = Set(
        [
            "data", "patient", "health", "healthcare", "system", "security", "secure", "information", "process",
            "team", "use", "care", "model", "test", "time", "user", "work", "clinical", "hospital", "medical",
            "record", "report", "people", "good", "important", "need", "make", "way", "problem", "issue", "help",
            "question", "answer", "analysis", "technology", "organization", "organisation", "compliance",
            "policy", "risk", "quality", "privacy", "access", "tool", "thing", "example", "approach", "solution",
            "application", "service", "provider", "doctor", "result", "value", "change", "project", "business",
        ].map(PorterStemmer.stem))

    /// Words that a Roman numeral follows ("HCPCS Level I", "Phase I", "Title I"): after them *i* is a
    /// number, not a function word.
    static let numberedWords: Set<String> = [
        "level", "tier", "phase", "part", "type", "class", "schedule", "title", "stage", "grade", "category",
    ]

    /// Words that negate what follows them.
    public static let negations: Set<String> = [
        "not", "no", "never", "without", "cannot", "neither", "nor", "none", "nothing", "nobody",
    ]

    /// True for a negation word, including contractions such as *didn't* and *won't*.
    public static func isNegation(_ word: String) -> Bool {
        negations.contains(word) || word.hasSuffix("n't")
    }

    /// Lower-cases a word, folds curly apostrophes and common accents, and drops a possessive *'s*.
    static func normalize(_ raw: String) -> String {
        var word = raw.lowercased()
        if !word.utf8.allSatisfy({ $0 < 0x80 }) {
            word = String(word.unicodeScalars.map { foldAccent($0) })
        }
        if word.hasSuffix("'s") { word.removeLast(2) }
        return word
    }

    private static func foldAccent(_ scalar: Unicode.Scalar) -> Character {
        switch scalar {
        case "à", "á", "â", "ã", "ä", "å": return "a"
        case "è", "é", "ê", "ë": return "e"
        case "ì", "í", "î", "ï": return "i"
        case "ò", "ó", "ô", "õ", "ö": return "o"
        case "ù", "ú", "û", "ü": return "u"
        case "ç": return "c"
        case "ñ": return "n"
        default: return Character(scalar)
        }
    }

    /// True when a line starting at `index` is a bullet (`-`, `*`, `•`) or numbered (`1.`) list item.
    static func startsListItem<Unit: TextUnit>(_ characters: [Unit], at index: Int) -> Bool {
        var i = index
        while i < characters.count, characters[i].isBlank { i += 1 }
        guard i < characters.count else { return false }
        if characters[i].isBullet { return true }
        var j = i
        while j < characters.count, characters[j].isDigit { j += 1 }
        return j > i && j < characters.count && characters[j].isListNumberEnd
    }

}

/// What the scanner needs to know about one character of a text: a `Character`, or an ASCII byte.
protocol TextUnit {
    var isWordCharacter: Bool { get }
    var isLetter: Bool { get }
    var isApostrophe: Bool { get }
    var isNewline: Bool { get }
    var isBlank: Bool { get }
    var isWhitespace: Bool { get }
    var isDigit: Bool { get }
    /// `-`, `*` or `•` at the start of a line.
    var isBullet: Bool { get }
    /// `.` or `)` after a list number.
    var isListNumberEnd: Bool { get }
    /// A comma, colon, slash or bracket: the end of one item of a list.
    var isSegmentBreak: Bool { get }
    /// A full stop, question mark, exclamation mark or semicolon ends a sentence when followed by
    /// white space or the end, so that *v2.5.1* and *e.g.x* stay whole.
    func endsSentence(before next: Self?) -> Bool
    func append(to word: inout String)
}

extension Character: TextUnit {
    var isWordCharacter: Bool { isLetter || isNumber }
    var isApostrophe: Bool { self == "'" || self == "\u{2019}" }
    var isBlank: Bool { self == " " || self == "\t" }
    var isDigit: Bool { isNumber }
    var isBullet: Bool { self == "-" || self == "*" || self == "•" }
    var isListNumberEnd: Bool { self == "." || self == ")" }
    var isSegmentBreak: Bool { self == "," || self == ":" || self == "/" || self == "(" || self == ")" }
    func endsSentence(before next: Character?) -> Bool {
        switch self {
        case "!", "?", ";": true
        case ".": next == nil || next!.isWhitespace
        default: false
        }
    }
    func append(to word: inout String) { word.append(self) }
}

extension UInt8: TextUnit {
    var isLetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isWordCharacter: Bool { isLetter || isDigit }
    var isApostrophe: Bool { self == 0x27 }
    var isNewline: Bool { self == 0x0A || self == 0x0B || self == 0x0C }
    var isBlank: Bool { self == 0x20 || self == 0x09 }
    var isWhitespace: Bool { self == 0x20 || (self >= 0x09 && self <= 0x0D) }
    var isBullet: Bool { self == 0x2D || self == 0x2A }
    var isListNumberEnd: Bool { self == 0x2E || self == 0x29 }
    var isSegmentBreak: Bool { self == 0x2C || self == 0x3A || self == 0x2F || self == 0x28 || self == 0x29 }
    func endsSentence(before next: UInt8?) -> Bool {
        switch self {
        case 0x21, 0x3F, 0x3B: true
        case 0x2E: next == nil || next!.isWhitespace
        default: false
        }
    }
    func append(to word: inout String) { word.unicodeScalars.append(Unicode.Scalar(self)) }
}
