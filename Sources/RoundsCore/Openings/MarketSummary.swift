import Foundation

/// What the learner's own imported postings say about the market: computed from them alone, labelled
/// with how many it covers and their dates. Nothing is fetched or estimated.
public struct MarketSummary: Sendable, Hashable, Codable {
    public struct Pay: Sendable, Hashable, Codable {
        public let currency: String
        /// Postings in this currency that state a salary.
        public let postings: Int
        /// Of the ranges' midpoints, as a year's pay.
        public let median: Double
        /// The lowest and highest figure any range states, as a year's pay.
        public let lowest: Double
        public let highest: Double
    }

    public struct Count: Sendable, Hashable, Codable {
        public let name: String
        public let count: Int
    }

    public let openings: Int
    /// The earliest and latest `datePosted`, when any posting has one.
    public let firstPosted: String?
    public let lastPosted: String?
    public let undated: Int
    /// Salaries by currency, the most common first; postings without a salary do not count.
    public let pay: [Pay]
    public let withoutSalary: Int
    /// Companies with the most openings (at most five, only those with two or more when any has).
    public let companies: [Count]
    public let remote: Int
    /// Skills by the number of postings that name them (skill ids), most asked first.
    public let skills: [Count]

    /// The share of openings that can be done remotely, as a whole percentage.
    public var remotePercent: Int { openings == 0 ? 0 : Int((Double(remote) / Double(openings) * 100).rounded()) }

    public init(_ openings: [Opening], extractor: SkillExtractor) {
        self.openings = openings.count
        let dates = openings.compactMap(\.datePosted).sorted()
        firstPosted = dates.first
        lastPosted = dates.last
        undated = openings.count - dates.count
        let salaried = openings.compactMap(\.salary)
        withoutSalary = openings.count - salaried.count
        pay = Dictionary(grouping: salaried, by: \.currency).map { currency, salaries in
            Pay(
                currency: currency, postings: salaries.count, median: Self.median(salaries.map(\.yearlyMidpoint)),
                lowest: salaries.map(\.yearly.lowerBound).min()!, highest: salaries.map(\.yearly.upperBound).max()!)
        }.sorted { ($0.postings, $1.currency) > ($1.postings, $0.currency) }
        // Companies under different spellings of case count as one, named as first written.
        var names: [String: String] = [:]
        var counts: [String: Int] = [:]
        for opening in openings {
            let key = opening.company.lowercased()
            names[key] = names[key] ?? opening.company
            counts[key, default: 0] += 1
        }
        let ranked = counts.map { Count(name: names[$0.key]!, count: $0.value) }
            .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        let repeated = ranked.filter { $0.count > 1 }
        companies = Array((repeated.isEmpty ? ranked : repeated).prefix(5))
        remote = openings.filter(\.remote).count
        var skillCounts: [String: Int] = [:]
        for opening in openings {
            for found in extractor.skills(in: opening.skillText) {
                skillCounts[found.skill, default: 0] += 1
            }
        }
        skills = skillCounts.map { Count(name: $0.key, count: $0.value) }.sorted {
            ($0.count, $1.name) > ($1.count, $0.name)
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// "From 12 postings you imported, dated 2026-10-02 to 2026-11-30 (2 undated)."
    public var coverage: String {
        guard openings > 0 else { return "You have not imported any postings yet." }
        var text = "From the \(openings) posting\(openings == 1 ? "" : "s") you imported"
        if let firstPosted, let lastPosted {
            text += firstPosted == lastPosted ? ", dated \(firstPosted)" : ", dated \(firstPosted) to \(lastPosted)"
            if undated > 0 { text += " (\(undated) undated)" }
        } else {
            text += ", none of them dated"
        }
        return text + "."
    }
}
