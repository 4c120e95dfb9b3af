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
        let width = 480
        let height = 150
        let (left, right, top, bottom) = (34, 12, 10, 30)
        let plotWidth = Double(width - left - right)
        let plotHeight = Double(height - top - bottom)
        let step = plotWidth / Double(points.count - 1)
        func x(_ index: Int) -> Int { left + Int((Double(index) * step).rounded()) }
        func y(_ score: Int) -> Int { top + Int((Double(100 - max(0, min(100, score))) * plotHeight / 100).rounded()) }
        let day = Date.FormatStyle().day().month(.abbreviated)
        let first = points[0].date.formatted(day)
        let last = points[points.count - 1].date.formatted(day)
        let mean = points.map(\.score).reduce(0, +) / points.count
        let summary =
            "\(title): \(points.count) answers from \(first) to \(last), the latest scoring \(points[points.count - 1].score), the mean \(mean)."
        let id = elementID(title)
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" aria-labelledby=\"\(id)\">"
        svg += "<title id=\"\(id)\">\(HTMLText.escape(summary))</title>"
        for grid in [0, 50, 100] {
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(grid))\" y2=\"\(y(grid))\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(grid) + 4)\" text-anchor=\"end\" class=\"value\">\(grid)</text>"
        }
        let line = points.indices.map { "\(x($0)),\(y(points[$0].score))" }
        svg += "<polyline points=\"\(line.joined(separator: " "))\" class=\"line\"/>"
        for index in points.indices {
            svg += "<circle cx=\"\(x(index))\" cy=\"\(y(points[index].score))\" r=\"3\" class=\"dot\"/>"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 8)\" class=\"value\">\(HTMLText.escape(first))</text>"
        svg +=
            "<text x=\"\(width - right)\" y=\"\(height - 8)\" text-anchor=\"end\" class=\"value\">\(HTMLText.escape(last))</text>"
        svg +=
            "<text x=\"\(left + Int(plotWidth / 2))\" y=\"\(height - 8)\" text-anchor=\"middle\" class=\"value axis\">score of each answer, oldest to newest</text>"
        return svg + "</svg>"
    }

    /// An element id from a chart's title, so that two charts on one page never share one.
    static func elementID(_ title: String) -> String {
        "chart-"
            + String(
                title.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" })
    }
}
