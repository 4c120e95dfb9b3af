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
    public init(_ text: String) {
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
        var offset = 0
        var previous: Character = " "

        func flush(end: Int) {
            guard !current.isEmpty else { return }
            let word = TextAnalyzer.normalize(current)
            current = ""
            guard !word.isEmpty else { return }
            wordCount += 1
            if !sentenceHasWords { sentenceStart = start }
            sentenceHasWords = true
            sentenceEnd = end
            sentenceWords += 1
            segmentWords += 1
            if TextAnalyzer.stopWords.contains(word) {
                sentenceFunctionWords += 1
                return
            }
            let negation = TextAnalyzer.isNegation(word)
            let stem = negation ? word : PorterStemmer.stem(word)
            positions[stem, default: []].append(tokens.count)
            tokens.append(Token(word: word, stem: stem, range: start..<end, sentence: sentence, isNegation: negation))
        }

        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            offset = index
            if character.isLetter || character.isNumber {
                if current.isEmpty { start = offset }
                current.append(character)
            } else if (character == "'" || character == "\u{2019}") && !current.isEmpty
                && index + 1 < characters.count && characters[index + 1].isLetter
            {
                current.append("'")
            } else {
                flush(end: offset)
                if ",:/()".contains(character), segmentWords > 0 {
                    segments.append(segmentWords)
                    segmentWords = 0
                }
                if TextAnalyzer.endsSentence(
                    character, next: index + 1 < characters.count ? characters[index + 1] : nil)
                    || (character == "\n"
                        && (previous == "\n" || TextAnalyzer.startsListItem(characters, at: index + 1)))
                {
                    if sentenceHasWords {
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
                }
            }
            previous = character
        }
        flush(end: characters.count)
        if sentenceHasWords {
            if segmentWords > 0 { segments.append(segmentWords) }
            sentences.append(
                Sentence(
                    range: sentenceStart..<sentenceEnd, wordCount: sentenceWords,
                    functionWordCount: sentenceFunctionWords,
                    segmentWordCounts: segments))
        }

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
    static func startsListItem(_ characters: [Character], at index: Int) -> Bool {
        var i = index
        while i < characters.count, characters[i] == " " || characters[i] == "\t" { i += 1 }
        guard i < characters.count else { return false }
        if "-*•".contains(characters[i]) { return true }
        var j = i
        while j < characters.count, characters[j].isNumber { j += 1 }
        return j > i && j < characters.count && (characters[j] == "." || characters[j] == ")")
    }

    /// A full stop, question mark, exclamation mark or semicolon ends a sentence when followed by
    /// white space or the end, so that *v2.5.1* and *e.g.x* stay whole.
    static func endsSentence(_ character: Character, next: Character?) -> Bool {
        switch character {
        case "!", "?", ";": return true
        case ".": return next == nil || next!.isWhitespace
        default: return false
        }
    }
}
