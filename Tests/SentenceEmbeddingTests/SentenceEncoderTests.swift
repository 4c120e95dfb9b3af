import Foundation
import Testing

@testable import SentenceEmbedding

/// The Swift encoder against reference vectors computed in float32 from the original weights by
/// scripts/minilm-weights.py, with token ids from Hugging Face `tokenizers` (Fixtures/reference.json).
@Suite struct SentenceEncoderTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int32]
            let embedding: [Float]
        }
        let cases: [Case]
    }

    static let reference: Reference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reference.json")
        // swiftlint:disable:next force_try
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    static let encoder: SentenceEncoder = {
        switch SentenceEncoder.loaded {
        case .success(let encoder): return encoder
        case .failure(let error): fatalError("\(error)")
        }
    }()

    @Test func referenceCoversEnoughSentences() {
        #expect(Self.reference.cases.count >= 50)
    }

    @Test func tokenIDsMatchHuggingFaceTokenizers() {
        for reference in Self.reference.cases {
            #expect(Self.encoder.tokenizer.encode(reference.text) == reference.ids, "\(reference.text)")
        }
    }

    @Test func embeddingsMatchTheFloat32Reference() {
        let embeddings = Self.encoder.embed(Self.reference.cases.map(\.text))
        var worst: Float = 1
        for (reference, embedding) in zip(Self.reference.cases, embeddings) {
            let cosine = zip(reference.embedding, embedding).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            worst = min(worst, cosine)
            #expect(cosine >= 0.999, "\(reference.text): cosine \(cosine)")
        }
        #expect(worst >= 0.999)
    }

    @Test func batchingDoesNotChangeAnEmbedding() {
        let texts = Self.reference.cases.prefix(5).map(\.text)
        let together = Self.encoder.embed(texts)
        for (text, batched) in zip(texts, together) {
            let alone = Self.encoder.embed(text)
            let cosine = zip(alone, batched).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(cosine > 0.99999)
        }
    }

    @Test func similarMeaningsScoreHigherThanUnrelatedOnes() {
        let e = Self.encoder.embed([
            "How do you protect patient health information under HIPAA?",
            "What safeguards do you use to keep medical records confidential?",
            "The pizza was delicious and we ordered another one.",
        ])
        func cos(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        #expect(cos(e[0], e[1]) > 0.6)
        #expect(cos(e[0], e[2]) < 0.2)
    }

    @Test func longTextIsTruncatedTo128Tokens() {
        let long = Array(repeating: "interface", count: 400).joined(separator: " ")
        let ids = Self.encoder.tokenizer.encode(long)
        #expect(ids.count == 128)
        #expect(ids.first == Self.encoder.tokenizer.classID && ids.last == Self.encoder.tokenizer.separatorID)
    }

    @Test(arguments: [(UInt16(0x3C00), Float(1)), (0xC000, -2), (0x0001, 5.960_464_5e-8), (0x7BFF, 65504), (0, 0)])
    func halfPrecisionConversion(bits: UInt16, expected: Float) {
        #expect(MiniLMWeights.float(fromHalf: bits) == expected)
    }

    @Test func damagedWeightsGiveAClearError() {
        #expect(throws: EmbeddingError.self) { try MiniLMWeights.parseSafetensors(Data([1, 2, 3])) }
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("no-model-\(UUID())")
        #expect(throws: EmbeddingError.self) { try SentenceEncoder(modelFolder: folder) }
    }
}
