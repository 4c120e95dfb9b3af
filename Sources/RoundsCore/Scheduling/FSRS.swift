import Foundation

/// How well a learner recalled an answer, on FSRS's four-point scale.
public enum Rating: Int, Sendable, Codable, CaseIterable, Comparable {
    case again = 1, hard, good, easy

    public static func < (lhs: Rating, rhs: Rating) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The rating a feedback band earns: 0–1 Again, 2 Hard, 3 Good, 4 Easy.
    public init(band: Int) {
        switch band {
        case ...1: self = .again
        case 2: self = .hard
        case 3: self = .good
        default: self = .easy
        }
    }

    public var name: String {
        switch self {
        case .again: "Again"
        case .hard: "Hard"
        case .good: "Good"
        case .easy: "Easy"
        }
    }
}

/// What FSRS knows about a learner's memory of one item.
public struct MemoryState: Sendable, Codable, Hashable {
    /// Days until recall probability falls to 90%.
    public var stability: Double
    /// 1 (easy) to 10 (hard).
    public var difficulty: Double

    public init(stability: Double, difficulty: Double) {
        self.stability = stability
        self.difficulty = difficulty
    }
}

/// The FSRS-6 memory model: the formulas of fsrs-rs, in Double precision.
///
/// See docs/scheduling.md for the formulas and the published vectors the tests check.
public struct FSRS: Sendable, Hashable {
    /// The FSRS-6 default parameters (medians over 10k Anki users).
    public static let defaultWeights: [Double] = [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614,
        0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ]
    /// The allowed range of desired retention.
    public static let retentionRange = 0.70...0.97
    static let stabilityRange = 0.001...36500.0
    static let difficultyRange = 1.0...10.0

    public let weights: [Double]
    /// The probability of recall at which a review is scheduled.
    public let desiredRetention: Double
    /// The longest interval, in days.
    public let maximumInterval: Int

    /// - Precondition: 21 weights, and a retention within ``retentionRange``.
    public init(weights: [Double] = defaultWeights, desiredRetention: Double = 0.9, maximumInterval: Int = 36500) {
        precondition(weights.count == 21, "FSRS-6 takes 21 weights")
        precondition(Self.retentionRange.contains(desiredRetention), "desired retention must be in 0.70...0.97")
        self.weights = weights
        self.desiredRetention = desiredRetention
        self.maximumInterval = maximumInterval
    }

    private var decay: Double { weights[20] }
    /// Chosen so that R(S, S) = 0.9.
    private var factor: Double { pow(0.9, -1 / decay) - 1 }

    /// The probability of recall `elapsedDays` after a review that left `stability`.
    public func retrievability(elapsedDays: Double, stability: Double) -> Double {
        pow(1 + factor * elapsedDays / stability, -decay)
    }

    /// The interval in whole days after which recall falls to the desired retention.
    public func interval(stability: Double) -> Int {
        interval(stability: stability, retention: desiredRetention)
    }

    /// The interval for any retention in (0, 1]; the published vectors go beyond the range learners may set.
    func interval(stability: Double, retention: Double) -> Int {
        let days = (stability / factor * (pow(retention, -1 / decay) - 1)).rounded()
        // Clamp before converting: Int(_:) traps on NaN and on values past Int.max, and a stability
        // carried over from an import or a long history must never take the scheduler down.
        guard days.isFinite else { return days == .infinity ? maximumInterval : 1 }
        return Int(min(max(days, 1), Double(maximumInterval)))
    }

    /// The state after a first review.
    public func initialState(_ rating: Rating) -> MemoryState {
        MemoryState(
            stability: clampStability(weights[rating.rawValue - 1]),
            difficulty: clampDifficulty(initialDifficulty(rating)))
    }

    /// Unclamped D0(G) = w4 − e^(w5·(G−1)) + 1.
    func initialDifficulty(_ rating: Rating) -> Double {
        weights[4] - exp(weights[5] * Double(rating.rawValue - 1)) + 1
    }

    /// The state after reviewing with `rating`, `elapsedDays` whole days after the previous review.
    /// Pass nil for `state` on the first review.
    public func nextState(_ state: MemoryState?, elapsedDays: Int, rating: Rating) -> MemoryState {
        guard let state else { return initialState(rating) }
        let stability: Double
        if elapsedDays == 0 {
            stability = shortTermStability(state.stability, rating: rating)
        } else {
            let r = retrievability(elapsedDays: Double(elapsedDays), stability: state.stability)
            stability =
                rating == .again
                ? forgetStability(state, retrievability: r)
                : recallStability(state, retrievability: r, rating: rating)
        }
        return MemoryState(
            stability: clampStability(stability), difficulty: nextDifficulty(state.difficulty, rating: rating))
    }

    /// Difficulty moves with the rating, damped near 10, then reverts a little toward D0(Easy).
    public func nextDifficulty(_ difficulty: Double, rating: Rating) -> Double {
        let delta = -weights[6] * Double(rating.rawValue - 3)
        let damped = difficulty + delta * (10 - difficulty) / 9
        return clampDifficulty(weights[7] * initialDifficulty(.easy) + (1 - weights[7]) * damped)
    }

    /// Stability after a successful recall (Hard, Good or Easy) on a later day.
    public func recallStability(_ state: MemoryState, retrievability r: Double, rating: Rating) -> Double {
        let hardPenalty = rating == .hard ? weights[15] : 1
        let easyBonus = rating == .easy ? weights[16] : 1
        let growth =
            exp(weights[8]) * (11 - state.difficulty) * pow(state.stability, -weights[9])
            * (exp(weights[10] * (1 - r)) - 1) * hardPenalty * easyBonus
        return state.stability * (1 + growth)
    }

    /// Stability after a lapse (Again) on a later day; never above what a same-day lapse allows.
    public func forgetStability(_ state: MemoryState, retrievability r: Double) -> Double {
        let longTerm =
            weights[11] * pow(state.difficulty, -weights[12]) * (pow(state.stability + 1, weights[13]) - 1)
            * exp(weights[14] * (1 - r))
        let shortTermCap = state.stability / exp(weights[17] * weights[18])
        return min(longTerm, shortTermCap)
    }

    /// Stability after a second review on the same day. A same-day success never lowers stability,
    /// as in fsrs-rs: Hard, Good and Easy floor the increase at 1.
    public func shortTermStability(_ stability: Double, rating: Rating) -> Double {
        var increase = exp(weights[17] * (Double(rating.rawValue) - 3 + weights[18])) * pow(stability, -weights[19])
        if rating >= .hard { increase = max(increase, 1) }
        return stability * increase
    }

    /// The memory state after a whole history of reviews, each with its days since the previous one
    /// (the first entry's days are ignored).
    public func replay(_ reviews: [(rating: Rating, elapsedDays: Int)]) -> MemoryState? {
        var state: MemoryState?
        for review in reviews {
            state = nextState(state, elapsedDays: review.elapsedDays, rating: review.rating)
        }
        return state
    }

    private func clampStability(_ s: Double) -> Double {
        min(max(s, Self.stabilityRange.lowerBound), Self.stabilityRange.upperBound)
    }

    private func clampDifficulty(_ d: Double) -> Double {
        min(max(d, Self.difficultyRange.lowerBound), Self.difficultyRange.upperBound)
    }
}
