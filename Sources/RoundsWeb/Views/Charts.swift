import Foundation

/// Small SVG charts drawn on the server, so the dashboard needs no JavaScript. Each has a text
/// alternative (`role="img"` with a title) for screen readers.
enum Charts {
    /// Horizontal bars, one per row, values 0–1, each label above its bar: narrow enough to stay
    /// legible on a phone without scaling the text down. The row labelled `highlight` (the learner's
    /// target role) is drawn bold in a darker colour and named as the target.
    static func bars(_ rows: [(label: String, value: Double)], title: String, highlight: String? = nil) -> String {
        let rowHeight = 38
        let barWidth = 270
        let width = barWidth + 50
        let height = rows.count * rowHeight + 4
        let id = elementID(title)
        var svg =
            "<svg class=\"chart bars\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" aria-labelledby=\"\(id)\">"
        svg += "<title id=\"\(id)\">\(HTMLText.escape(title))</title>"
        for (index, row) in rows.enumerated() {
            let y = index * rowHeight + 4
            let filled = Int((max(0, min(1, row.value)) * Double(barWidth)).rounded())
            let percent = Int((row.value * 100).rounded())
            let target = row.label == highlight
            let label = target ? "\(row.label) (your target)" : row.label
            svg +=
                "<text x=\"0\" y=\"\(y + 12)\" class=\"label\(target ? " target" : "")\">\(HTMLText.escape(label))</text>"
            svg += "<rect x=\"0\" y=\"\(y + 17)\" width=\"\(barWidth)\" height=\"12\" rx=\"3\" class=\"track\"/>"
            svg +=
                "<rect x=\"0\" y=\"\(y + 17)\" width=\"\(filled)\" height=\"12\" rx=\"3\" class=\"bar\(target ? " target" : "")\"/>"
            svg += "<text x=\"\(barWidth + 8)\" y=\"\(y + 28)\" class=\"value\">\(percent)%</text>"
        }
        return svg + "</svg>"
    }

    /// Scores 0–100 over time, oldest first, with a labelled score axis (0, 50, 100), the dates of the
    /// first and last answers under the line, and a dot per answer. The title says what the line
    /// shows for readers who cannot see it: the span, the latest score and the mean.
    static func scoreLine(_ points: [(date: Date, score: Int)], title: String) -> String {
        guard points.count >= 2 else { return "" }
        let day = Date.FormatStyle().day().month(.abbreviated)
        let first = points[0].date.formatted(day)
        let last = points[points.count - 1].date.formatted(day)
        let mean = points.map(\.score).reduce(0, +) / points.count
        return line(
            points.map(\.score), labels: [0: first, points.count - 1: last], title: title,
            summary:
                "\(title): \(points.count) answers from \(first) to \(last), the latest scoring \(points[points.count - 1].score), the mean \(mean).",
            caption: "score of each answer, oldest to newest")
    }

    /// Readiness for a role at the end of each week, oldest first, each point dated under the line
    /// (every other date when there are more than six, so that they stay legible).
    static func readinessWeeks(_ points: [(label: String, percent: Int)], role: String) -> String {
        guard points.count >= 2 else { return "" }
        let every = points.count > 6 ? 2 : 1
        var labels: [Int: String] = [:]
        for index in points.indices where (points.count - 1 - index) % every == 0 {
            labels[index] = points[index].label
        }
        let title = "Readiness for \(role), week by week"
        let list = points.map { "\($0.label) \($0.percent)%" }.joined(separator: ", ")
        return line(
            points.map(\.percent), labels: labels, title: title, summary: "\(title), in percent: \(list).",
            caption: "readiness at the end of each week, in percent")
    }

    /// A line of values 0–100 with a labelled axis (0, 50, 100), a dot per value, the given x labels
    /// under their points, and a caption; `summary` is its text alternative.
    static func line(_ values: [Int], labels: [Int: String], title: String, summary: String, caption: String) -> String
    {
        let width = 480
        let height = 160
        let (left, right, top, bottom) = (34, 16, 10, 44)
        let plotWidth = Double(width - left - right)
        let plotHeight = Double(height - top - bottom)
        let step = plotWidth / Double(max(1, values.count - 1))
        func x(_ index: Int) -> Int { left + Int((Double(index) * step).rounded()) }
        func y(_ value: Int) -> Int { top + Int((Double(100 - max(0, min(100, value))) * plotHeight / 100).rounded()) }
        let id = elementID(title)
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" aria-labelledby=\"\(id)\">"
        svg += "<title id=\"\(id)\">\(HTMLText.escape(summary))</title>"
        for grid in [0, 50, 100] {
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(grid))\" y2=\"\(y(grid))\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(grid) + 4)\" text-anchor=\"end\" class=\"value\">\(grid)</text>"
        }
        let points = values.indices.map { "\(x($0)),\(y(values[$0]))" }
        svg += "<polyline points=\"\(points.joined(separator: " "))\" class=\"line\"/>"
        for index in values.indices {
            svg += "<circle cx=\"\(x(index))\" cy=\"\(y(values[index]))\" r=\"3\" class=\"dot\"/>"
        }
        for (index, label) in labels.sorted(by: { $0.key < $1.key }) {
            let anchor = index == 0 ? "start" : index == values.count - 1 ? "end" : "middle"
            svg +=
                "<text x=\"\(x(index))\" y=\"\(height - 26)\" text-anchor=\"\(anchor)\" class=\"value\">\(HTMLText.escape(label))</text>"
        }
        svg +=
            "<text x=\"\(left + Int(plotWidth / 2))\" y=\"\(height - 6)\" text-anchor=\"middle\" class=\"value axis\">\(HTMLText.escape(caption))</text>"
        return svg + "</svg>"
    }

    /// An element id from a chart's title, so that two charts on one page never share one.
    static func elementID(_ title: String) -> String {
        "chart-"
            + String(
                title.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" })
    }
}
