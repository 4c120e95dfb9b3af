import Foundation
import Testing

@testable import RoundsCore

/// The published FSRS-6 vectors (docs/scheduling.md lists their sources), to an absolute 1e-4.
@Suite struct FSRSTests {
    let fsrs = FSRS()
    let tolerance = 1e-4

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-4) -> Bool { abs(a - b) <= tolerance }

    @Test func t1MemoryStateAfterAHistory() throws {
        let ratings: [Rating] = [.again, .good, .good, .good, .good, .good]
        let days = [0, 0, 1, 3, 8, 21]
        let state = try #require(fsrs.replay(Array(zip(ratings, days)).map { ($0, $1) }))
        #expect(close(state.stability, 53.62691), "S = \(state.stability)")
        #expect(close(state.difficulty, 6.3574867), "D = \(state.difficulty)")
    }

    @Test func t1WithoutShortTermParameters() throws {
        var weights = FSRS.defaultWeights
        weights[17] = 0
        weights[18] = 0
        weights[19] = 0
        let plain = FSRS(weights: weights)
        let state = try #require(
            plain.replay([(.again, 0), (.good, 0), (.good, 1), (.good, 3), (.good, 8), (.good, 21)]))
        #expect(close(state.stability, 53.335106), "S = \(state.stability)")
        #expect(close(state.difficulty, 6.3574867))
    }

    @Test func t3IntervalHistoryWithLearningSteps() {
        let scheduler = ReviewScheduler(learningSteps: [60, 600], relearningSteps: [600])
        var now = ISO8601DateFormatter().date(from: "2022-11-29T12:30:00Z")!
        var card = ReviewCard.new(due: now)
        var intervals: [Int] = []
        var phases: [ReviewCard.Phase] = []
        let ratings: [Rating] = [
            .good, .good, .good, .good, .good, .good, .again, .again, .good, .good, .good, .good, .good,
        ]
        for rating in ratings {
            phases.append(card.phase)
            card = scheduler.review(card, rating: rating, at: now)
            intervals.append(Int(card.due.timeIntervalSince(card.lastReview!) / 86_400))
            now = card.due
        }
        #expect(intervals == [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21])
        #expect(
            phases == [.learning, .learning] + Array(repeating: .review, count: 5) + [.relearning, .relearning]
                + Array(repeating: .review, count: 4))
    }

    @Test func t5FirstReview() {
        let stabilities = [0.212, 1.2931, 2.3065, 8.2956]
        let difficulties = [6.4133, 5.11217071, 2.11810397, 1]
        for (index, rating) in Rating.allCases.enumerated() {
            let state = fsrs.initialState(rating)
            #expect(close(state.stability, stabilities[index]))
            #expect(close(state.difficulty, difficulties[index]))
        }
        let scheduler = ReviewScheduler(learningSteps: [60, 600], relearningSteps: [600])
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let days = Rating.allCases.map { rating in
            let card = scheduler.review(.new(due: now), rating: rating, at: now)
            return Int(card.due.timeIntervalSince(now) / 86_400)
        }
        #expect(days == [0, 0, 0, 8])
        #expect(close(fsrs.retrievability(elapsedDays: 8, stability: 8.2956), 0.9024733))
    }

    @Test func t6ForgettingCurve() {
        let pairs: [(Double, Double)] = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 4), (5, 2)]
        let expected = [1.0, 0.9403443, 0.9253786, 0.9185229, 0.9, 0.8261359]
        for ((t, s), r) in zip(pairs, expected) {
            #expect(close(fsrs.retrievability(elapsedDays: t, stability: s), r))
        }
    }

    @Test func t6NextDifficulty() {
        let expected = [8.341763, 6.6659956, 4.990228, 3.3144615]
        for (rating, d) in zip(Rating.allCases, expected) {
            #expect(close(fsrs.nextDifficulty(5, rating: rating), d), "\(rating)")
        }
    }

    @Test func t6NextStability() {
        let cases: [(d: Double, r: Double, rating: Rating)] = [
            (1, 0.9, .again), (2, 0.8, .hard), (3, 0.7, .good), (4, 0.6, .easy),
        ]
        let recall = [25.602541, 28.226582, 58.656002, 127.226685]
        let lapse = [1.0525396, 1.1894329, 1.3680838, 1.584989]
        for (index, c) in cases.enumerated() {
            let state = MemoryState(stability: 5, difficulty: c.d)
            #expect(close(fsrs.recallStability(state, retrievability: c.r, rating: c.rating), recall[index], 1e-3))
            #expect(close(fsrs.forgetStability(state, retrievability: c.r), lapse[index]))
        }
        let sameDay = [1.596818, 5.0, 5.0, 8.12961]
        for (rating, s) in zip(Rating.allCases, sameDay) {
            #expect(close(fsrs.shortTermStability(5, rating: rating), s), "\(rating)")
        }
    }

    @Test func t6NextInterval() {
        // Float64 gives 3116769 for r = 0.1, where fsrs-rs's f32 gives 3116766.
        let expected = [3_116_769, 34793, 2508, 387, 90, 27, 9, 3, 1, 1]
        let model = FSRS(maximumInterval: 10_000_000)
        for (index, days) in expected.enumerated() {
            let retention = Double(index + 1) / 10
            #expect(model.interval(stability: 1, retention: retention) == days, "r = \(retention)")
        }
        #expect(FSRS(desiredRetention: 0.9).interval(stability: 1) == 1)
        #expect(FSRS(desiredRetention: 0.9).interval(stability: 100_000) == 36500)
        // Past Int.max, infinite or NaN stability clamps instead of trapping in Int(_:).
        #expect(FSRS(desiredRetention: 0.9).interval(stability: 1e300) == 36500)
        #expect(FSRS(desiredRetention: 0.9).interval(stability: .infinity) == 36500)
        #expect(FSRS(desiredRetention: 0.9).interval(stability: .nan) == 1)
    }

    @Test func t6RetrievabilityWithAnotherDecay() {
        var weights = FSRS.defaultWeights
        weights[20] = 0.2
        let model = FSRS(weights: weights)
        let expected = [1.0, 0.9, 0.84028935, 0.7985001]
        for (t, r) in expected.enumerated() {
            #expect(close(model.retrievability(elapsedDays: Double(t), stability: 1), r))
        }
    }

    @Test func sameDayHardNeverLowersStability() {
        for s in [0.1, 1, 5, 50, 500] {
            #expect(fsrs.shortTermStability(s, rating: .hard) >= s)
        }
        #expect(fsrs.shortTermStability(5, rating: .again) < 5)
    }

    @Test func higherRetentionMeansShorterIntervals() {
        let loose = FSRS(desiredRetention: 0.8).interval(stability: 20)
        let strict = FSRS(desiredRetention: 0.95).interval(stability: 20)
        #expect(loose > 20 && strict < 20)
    }

    @Test func ratingFromBand() {
        #expect([0, 1, 2, 3, 4].map { Rating(band: $0) } == [.again, .again, .hard, .good, .easy])
    }

    @Test func defaultSchedulerHasNoIntraDaySteps() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let card = ReviewScheduler().review(.new(due: now), rating: .again, at: now)
        #expect(card.phase == .review)
        #expect(card.due.timeIntervalSince(now) == 86_400)
    }
}
