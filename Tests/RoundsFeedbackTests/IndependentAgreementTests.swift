import Foundation
import RoundsContent
import RoundsCore
import RoundsTestSupport
import Testing
import Yams

@testable import RoundsFeedback

/// The engine against an independent labelled set (Independent/<question-id>.yaml): answers written
/// blind, from the question's title only, by writers who never saw the model answer or the rubric,
/// then graded 0–4 by a different reader against the model answer and the rubric. Neither writer nor
/// grader tuned the engine. The set is split by question: `tuning` may be looked at while tuning,
/// `heldout` never is, and the figures reported in docs/feedback.md are the held-out ones.
@Suite struct IndependentAgreementTests {
    struct File: Decodable {
        struct Answer: Decodable {
            let type: String
            let text: String
            let grade: Int?
            let note: String?
        }
        let question: String
        let split: String?
        let answers: [Answer]
    }

    struct Case {
        let question: Question
        let split: String
        let type: String
        let grade: Int
        let text: String
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let library = TestBank.library
    static let engine = FeedbackEngine(
        globalMisconceptions: library.globalMisconceptions, facts: library.facts)

    /// Every graded answer of the set; answers not yet graded are skipped.
    static func loadCases() throws -> [Case] {
        let folder = root.appendingPathComponent("Independent")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
        var cases: [Case] = []
        for file in files {
            let parsed = try YAMLDecoder().decode(File.self, from: String(contentsOf: file, encoding: .utf8))
            guard let split = parsed.split else { continue }
            guard let question = library.question(id: parsed.question) else {
                Issue.record("\(file.lastPathComponent): unknown question \(parsed.question)")
                continue
            }
            for answer in parsed.answers {
                guard let grade = answer.grade else { continue }
                cases.append(Case(question: question, split: split, type: answer.type, grade: grade, text: answer.text))
            }
        }
        return cases
    }

    struct Figures {
        let count: Int
        let questions: Int
        let kappa: Double
        let spearman: Double
        let exact: Double
        let withinOne: Double
        /// Per answer type: count, mean grade, mean band, share of answers within one band of the grade.
        let byType: [String: (count: Int, grade: Double, band: Double, withinOne: Double, maxBand: Int)]
    }

    static func figures(_ cases: [Case], bands: [Int]) -> Figures {
        let grades = cases.map(\.grade)
        var byType: [String: (count: Int, grade: Double, band: Double, withinOne: Double, maxBand: Int)] = [:]
        for type in Set(cases.map(\.type)) {
            let indexes = cases.indices.filter { cases[$0].type == type }
            let n = Double(indexes.count)
            byType[type] = (
                indexes.count, Double(indexes.map { grades[$0] }.reduce(0, +)) / n,
                Double(indexes.map { bands[$0] }.reduce(0, +)) / n,
                Double(indexes.filter { abs(bands[$0] - grades[$0]) <= 1 }.count) / n,
                indexes.map { bands[$0] }.max() ?? 0
            )
        }
        return Figures(
            count: cases.count, questions: Set(cases.map(\.question.id)).count,
            kappa: Agreement.quadraticWeightedKappa(bands, grades),
            spearman: Agreement.spearman(bands.map(Double.init), grades.map(Double.init)),
            exact: Double(zip(bands, grades).filter { $0 == $1 }.count) / Double(cases.count),
            withinOne: Double(zip(bands, grades).filter { abs($0 - $1) <= 1 }.count) / Double(cases.count),
            byType: byType)
    }

    static func report(_ name: String, _ f: Figures) {
        print(
            String(
                format: "%@: %d answers over %d questions; QWK %.3f, Spearman %.3f, exact %.0f%%, within one %.0f%%",
                name as NSString, f.count, f.questions, f.kappa, f.spearman, f.exact * 100, f.withinOne * 100))
        for (type, t) in f.byType.sorted(by: { $0.key < $1.key }) {
            print(
                String(
                    format: "  %-14@ n=%3d  mean grade %.2f  mean band %.2f  within one %.0f%%  highest band %d",
                    type as NSString, t.count, t.grade, t.band, t.withinOne * 100, t.maxBand))
        }
    }

    /// The held-out half, measured when the engine was last tuned (docs/feedback.md); a change that
    /// costs more than the margin fails here.
    static let minimumHeldOutKappa = 0.50
    static let minimumHeldOutWithinOne = 0.75
    /// Fluent but wrong answers, graded 0 by people, measured at a mean band of 2.43 (2.80 before the
    /// bank's claims were extended on 2026-12-07); the goal is 1 or lower.
    static let maximumHeldOutFluentWrongBand = 2.6

    @Test func heldOutAgreement() async throws {
        let cases = try Self.loadCases()
        guard !cases.isEmpty else { return }
        let bands = await offThePool { cases.map { Self.engine.evaluate($0.text, for: $0.question).band } }
        for split in ["tuning", "heldout"] {
            let indexes = cases.indices.filter { cases[$0].split == split }
            guard !indexes.isEmpty else { continue }
            Self.report(split, Self.figures(indexes.map { cases[$0] }, bands: indexes.map { bands[$0] }))
        }
        if let path = ProcessInfo.processInfo.environment["ROUNDS_DUMP_INDEPENDENT"] {
            var lines: [String] = []
            for (item, band) in zip(cases, bands) where item.split == "tuning" {
                let feedback = Self.engine.evaluate(item.text, for: item.question)
                let claims = feedback.misconceptions.map { "\($0.via):\($0.similarity ?? 0):\($0.claim.prefix(60))" }
                let relevance =
                    feedback.checks.first { $0.id == "relevance" }.map { "\($0.status): \($0.detail)" } ?? "-"
                lines.append(
                    "\(item.question.id)\t\(item.type)\tgrade \(item.grade)\tband \(band)\tscore \(feedback.score)\t\(feedback.points.map { $0.coverage.rawValue.prefix(1) + ($0.semantic.map { String(format: "%.2f", $0.similarity) } ?? "") }.joined(separator: ","))\tcaps \(feedback.caps.count)\t\(claims)\t\(relevance)"
                )
            }
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let heldOut = cases.indices.filter { cases[$0].split == "heldout" }
        guard !heldOut.isEmpty else { return }
        let figures = Self.figures(heldOut.map { cases[$0] }, bands: heldOut.map { bands[$0] })
        #expect(figures.kappa >= Self.minimumHeldOutKappa)
        #expect(figures.withinOne >= Self.minimumHeldOutWithinOne)
        #expect((figures.byType["fluent-wrong"]?.band ?? 4) <= Self.maximumHeldOutFluentWrongBand)
    }
}

/// Runs a long synchronous computation (hundreds of graded answers) on its own thread, so that it does
/// not hold one of the few cooperative threads that the suite's async tests (the web app's) run on.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
