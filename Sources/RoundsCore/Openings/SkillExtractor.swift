import Foundation

/// Finds the bank's skills in a job posting by the skills' `terms` (`FHIR`, `Epic`, `pandas`…), and
/// keeps the words each came from, so the learner can see why a skill was found.
///
/// Matching is on whole words. A term written with a capital letter matches only as written (`Epic`
/// the EHR, not an agile "epic"; `SQL`, not "sql" inside a URL); a term in lower case matches in any
/// case. Where terms overlap, the longest wins: "SMART on FHIR" is one mention, and "user interfaces"
/// is design work, not the "interfaces" of integration.
public struct SkillExtractor: Sendable {
    /// A skill found in a text.
    public struct Found: Sendable, Hashable, Codable {
        public let skill: String
        /// How many times its terms occur.
        public let mentions: Int
        /// The distinct words it was found by, as the text writes them, in order of first occurrence.
        public let evidence: [String]
        /// A few words around the first mention.
        public let excerpt: String
        /// The skill's weight when the posting sets a plan: its mentions, counted up to three, so that a
        /// skill named once still counts and one repeated ten times does not drown the rest.
        public var weight: Double { Double(min(mentions, 3)) }
    }

    struct Term: Sendable {
        let skill: String
        let bytes: [UInt8]
        let caseSensitive: Bool
    }

    let terms: [Term]
    let order: [String: Int]

    public init(skills: [Skill]) {
        terms = skills.flatMap { skill in
            skill.terms.map { term in
                let caseSensitive = term.contains { $0.isUppercase }
                return Term(
                    skill: skill.id, bytes: Array((caseSensitive ? term : term.lowercased()).utf8),
                    caseSensitive: caseSensitive)
            }
        }
        order = Dictionary(skills.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The skills `text` names, most mentioned first (ties in the bank's skill order).
    public func skills(in text: String) -> [Found] {
        let original = Array(text.utf8)
        let lowered = original.map { (0x41...0x5A).contains($0) ? $0 + 32 : $0 }
        struct Hit {
            let start: Int
            let end: Int
            let skill: String
        }
        var hits: [Hit] = []
        for term in terms where !term.bytes.isEmpty {
            let haystack = term.caseSensitive ? original : lowered
            let needle = term.bytes
            guard needle.count <= haystack.count else { continue }
            var start = 0
            let first = needle[0]
            while start + needle.count <= haystack.count {
                guard let position = haystack[start...].firstIndex(of: first), position + needle.count <= haystack.count
                else { break }
                let end = position + needle.count
                if haystack[position..<end].elementsEqual(needle), Self.isBoundary(original, before: position),
                    Self.isBoundary(original, at: end)
                {
                    hits.append(Hit(start: position, end: end, skill: term.skill))
                }
                start = position + 1
            }
        }
        // Longest first, then earliest: a hit inside a longer one is dropped.
        hits.sort { ($0.end - $0.start, $1.start) > ($1.end - $1.start, $0.start) }
        var kept: [Hit] = []
        for hit in hits where !kept.contains(where: { $0.start < hit.end && hit.start < $0.end }) { kept.append(hit) }
        kept.sort { $0.start < $1.start }

        var bySkill: [String: [Hit]] = [:]
        for hit in kept { bySkill[hit.skill, default: []].append(hit) }
        return bySkill.map { skill, hits in
            var evidence: [String] = []
            for hit in hits {
                let word = String(decoding: original[hit.start..<hit.end], as: UTF8.self)
                if !evidence.contains(word) { evidence.append(word) }
            }
            return Found(
                skill: skill, mentions: hits.count, evidence: evidence,
                excerpt: Self.excerpt(original, hits[0].start, hits[0].end))
        }.sorted { ($0.mentions, order[$1.skill] ?? .max) > ($1.mentions, order[$0.skill] ?? .max) }
    }

    /// Skill weights for a plan from what a posting names.
    public func weights(in text: String) -> [String: Double] { Self.weights(skills(in: text)) }

    /// Skill weights for a plan from skills already found.
    public static func weights(_ found: [Found]) -> [String: Double] {
        Dictionary(found.map { ($0.skill, $0.weight) }, uniquingKeysWith: { a, _ in a })
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte >= 0x80
            || byte == 0x5F
    }

    static func isBoundary(_ bytes: [UInt8], before position: Int) -> Bool {
        position == 0 || !isWordByte(bytes[position - 1])
    }

    static func isBoundary(_ bytes: [UInt8], at position: Int) -> Bool {
        position == bytes.count || !isWordByte(bytes[position])
    }

    /// About eight words either side of a mention, on one line, with … where cut.
    static func excerpt(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        var from = start
        var spaces = 0
        while from > 0 && spaces < 8 {
            from -= 1
            if bytes[from] == 0x20 { spaces += 1 }
            if bytes[from] == 0x0A {
                from += 1
                break
            }
        }
        while from < start && bytes[from] >= 0x80 && bytes[from] < 0xC0 { from += 1 }
        var to = end
        spaces = 0
        while to < bytes.count && spaces < 8 && bytes[to] != 0x0A {
            if bytes[to] == 0x20 { spaces += 1 }
            to += 1
        }
        while to < bytes.count && to > end && bytes[to] >= 0x80 && bytes[to] < 0xC0 { to -= 1 }
        let text = String(decoding: bytes[from..<to], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return (from > 0 && bytes[from - 1] != 0x0A ? "…" : "") + text
            + (to < bytes.count && bytes[to] != 0x0A ? "…" : "")
    }
}
