import RoundsCore

/// Picks the two or three changes that would most improve an answer, in plain words.
enum Improvements {
    static func rank(
        question: Question, points: [Feedback.Point], misconceptions: [Feedback.MisconceptionFound],
        checks: [Feedback.Check], isList: Bool
    ) -> [String] {
        var candidates: [(value: Double, text: String)] = []
        for found in misconceptions {
            candidates.append((100, "Correct a wrong claim: \(found.correction)"))
        }
        if let relevance = checks.first(where: { $0.id == "relevance" }), relevance.status == .fail {
            candidates.append((95, "Answer the question that was asked: \(question.title)"))
        }
        if isList {
            candidates.append(
                (90, "Explain, don't list: for each idea, say what it is and why it matters here, in full sentences."))
        }
        let total = max(points.map(\.weight).reduce(0, +), 1)
        for point in points {
            let share = point.weight / total * 100
            switch point.coverage {
            case .missing:
                let hint =
                    question.rubric[point.index].evidence.first.map { " (for example, talk about “\($0)”)" } ?? ""
                candidates.append((share, "Cover this: \(lowerFirst(point.point))\(hint)."))
            case .partly:
                candidates.append((share / 2, "Go further on: \(lowerFirst(point.point))."))
            case .covered:
                break
            }
        }
        for check in checks where check.status != .pass {
            let weight = check.status == .fail ? 1.0 : 0.5
            switch check.id {
            case "length" where check.status == .fail:
                candidates.append((20, check.detail))
            case "code.present":
                candidates.append((30, check.detail))
            case let id where id.hasPrefix("star."):
                candidates.append((12 * weight, check.detail))
            case "quantified-impact":
                candidates.append((15 * weight, "Quantify the result: " + lowerFirst(check.detail)))
            case "healthcare-context":
                candidates.append(
                    (
                        14 * weight,
                        "Tie the answer to health care: name the patients, clinicians, PHI or rules involved."
                    ))
            case "jargon":
                candidates.append(
                    (
                        10 * weight,
                        "Explain the jargon in everyday words: "
                            + check.detail.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)
                    ))
            case "plain-language", "readability":
                candidates.append(
                    (
                        9 * weight,
                        "Use shorter sentences and everyday words for a \(question.audience?.rawValue ?? "listener")."
                    ))
            case let id where id.hasPrefix("code."):
                candidates.append((12 * weight, check.detail))
            case "filler":
                candidates.append(
                    (
                        4 * weight,
                        "Cut filler words (\(check.detail.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)))"
                    ))
            default:
                break
            }
        }
        var seen = Set<String>()
        return candidates.sorted { $0.value > $1.value }.map(\.text).filter { seen.insert($0).inserted }.prefix(3).map {
            $0
        }
    }

    static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        let second = text.dropFirst().first
        // Keep acronyms and names (HIPAA, FHIR) as written.
        if second?.isUppercase == true { return text }
        return first.lowercased() + text.dropFirst()
    }
}
