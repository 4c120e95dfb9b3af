/// The Porter (1980) stemming algorithm, for English words in lower case.
///
/// Rubric evidence and answers are compared by stem, so that *encrypt*, *encrypted* and *encryption*
/// count as the same word. Porter is small, deterministic and well understood; it over-stems a little,
/// which is fine for matching short phrases inside a sentence window.
public enum PorterStemmer {
    /// Returns the stem of `word`, which must be lower case. Words of two letters or fewer, and words
    /// containing digits, come back unchanged.
    public static func stem(_ word: String) -> String {
        guard word.count > 2, word.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        var w = Array(word.utf8)
        step1a(&w)
        step1b(&w)
        step1c(&w)
        step2(&w)
        step3(&w)
        step4(&w)
        step5(&w)
        return String(decoding: w, as: UTF8.self)
    }

    private static func isConsonant(_ w: [UInt8], _ i: Int) -> Bool {
        switch w[i] {
        case 0x61, 0x65, 0x69, 0x6F, 0x75: return false  // a e i o u
        case 0x79: return i == 0 ? true : !isConsonant(w, i - 1)  // y
        default: return true
        }
    }

    /// The measure m of w[0..<end]: the number of vowel-consonant sequences.
    private static func measure(_ w: [UInt8], _ end: Int) -> Int {
        var m = 0
        var i = 0
        while i < end && isConsonant(w, i) { i += 1 }
        while i < end {
            while i < end && !isConsonant(w, i) { i += 1 }
            guard i < end else { break }
            m += 1
            while i < end && isConsonant(w, i) { i += 1 }
        }
        return m
    }

    private static func hasVowel(_ w: [UInt8], _ end: Int) -> Bool {
        (0..<end).contains { !isConsonant(w, $0) }
    }

    private static func endsDoubleConsonant(_ w: [UInt8], _ end: Int) -> Bool {
        end >= 2 && w[end - 1] == w[end - 2] && isConsonant(w, end - 1)
    }

    /// consonant-vowel-consonant at the end, where the last consonant is not w, x or y.
    private static func endsCVC(_ w: [UInt8], _ end: Int) -> Bool {
        guard end >= 3, isConsonant(w, end - 1), !isConsonant(w, end - 2), isConsonant(w, end - 3) else {
            return false
        }
        let last = w[end - 1]
        return last != 0x77 && last != 0x78 && last != 0x79
    }

    /// True when `w` ends with `suffix`; compares bytes in place, with no allocation.
    private static func ends(_ w: [UInt8], _ suffix: StaticString) -> Bool {
        ends(w, UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
    }

    private static func ends(_ w: [UInt8], _ suffix: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = suffix.count
        guard w.count >= n else { return false }
        let offset = w.count - n
        for i in 0..<n where w[offset + i] != suffix[i] { return false }
        return true
    }

    /// A suffix rule: replace `suffix` by `replacement` when the stem before it has a large enough measure.
    private struct Rule: Sendable {
        let suffix: StaticString
        let replacement: StaticString
    }

    /// Applies the first rule whose suffix ends `w` (when the measure allows); true when a suffix ended `w`.
    @discardableResult
    private static func replace(_ w: inout [UInt8], _ rule: Rule, minMeasure: Int) -> Bool {
        let suffix = UnsafeBufferPointer(start: rule.suffix.utf8Start, count: rule.suffix.utf8CodeUnitCount)
        guard ends(w, suffix) else { return false }
        let stemEnd = w.count - suffix.count
        if measure(w, stemEnd) > minMeasure {
            w.removeLast(suffix.count)
            w.append(
                contentsOf: UnsafeBufferPointer(
                    start: rule.replacement.utf8Start, count: rule.replacement.utf8CodeUnitCount))
        }
        return true
    }

    private static func step1a(_ w: inout [UInt8]) {
        if ends(w, "sses") {
            w.removeLast(2)
        } else if ends(w, "ies") {
            w.removeLast(2)
        } else if ends(w, "ss") {
            return
        } else if ends(w, "s") {
            w.removeLast()
        }
    }

    private static func step1b(_ w: inout [UInt8]) {
        if ends(w, "eed") {
            if measure(w, w.count - 3) > 0 { w.removeLast() }
            return
        }
        var removed = false
        if ends(w, "ed"), hasVowel(w, w.count - 2) {
            w.removeLast(2)
            removed = true
        } else if ends(w, "ing"), hasVowel(w, w.count - 3) {
            w.removeLast(3)
            removed = true
        }
        guard removed else { return }
        if ends(w, "at") || ends(w, "bl") || ends(w, "iz") {
            w.append(0x65)
        } else if endsDoubleConsonant(w, w.count), let last = w.last, last != 0x6C, last != 0x73, last != 0x7A {
            w.removeLast()
        } else if measure(w, w.count) == 1 && endsCVC(w, w.count) {
            w.append(0x65)
        }
    }

    private static func step1c(_ w: inout [UInt8]) {
        if ends(w, "y"), hasVowel(w, w.count - 1) { w[w.count - 1] = 0x69 }
    }

    private static let step2Rules: [Rule] = [
        Rule(suffix: "ational", replacement: "ate"), Rule(suffix: "tional", replacement: "tion"),
        Rule(suffix: "enci", replacement: "ence"), Rule(suffix: "anci", replacement: "ance"),
        Rule(suffix: "izer", replacement: "ize"), Rule(suffix: "abli", replacement: "able"),
        Rule(suffix: "alli", replacement: "al"), Rule(suffix: "entli", replacement: "ent"),
        Rule(suffix: "eli", replacement: "e"), Rule(suffix: "ousli", replacement: "ous"),
        Rule(suffix: "ization", replacement: "ize"), Rule(suffix: "ation", replacement: "ate"),
        Rule(suffix: "ator", replacement: "ate"), Rule(suffix: "alism", replacement: "al"),
        Rule(suffix: "iveness", replacement: "ive"), Rule(suffix: "fulness", replacement: "ful"),
        Rule(suffix: "ousness", replacement: "ous"), Rule(suffix: "aliti", replacement: "al"),
        Rule(suffix: "iviti", replacement: "ive"), Rule(suffix: "biliti", replacement: "ble"),
    ]

    private static func step2(_ w: inout [UInt8]) {
        for rule in step2Rules where replace(&w, rule, minMeasure: 0) { return }
    }

    private static let step3Rules: [Rule] = [
        Rule(suffix: "icate", replacement: "ic"), Rule(suffix: "ative", replacement: ""),
        Rule(suffix: "alize", replacement: "al"), Rule(suffix: "iciti", replacement: "ic"),
        Rule(suffix: "ical", replacement: "ic"), Rule(suffix: "ful", replacement: ""),
        Rule(suffix: "ness", replacement: ""),
    ]

    private static func step3(_ w: inout [UInt8]) {
        for rule in step3Rules where replace(&w, rule, minMeasure: 0) { return }
    }

    /// Longest first, so that "ement" wins over "ment" and "ent".
    private static let step4Suffixes: [StaticString] = [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ion", "ism", "ate", "iti", "ous", "ive",
        "ize", "al", "er", "ic", "ou",
    ]

    private static func step4(_ w: inout [UInt8]) {
        for suffix in step4Suffixes where ends(w, suffix) {
            let stemEnd = w.count - suffix.utf8CodeUnitCount
            guard measure(w, stemEnd) > 1 else { return }
            if suffix.utf8CodeUnitCount == 3, ends(w, "ion") {
                guard stemEnd > 0, w[stemEnd - 1] == 0x73 || w[stemEnd - 1] == 0x74 else { return }
            }
            w.removeLast(suffix.utf8CodeUnitCount)
            return
        }
    }

    private static func step5(_ w: inout [UInt8]) {
        if ends(w, "e") {
            let m = measure(w, w.count - 1)
            if m > 1 || (m == 1 && !endsCVC(w, w.count - 1)) { w.removeLast() }
        }
        if measure(w, w.count) > 1 && endsDoubleConsonant(w, w.count) && w.last == 0x6C { w.removeLast() }
    }
}
