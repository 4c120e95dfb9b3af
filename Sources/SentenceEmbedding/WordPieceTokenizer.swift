import Foundation

/// BERT's uncased WordPiece tokenizer, as Hugging Face `tokenizers` runs it for all-MiniLM-L6-v2:
/// clean the text, space out CJK characters, strip accents, lower-case, split on white space and
/// punctuation, then cut each word into the longest pieces the vocabulary holds.
public struct WordPieceTokenizer: Sendable {
    /// Token ids of the special tokens.
    public let classID: Int32
    public let separatorID: Int32
    public let unknownID: Int32
    /// The most tokens one sequence may hold, [CLS] and [SEP] included; the model was trained on 128.
    public let maxTokens: Int

    private let vocabulary: [String: Int32]
    /// Words longer than this (in Unicode scalars) become [UNK], as in `tokenizers`.
    private static let maxWordScalars = 100

    /// Reads a `vocab.txt`: one token a line, the line number is the id.
    public init(vocabulary text: String, maxTokens: Int = 128) throws {
        var vocabulary: [String: Int32] = [:]
        var id: Int32 = 0
        text.enumerateLines { line, _ in
            vocabulary[line] = id
            id += 1
        }
        guard let cls = vocabulary["[CLS]"], let sep = vocabulary["[SEP]"], let unk = vocabulary["[UNK]"] else {
            throw EmbeddingError.badVocabulary("the vocabulary lacks [CLS], [SEP] or [UNK]")
        }
        self.vocabulary = vocabulary
        self.classID = cls
        self.separatorID = sep
        self.unknownID = unk
        self.maxTokens = max(2, maxTokens)
    }

    /// The ids of `text`, framed by [CLS] and [SEP], truncated to ``maxTokens``.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [classID]
        let limit = maxTokens - 1
        for word in Self.words(in: Self.normalize(text)) {
            for id in pieces(of: word) {
                guard ids.count < limit else { break }
                ids.append(id)
            }
            if ids.count >= limit { break }
        }
        ids.append(separatorID)
        return ids
    }

    /// Greedy longest-match-first WordPiece; a word with any unmatched part is one [UNK].
    func pieces(of word: [Unicode.Scalar]) -> [Int32] {
        guard word.count <= Self.maxWordScalars else { return [unknownID] }
        var result: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var piece = start > 0 ? "##" : ""
                piece.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[piece] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return [unknownID] }
            result.append(id)
            start = end
        }
        return result
    }

    /// BertNormalizer: drop control characters, turn white space into spaces, space out CJK
    /// ideographs, strip accents (NFD, then drop non-spacing marks), lower-case.
    static func normalize(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJK(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        var stripped = String.UnicodeScalarView()
        for scalar in String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            stripped.append(scalar)
        }
        return String(stripped).lowercased()
    }

    /// BertPreTokenizer: split on white space, and make every punctuation character a word of its own.
    static func words(in text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                if !current.isEmpty { words.append(current) }
                current = []
            } else if isPunctuation(scalar) {
                if !current.isEmpty { words.append(current) }
                words.append([scalar])
                current = []
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r", " ": true
        default: scalar.properties.isWhitespace
        }
    }

    /// `tokenizers` treats every "other" category (Cc, Cf, Cn, Co, Cs) as control, except tab and line breaks.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// ASCII punctuation (which includes symbols such as `$`, `+`, `<`, `^`, `|`) and Unicode's P* categories.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            true
        default: false
        }
    }
}

/// Why the sentence encoder could not be built.
public enum EmbeddingError: Error, CustomStringConvertible, Equatable {
    case missingModel(String)
    case badVocabulary(String)
    case badWeights(String)

    public var description: String {
        switch self {
        case .missingModel(let path):
            "The sentence-embedding model is missing at \(path). Rebuild Rounds, or run scripts/minilm-weights.py to regenerate it."
        case .badVocabulary(let reason): "The WordPiece vocabulary is unusable: \(reason)."
        case .badWeights(let reason):
            "The sentence-embedding weights are unusable: \(reason). Regenerate them with scripts/minilm-weights.py."
        }
    }
}
