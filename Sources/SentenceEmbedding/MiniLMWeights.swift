import Foundation

/// The tensors of all-MiniLM-L6-v2 (BERT: 6 layers, hidden size 384, 12 heads, feed-forward 1536),
/// read from the float16 safetensors file that scripts/minilm-weights.py writes, as float32.
struct MiniLMWeights: Sendable {
    /// Names these exact weights: the file's size and an FNV-1a hash of its first 64 KiB (the
    /// safetensors header and the first tensor), as 16 hex digits. Embeddings kept on disk are kept
    /// under it, so other weights never read them.
    let fingerprint: String

    static func fingerprint(of data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data.prefix(65_536) {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        hash ^= UInt64(data.count)
        return String(hash, radix: 16).leftPadded(to: 16)
    }

    static let hidden = 384
    static let heads = 12
    static let headSize = 32
    static let intermediate = 1536
    static let layerCount = 6
    static let maxPositions = 512

    struct Layer: Sendable {
        /// Query, key and value projections stacked into one [1152 × 384] matrix, so one GEMM makes all three.
        var qkvWeight: [Float]
        var qkvBias: [Float]
        var attentionOutWeight: [Float]
        var attentionOutBias: [Float]
        var attentionNormWeight: [Float]
        var attentionNormBias: [Float]
        var intermediateWeight: [Float]
        var intermediateBias: [Float]
        var outputWeight: [Float]
        var outputBias: [Float]
        var outputNormWeight: [Float]
        var outputNormBias: [Float]
    }

    var wordEmbeddings: [Float]
    var positionEmbeddings: [Float]
    var tokenTypeEmbedding: [Float]
    var embeddingNormWeight: [Float]
    var embeddingNormBias: [Float]
    var layers: [Layer]
    var vocabularySize: Int

    init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EmbeddingError.missingModel(url.path)
        }
        fingerprint = Self.fingerprint(of: data)
        let tensors = try Self.parseSafetensors(data)
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            guard let (actualShape, values) = tensors[name] else {
                throw EmbeddingError.badWeights("no tensor \(name)")
            }
            guard actualShape == shape else {
                throw EmbeddingError.badWeights("\(name) has shape \(actualShape), expected \(shape)")
            }
            return values
        }
        let h = Self.hidden
        guard let words = tensors["embeddings.word_embeddings.weight"], words.shape.count == 2, words.shape[1] == h
        else { throw EmbeddingError.badWeights("no word embeddings of width \(h)") }
        vocabularySize = words.shape[0]
        wordEmbeddings = words.values
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [Self.maxPositions, h])
        tokenTypeEmbedding = Array(try tensor("embeddings.token_type_embeddings.weight", [2, h])[0..<h])
        embeddingNormWeight = try tensor("embeddings.LayerNorm.weight", [h])
        embeddingNormBias = try tensor("embeddings.LayerNorm.bias", [h])
        layers = try (0..<Self.layerCount).map { index in
            let p = "encoder.layer.\(index)."
            return Layer(
                qkvWeight: try tensor(p + "attention.self.query.weight", [h, h])
                    + tensor(p + "attention.self.key.weight", [h, h])
                    + tensor(p + "attention.self.value.weight", [h, h]),
                qkvBias: try tensor(p + "attention.self.query.bias", [h]) + tensor(p + "attention.self.key.bias", [h])
                    + tensor(p + "attention.self.value.bias", [h]),
                attentionOutWeight: try tensor(p + "attention.output.dense.weight", [h, h]),
                attentionOutBias: try tensor(p + "attention.output.dense.bias", [h]),
                attentionNormWeight: try tensor(p + "attention.output.LayerNorm.weight", [h]),
                attentionNormBias: try tensor(p + "attention.output.LayerNorm.bias", [h]),
                intermediateWeight: try tensor(p + "intermediate.dense.weight", [Self.intermediate, h]),
                intermediateBias: try tensor(p + "intermediate.dense.bias", [Self.intermediate]),
                outputWeight: try tensor(p + "output.dense.weight", [h, Self.intermediate]),
                outputBias: try tensor(p + "output.dense.bias", [h]),
                outputNormWeight: try tensor(p + "output.LayerNorm.weight", [h]),
                outputNormBias: try tensor(p + "output.LayerNorm.bias", [h]))
        }
    }

    /// safetensors: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
    /// shape and byte range, then the raw data. Only F16 and F32 tensors are read.
    static func parseSafetensors(_ data: Data) throws -> [String: (shape: [Int], values: [Float])] {
        guard data.count >= 8 else { throw EmbeddingError.badWeights("the file is shorter than its header") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw EmbeddingError.badWeights("the header runs past the end")
        }
        let base = 8 + Int(headerLength)
        let header = data.subdata(in: 8..<base)
        guard let json = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw EmbeddingError.badWeights("the header is not a JSON object")
        }
        var result: [String: (shape: [Int], values: [Float])] = [:]
        for (name, value) in json where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1], base + offsets[1] <= data.count
            else { throw EmbeddingError.badWeights("tensor \(name) has a malformed entry") }
            let count = shape.reduce(1, *)
            let start = base + offsets[0]
            let bytes = offsets[1] - offsets[0]
            var values = [Float](repeating: 0, count: count)
            switch dtype {
            case "F16":
                guard bytes == count * 2 else { throw EmbeddingError.badWeights("tensor \(name) has the wrong size") }
                data.withUnsafeBytes { raw in
                    for i in 0..<count {
                        let lo = UInt16(raw[start + 2 * i])
                        let hi = UInt16(raw[start + 2 * i + 1])
                        values[i] = Self.float(fromHalf: lo | hi << 8)
                    }
                }
            case "F32":
                guard bytes == count * 4 else { throw EmbeddingError.badWeights("tensor \(name) has the wrong size") }
                data.withUnsafeBytes { raw in
                    for i in 0..<count {
                        var bits: UInt32 = 0
                        for b in 0..<4 { bits |= UInt32(raw[start + 4 * i + b]) << (8 * b) }
                        values[i] = Float(bitPattern: bits)
                    }
                }
            default:
                continue
            }
            result[name] = (shape, values)
        }
        return result
    }

    /// IEEE 754 half to single precision, including subnormals, infinities and NaN. Written out rather
    /// than through `Float16`, which Swift lacks on Intel Macs.
    static func float(fromHalf bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        var mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            guard mantissa != 0 else { return Float(bitPattern: sign) }
            var e: UInt32 = 127 - 15 + 1
            while mantissa & 0x400 == 0 {
                mantissa <<= 1
                e -= 1
            }
            mantissa &= 0x3FF
            return Float(bitPattern: sign | e << 23 | mantissa << 13)
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 127 - 15) << 23 | mantissa << 13)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
