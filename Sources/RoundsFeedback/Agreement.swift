/// Agreement between two graders, used to check the engine's bands against hand grades.
public enum Agreement {
    /// Quadratic weighted kappa for ratings in `0..<categories`: 1 is perfect agreement, 0 is what chance
    /// gives, and disagreements cost the square of their distance.
    public static func quadraticWeightedKappa(_ a: [Int], _ b: [Int], categories: Int = 5) -> Double {
        precondition(a.count == b.count && !a.isEmpty && categories > 1)
        let n = Double(a.count)
        var observed = Array(repeating: Array(repeating: 0.0, count: categories), count: categories)
        var histA = Array(repeating: 0.0, count: categories)
        var histB = Array(repeating: 0.0, count: categories)
        for (x, y) in zip(a, b) {
            observed[x][y] += 1
            histA[x] += 1
            histB[y] += 1
        }
        var numerator = 0.0
        var denominator = 0.0
        let scale = Double((categories - 1) * (categories - 1))
        for i in 0..<categories {
            for j in 0..<categories {
                let weight = Double((i - j) * (i - j)) / scale
                numerator += weight * observed[i][j]
                denominator += weight * histA[i] * histB[j] / n
            }
        }
        return denominator == 0 ? 1 : 1 - numerator / denominator
    }

    /// Spearman's rank correlation, with tied values given their average rank.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count && a.count > 1)
        return pearson(ranks(a), ranks(b))
    }

    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = Array(repeating: 0.0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        return ranks
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / (sxx * syy).squareRoot()
    }
}
