import Foundation

/// Small SVG charts drawn on the server, so the dashboard needs no JavaScript. Each has a text
/// alternative (`role="img"` with a title) for screen readers.
enum Charts {
    /// Horizontal bars, one per row, values 0–1, each label above its bar: narrow enough to stay
    /// legible on a phone without scaling the text down.
    static func bars(_ rows: [(label: String, value: Double)], title: String) -> String {
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
            svg += "<text x=\"0\" y=\"\(y + 12)\" class=\"label\">\(HTMLText.escape(row.label))</text>"
            svg += "<rect x=\"0\" y=\"\(y + 17)\" width=\"\(barWidth)\" height=\"12\" rx=\"3\" class=\"track\"/>"
            svg += "<rect x=\"0\" y=\"\(y + 17)\" width=\"\(filled)\" height=\"12\" rx=\"3\" class=\"bar\"/>"
            svg += "<text x=\"\(barWidth + 8)\" y=\"\(y + 28)\" class=\"value\">\(percent)%</text>"
        }
        return svg + "</svg>"
    }

    /// A line of scores 0–100, oldest first.
    static func scoreLine(_ scores: [Int], title: String) -> String {
        let width = 480
        let height = 120
        guard scores.count >= 2 else { return "" }
        let step = Double(width - 20) / Double(scores.count - 1)
        let points = scores.enumerated().map { index, score in
            "\(10 + Int((Double(index) * step).rounded())),\(10 + Int(Double(100 - score) * Double(height - 20) / 100))"
        }
        let id = elementID(title)
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" aria-labelledby=\"\(id)\">"
        svg += "<title id=\"\(id)\">\(HTMLText.escape(title))</title>"
        for grid in [0, 50, 100] {
            let y = 10 + (100 - grid) * (height - 20) / 100
            svg += "<line x1=\"10\" x2=\"\(width - 10)\" y1=\"\(y)\" y2=\"\(y)\" class=\"grid\"/>"
        }
        svg += "<polyline points=\"\(points.joined(separator: " "))\" class=\"line\"/>"
        return svg + "</svg>"
    }

    /// An element id from a chart's title, so that two charts on one page never share one.
    static func elementID(_ title: String) -> String {
        "chart-"
            + String(
                title.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" })
    }
}
