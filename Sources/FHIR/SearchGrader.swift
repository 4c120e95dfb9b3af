/// Grades a learner's search URL by what it returns, next to a reference URL, on the same resources:
/// equivalent queries written differently pass; a query that returns the wrong resources fails with
/// the resources it missed or added.
public struct SearchGrader: Sendable {
    public struct Verdict: Sendable, Hashable {
        public let accepted: Bool
        /// What is wrong, most important first, in words a learner can act on.
        public let problems: [String]
        public let learner: SearchEngine.Result?
        public let expected: SearchEngine.Result
    }

    public let engine: SearchEngine

    public init(engine: SearchEngine) { self.engine = engine }

    /// - Parameter orderMatters: whether the reference's `_sort` order must be reproduced (true when it sorts).
    public func grade(_ url: String, reference: String) throws(SearchError) -> Verdict {
        let referenceQuery = try SearchQuery(reference)
        let expected = engine.run(referenceQuery)
        let query: SearchQuery
        do {
            query = try SearchQuery(url)
        } catch {
            return Verdict(accepted: false, problems: [error.description], learner: nil, expected: expected)
        }
        guard query.resourceType == referenceQuery.resourceType else {
            return Verdict(
                accepted: false,
                problems: [
                    "The question asks for \(referenceQuery.resourceType) resources; this URL searches \(query.resourceType)."
                ],
                learner: nil, expected: expected)
        }
        let result = engine.run(query)
        var problems: [String] = []
        let missing = expected.matches.filter { !result.matches.contains($0) }
        let extra = result.matches.filter { !expected.matches.contains($0) }
        if !missing.isEmpty {
            problems.append("It misses \(Self.list(missing)), which the question asks for.")
        }
        if !extra.isEmpty {
            problems.append("It also returns \(Self.list(extra)), which the question does not ask for.")
        }
        if missing.isEmpty && extra.isEmpty && !referenceQuery.sort.isEmpty && result.matches != expected.matches {
            let keys = referenceQuery.sort.map { ($0.descending ? "-" : "") + $0.parameter }.joined(separator: ",")
            problems.append("The right resources, in the wrong order: sort them with _sort=\(keys).")
        }
        if expected.total != result.total, missing.isEmpty, extra.isEmpty {
            problems.append(
                "It finds \(result.total) in all where the question expects \(expected.total); check _count.")
        }
        let missingIncluded = expected.included.filter { !result.included.contains($0) }
        let extraIncluded = result.included.filter { !expected.included.contains($0) }
        if !missingIncluded.isEmpty {
            problems.append(
                "It does not bring in \(Self.list(missingIncluded)); add an _include or _revinclude for it.")
        }
        if !extraIncluded.isEmpty {
            problems.append("It brings in \(Self.list(extraIncluded)) as well, which is not asked for.")
        }
        return Verdict(accepted: problems.isEmpty, problems: problems, learner: result, expected: expected)
    }

    static func list(_ keys: [String]) -> String {
        let shown = keys.prefix(5).joined(separator: ", ")
        return keys.count > 5 ? "\(shown) and \(keys.count - 5) more" : shown
    }
}
