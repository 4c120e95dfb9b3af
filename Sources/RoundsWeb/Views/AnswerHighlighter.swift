import RoundsFeedback

/// The answer as HTML with the words that earned each rubric point marked, numbered by point, and
/// misconceptions marked apart, so the learner sees why each verdict was given.
enum AnswerHighlighter {
    struct Mark {
        let range: Range<Int>
        let cssClass: String
        /// The full reason, shown on hover.
        let label: String
        /// A short reason read out by screen readers after the marked words.
        let spoken: String
    }

    static func html(answer: String, feedback: Feedback) -> String {
        var marks: [Mark] = []
        for point in feedback.points where point.coverage != .missing {
            for span in point.evidence {
                marks.append(
                    Mark(
                        range: span.range, cssClass: point.coverage == .covered ? "ev" : "ev partly",
                        label: "Point \(point.index + 1): \(point.point)",
                        spoken: point.coverage == .covered
                            ? "point \(point.index + 1)" : "partly point \(point.index + 1)"))
            }
        }
        for point in feedback.points {
            for span in point.negated {
                marks.append(
                    Mark(range: span.range, cssClass: "negated", label: "Negated: earns nothing", spoken: "negated"))
            }
        }
        for found in feedback.misconceptions {
            marks.append(
                Mark(range: found.span.range, cssClass: "wrong", label: "Wrong: \(found.claim)", spoken: "wrong claim"))
        }
        // Keep the earliest mark where two overlap: nested <mark>s read badly and confuse screen readers.
        marks.sort {
            $0.range.lowerBound != $1.range.lowerBound
                ? $0.range.lowerBound < $1.range.lowerBound : $0.range.count > $1.range.count
        }
        var kept: [Mark] = []
        for mark in marks where kept.last.map({ $0.range.upperBound <= mark.range.lowerBound }) ?? true {
            kept.append(mark)
        }
        let characters = Array(answer)
        var html = ""
        var position = 0
        for mark in kept where mark.range.upperBound <= characters.count {
            html += HTMLText.escape(String(characters[position..<mark.range.lowerBound]))
            html += "<mark class=\"\(mark.cssClass)\" title=\"\(HTMLText.escape(mark.label))\">"
            html += HTMLText.escape(String(characters[mark.range]))
            html += "<span class=\"visually-hidden\"> (\(mark.spoken))</span></mark>"
            position = mark.range.upperBound
        }
        html += HTMLText.escape(String(characters[position...]))
        return html
    }
}
