import Foundation
import RoundsCore
import SentenceEmbedding
import Testing

@testable import RoundsFeedback

/// The embeddings kept on disk between runs: what is read back is exactly what was written, a torn
/// or damaged tail is dropped rather than trusted, and an engine that reads them grades exactly as
/// one that computed them.
@Suite struct EmbeddingFileTests {
    func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rounds-embeddings-\(UUID())")
    }

    @Test func vectorsComeBackBitForBitAndATornTailIsDropped() throws {
        // Given a file with two records, one text in Unicode
        let file = EmbeddingFile(folder: folder(), fingerprint: "0123456789abcdef", dimensions: 3)
        defer { try? FileManager.default.removeItem(at: file.url.deletingLastPathComponent()) }
        let first: [Float] = [0.1, -0.25, .leastNonzeroMagnitude]
        let second: [Float] = [1, 0, -1]
        file.append([(text: "PHI is encrypted at rest.", vector: first), (text: "Ünïcode – ok 🩺", vector: second)])
        // When it is read back, Then every float is the same bit pattern
        let loaded = file.load()
        #expect(loaded["PHI is encrypted at rest."]?.map(\.bitPattern) == first.map(\.bitPattern))
        #expect(loaded["Ünïcode – ok 🩺"] == second)
        // When a third record is torn off halfway (a process stopped mid-write), Then the whole ones stay
        file.append([(text: "torn", vector: [2, 2, 2])])
        let data = try Data(contentsOf: file.url)
        try data.prefix(data.count - 7).write(to: file.url)
        #expect(Set(file.load().keys) == ["PHI is encrypted at rest.", "Ünïcode – ok 🩺"])
        // When a byte of the second record's vector is damaged (it ends 25 bytes before the torn tail's
        // end, with a 4-byte checksum), Then reading stops before that record
        var damaged = try Data(contentsOf: file.url)
        damaged[damaged.count - 30] ^= 0xFF
        try damaged.write(to: file.url)
        #expect(Set(file.load().keys) == ["PHI is encrypted at rest."])
        // And vectors of another width are never read as these
        #expect(EmbeddingFile(url: file.url, dimensions: 4).load().isEmpty)
    }

    @Test(.enabled(if: SentenceEncoder.shared != nil, "the bundled model is missing"))
    func anEngineThatReadsTheFileGradesExactlyAsOneThatComputedIt() throws {
        // Given an engine with a cache folder that has graded an answer once
        let folder = folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let answer =
            "We encrypt PHI at rest with AES-256 and use TLS in transit. Staff get role-based access with MFA, and every read of a chart is written to an audit log."
        let first = FeedbackEngine(cacheFolder: folder).evaluate(answer, for: FeedbackEngineTests.question)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1 && files[0].hasPrefix("embeddings-minilm-"))
        let size =
            try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(files[0]).path)[
                .size] as? Int
        #expect((size ?? 0) > 0)
        // When a new engine (a new run) grades it from the file, Then the feedback is identical and
        // nothing new was embedded for the question
        let second = FeedbackEngine(cacheFolder: folder).evaluate(answer, for: FeedbackEngineTests.question)
        #expect(second == first)
        let after =
            try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(files[0]).path)[
                .size] as? Int
        #expect(after == size)
        // And without a cache the grade is the same too
        #expect(FeedbackEngine().evaluate(answer, for: FeedbackEngineTests.question) == first)
    }
}
