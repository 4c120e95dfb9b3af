import Testing

@testable import RoundsFeedback

@Suite struct AgreementTests {
    @Test func perfectAgreementIsOne() {
        #expect(Agreement.quadraticWeightedKappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4]) == 1)
        #expect(abs(Agreement.spearman([1, 2, 3, 4], [10, 20, 30, 40]) - 1) < 1e-12)
    }

    @Test func kappaMatchesAHandComputedCase() {
        // Ratings 0..2, weights (i−j)²/4. One disagreement (0 vs 1): Σw·O = 0.25.
        // Margins (2,1,1) and (1,2,1) over n = 4 give Σw·E = 0.25·1 + 1·0.5 + 0.25·0.25 + 0.25·0.25
        // + 1·0.25 + 0.25·0.5 = 1.25, so κ = 1 − 0.25/1.25 = 0.8.
        let kappa = Agreement.quadraticWeightedKappa([0, 0, 1, 2], [0, 1, 1, 2], categories: 3)
        #expect(abs(kappa - 0.8) < 1e-12)
    }

    @Test func oppositeRankingIsMinusOne() {
        #expect(abs(Agreement.spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
    }

    @Test func tiesShareTheirAverageRank() {
        #expect(Agreement.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
    }
}
