import Foundation
import Synchronization

/// Sentence embeddings from all-MiniLM-L6-v2: WordPiece, the 6-layer BERT encoder, mean pooling and
/// L2 normalisation, so the dot product of two embeddings is their cosine similarity.
///
/// Offline and deterministic. Matrix products go to BLAS (OpenBLAS on Linux, Accelerate on macOS);
/// every sentence of a batch shares the linear layers' GEMMs, with no padding, and attends only to
/// itself. Thread-safe: the weights are immutable and forward passes run one at a time.
public final class SentenceEncoder: Sendable {
    /// The width of an embedding.
    public static let dimensions = MiniLMWeights.hidden

    public let tokenizer: WordPieceTokenizer
    private let weights: MiniLMWeights
    /// Names the loaded weights (16 hex digits): embeddings computed with other weights differ.
    public var fingerprint: String { weights.fingerprint }

    /// Loads the bundled model (`Sources/SentenceEmbedding/Model`).
    public convenience init() throws {
        guard let folder = Bundle.module.url(forResource: "Model", withExtension: nil) else {
            throw EmbeddingError.missingModel("the SentenceEmbedding bundle's Model folder")
        }
        try self.init(modelFolder: folder)
    }

    /// Loads `minilm-l6-v2.f16.safetensors` and `vocab.txt` from `modelFolder`.
    public init(modelFolder: URL) throws {
        let vocabularyURL = modelFolder.appendingPathComponent("vocab.txt")
        guard let vocabulary = try? String(contentsOf: vocabularyURL, encoding: .utf8) else {
            throw EmbeddingError.missingModel(vocabularyURL.path)
        }
        tokenizer = try WordPieceTokenizer(vocabulary: vocabulary)
        weights = try MiniLMWeights(contentsOf: modelFolder.appendingPathComponent("minilm-l6-v2.f16.safetensors"))
    }

    /// The matrix library and kernel the encoder runs on (`OpenBLAS SkylakeX`, `Accelerate`), for
    /// benchmark reports.
    public static var matrixLibrary: String { BLAS.kernel }

    /// Forward passes run one at a time: BLAS libraries differ in how safely they take concurrent
    /// calls, and on a 2-core server a second pass in parallel would gain little.
    private let forwardLock = Mutex(())

    /// The bundled model, loaded once on first use, or why it could not be.
    public static let loaded: Result<SentenceEncoder, EmbeddingError> = {
        do {
            return .success(try SentenceEncoder())
        } catch let error as EmbeddingError {
            return .failure(error)
        } catch {
            return .failure(.badWeights("\(error)"))
        }
    }()

    /// The shared encoder; nil when the model files are missing or damaged (``loaded`` says why).
    public static var shared: SentenceEncoder? { try? loaded.get() }

    /// The embedding of each text, in order: 384 floats of unit length.
    public func embed(_ texts: [String]) -> [[Float]] {
        embed(tokenIDs: texts.map(tokenizer.encode))
    }

    /// The dot product of two embeddings, their cosine similarity since both have unit length.
    /// Compiled optimised with the encoder, so callers in unoptimised builds stay fast.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let n = min(a.count, b.count)
        guard n > 0 else { return 0 }
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in BLAS.sdot(n, a.baseAddress!, b.baseAddress!) }
        }
    }

    /// The embedding of one text.
    public func embed(_ text: String) -> [Float] {
        embed([text])[0]
    }

    /// Embeddings of already tokenised sequences (each framed by [CLS] … [SEP]).
    public func embed(tokenIDs sequences: [[Int32]]) -> [[Float]] {
        guard !sequences.isEmpty else { return [] }
        return forwardLock.withLock { _ in forward(sequences) }
    }

    private func forward(_ sequences: [[Int32]]) -> [[Float]] {
        let h = MiniLMWeights.hidden
        let sequences = sequences.map { Array($0.prefix(MiniLMWeights.maxPositions)) }
        let total = sequences.reduce(0) { $0 + $1.count }
        var offsets: [Int] = []
        var running = 0
        for sequence in sequences {
            offsets.append(running)
            running += sequence.count
        }

        // Embeddings: word + position + token type 0, then LayerNorm.
        var x = [Float](repeating: 0, count: total * h)
        for (s, sequence) in sequences.enumerated() {
            for (position, id) in sequence.enumerated() {
                let row = (offsets[s] + position) * h
                let word = Int(id) < weights.vocabularySize && id >= 0 ? Int(id) * h : Int(tokenizer.unknownID) * h
                let pos = position * h
                for i in 0..<h {
                    x[row + i] =
                        weights.wordEmbeddings[word + i] + weights.positionEmbeddings[pos + i]
                        + weights.tokenTypeEmbedding[i]
                }
            }
        }
        Self.layerNorm(&x, rows: total, weight: weights.embeddingNormWeight, bias: weights.embeddingNormBias)

        var qkv = [Float](repeating: 0, count: total * 3 * h)
        var context = [Float](repeating: 0, count: total * h)
        var projected = [Float](repeating: 0, count: total * h)
        var inner = [Float](repeating: 0, count: total * MiniLMWeights.intermediate)
        let longest = sequences.map(\.count).max() ?? 0
        var scores = [Float](repeating: 0, count: longest * longest)
        let scale = 1 / Float(MiniLMWeights.headSize).squareRoot()

        for layer in weights.layers {
            Self.linear(
                x, rows: total, input: h, weight: layer.qkvWeight, bias: layer.qkvBias, output: 3 * h, into: &qkv)
            for (s, sequence) in sequences.enumerated() {
                attend(
                    qkv: qkv, start: offsets[s], length: sequence.count, scale: scale, scores: &scores,
                    context: &context)
            }
            Self.linear(
                context, rows: total, input: h, weight: layer.attentionOutWeight, bias: layer.attentionOutBias,
                output: h, into: &projected)
            for i in 0..<(total * h) { x[i] += projected[i] }
            Self.layerNorm(&x, rows: total, weight: layer.attentionNormWeight, bias: layer.attentionNormBias)

            Self.linear(
                x, rows: total, input: h, weight: layer.intermediateWeight, bias: layer.intermediateBias,
                output: MiniLMWeights.intermediate, into: &inner)
            Self.gelu(&inner)
            Self.linear(
                inner, rows: total, input: MiniLMWeights.intermediate, weight: layer.outputWeight,
                bias: layer.outputBias, output: h, into: &projected)
            for i in 0..<(total * h) { x[i] += projected[i] }
            Self.layerNorm(&x, rows: total, weight: layer.outputNormWeight, bias: layer.outputNormBias)
        }

        // Mean pooling over every token ([CLS] and [SEP] included, as sentence-transformers does), then L2.
        return sequences.enumerated().map { s, sequence in
            var pooled = [Float](repeating: 0, count: h)
            for t in 0..<sequence.count {
                let row = (offsets[s] + t) * h
                for i in 0..<h { pooled[i] += x[row + i] }
            }
            var norm: Float = 0
            for i in 0..<h { norm += pooled[i] * pooled[i] }
            norm = norm.squareRoot()
            if norm > 0 { for i in 0..<h { pooled[i] /= norm } }
            return pooled
        }
    }

    /// Scaled dot-product attention of one sequence, head by head, into `context`.
    private func attend(
        qkv: [Float], start: Int, length n: Int, scale: Float, scores: inout [Float], context: inout [Float]
    ) {
        let h = MiniLMWeights.hidden
        let d = MiniLMWeights.headSize
        let stride = 3 * h
        qkv.withUnsafeBufferPointer { qkv in
            scores.withUnsafeMutableBufferPointer { scores in
                context.withUnsafeMutableBufferPointer { context in
                    for head in 0..<MiniLMWeights.heads {
                        let q = qkv.baseAddress! + start * stride + head * d
                        let k = q + h
                        let v = q + 2 * h
                        BLAS.sgemm(
                            transposeB: true, n, n, d, scale, q, stride, k, stride, 0, scores.baseAddress!, n)
                        for row in 0..<n {
                            let base = row * n
                            var largest = -Float.infinity
                            for j in 0..<n { largest = max(largest, scores[base + j]) }
                            var sum: Float = 0
                            for j in 0..<n {
                                let e = expf(scores[base + j] - largest)
                                scores[base + j] = e
                                sum += e
                            }
                            let inverse = 1 / sum
                            for j in 0..<n { scores[base + j] *= inverse }
                        }
                        BLAS.sgemm(
                            transposeB: false, n, d, n, 1, scores.baseAddress!, n, v, stride, 0,
                            context.baseAddress! + start * h + head * d, h)
                    }
                }
            }
        }
    }

    /// `out[rows × output] = input[rows × inputWidth] × weightᵀ + bias`; weights are stored [output × input].
    private static func linear(
        _ x: [Float], rows: Int, input: Int, weight: [Float], bias: [Float], output: Int, into out: inout [Float]
    ) {
        out.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows {
                let row = out.baseAddress! + r * output
                bias.withUnsafeBufferPointer { row.update(from: $0.baseAddress!, count: output) }
            }
            x.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    BLAS.sgemm(
                        transposeB: true, rows, output, input, 1, x.baseAddress!, input, w.baseAddress!, input, 1,
                        out.baseAddress!, output)
                }
            }
        }
    }

    private static func layerNorm(_ x: inout [Float], rows: Int, weight: [Float], bias: [Float]) {
        let h = weight.count
        x.withUnsafeMutableBufferPointer { x in
            for r in 0..<rows {
                let row = x.baseAddress! + r * h
                var mean: Float = 0
                for i in 0..<h { mean += row[i] }
                mean /= Float(h)
                var variance: Float = 0
                for i in 0..<h {
                    let d = row[i] - mean
                    variance += d * d
                }
                variance /= Float(h)
                let inverse = 1 / (variance + 1e-12).squareRoot()
                for i in 0..<h { row[i] = (row[i] - mean) * inverse * weight[i] + bias[i] }
            }
        }
    }

    /// GELU with the exact error function, as BERT uses.
    private static func gelu(_ x: inout [Float]) {
        let invSqrt2: Float = 0.707_106_77
        x.withUnsafeMutableBufferPointer { x in
            for i in 0..<x.count {
                let v = x[i]
                x[i] = 0.5 * v * (1 + erff(v * invSqrt2))
            }
        }
    }
}
