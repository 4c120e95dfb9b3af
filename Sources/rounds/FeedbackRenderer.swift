import RoundsCore
import RoundsFeedback

/// Renders feedback for an 80-column terminal.
enum FeedbackRenderer {
    static func render(_ feedback: Feedback, answer: String, question: Question) -> String {
        let characters = Array(answer)
        func quote(_ span: Feedback.Span) -> String {
            let range = max(0, span.start)..<min(span.end, characters.count)
            return "“" + String(characters[range]).replacingOccurrences(of: "\n", with: " ") + "”"
        }
        var lines: [String] = []
        let band = Terminal.paint(
            "band \(feedback.band) (\(feedback.bandName))", Terminal.colour(ofBand: feedback.band))
        lines.append("SCORE \(feedback.score)/100 · \(band) · next review: \(feedback.rating.name)")
        for reason in feedback.caps {
            lines.append(Terminal.wrap(reason, indent: "  ", firstIndent: "  ! "))
        }
        lines.append("\nRUBRIC")
        for point in feedback.points {
            let mark: String
            switch point.coverage {
            case .covered: mark = "✓"
            case .partly: mark = "~"
            case .missing: mark = "✗"
            }
            let star = point.star.map { "[\($0.rawValue)] " } ?? ""
            lines.append(Terminal.marked(mark, "\(star)\(point.point)"))
            if !point.evidence.isEmpty {
                let quotes = point.evidence.prefix(3).map(quote).joined(separator: ", ")
                lines.append(Terminal.wrap("found: " + quotes, indent: "      ", firstIndent: "    "))
            }
            if !point.negated.isEmpty {
                let quotes = point.negated.prefix(2).map(quote).joined(separator: ", ")
                lines.append(Terminal.wrap("negated, so not counted: " + quotes, indent: "      ", firstIndent: "    "))
            }
        }
        if !feedback.misconceptions.isEmpty {
            lines.append("\nWRONG OR HARMFUL CLAIMS")
            for found in feedback.misconceptions {
                lines.append(Terminal.marked("✗", "\(quote(found.span)): \(found.claim)"))
                lines.append(Terminal.wrap("In fact: " + found.correction, indent: "    ", firstIndent: "    "))
            }
        }
        lines.append("\nSTRUCTURE AND DELIVERY")
        for check in feedback.checks {
            let mark: String
            switch check.status {
            case .pass: mark = "✓"
            case .warn: mark = "~"
            case .fail: mark = "✗"
            }
            lines.append(Terminal.marked(mark, "\(check.title): \(check.detail)"))
        }
        if !feedback.improvements.isEmpty {
            lines.append("\nTO IMPROVE")
            for (index, item) in feedback.improvements.enumerated() {
                lines.append(Terminal.wrap(item, indent: "     ", firstIndent: "  \(index + 1). "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
