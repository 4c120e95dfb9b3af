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

/// A text broken into content words (function words dropped), ready for phrase matching.
public struct AnalyzedText: Sendable {
    /// The content words in order. Function words (*the, of, to…*) are left out; negations are kept.
    public let tokens: [Token]
    /// The number of characters in the text.
    public let characterCount: Int
    /// The number of words, function words included.
    public let wordCount: Int
    /// The number of sentences.
    public let sentenceCount: Int

    /// Where each stem occurs, as indexes into `tokens`.
    let positions: [String: [Int]]

    /// Analyses `text`: splits it into words and sentences, lower-cases, stems, and drops function words.
    public init(_ text: String) {
        var tokens: [Token] = []
        var positions: [String: [Int]] = [:]
        var wordCount = 0
        var sentence = 0
        var sentenceHasWords = false
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
            sentenceHasWords = true
            if TextAnalyzer.stopWords.contains(word) { return }
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
                if TextAnalyzer.endsSentence(
                    character, next: index + 1 < characters.count ? characters[index + 1] : nil)
                    || (character == "\n" && previous == "\n")
                {
                    if sentenceHasWords {
                        sentence += 1
                        sentenceHasWords = false
                    }
                }
            }
            previous = character
        }
        flush(end: characters.count)

        self.tokens = tokens
        self.positions = positions
        self.characterCount = characters.count
        self.wordCount = wordCount
        self.sentenceCount = sentenceHasWords ? sentence + 1 : sentence
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
