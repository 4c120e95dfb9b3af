import Foundation

/// Question-side embeddings kept on disk between runs: the rubric exemplars, model-answer sentences
/// and claims a question is compared with. Embedding them is most of the cost of a question's first
/// answer (several seconds for the few hundred sentences of a skill's claims on 2 cores), and they
/// change only when the bank does, so `rounds answer` and a restarted server read them back instead.
///
/// The file only grows: each batch of new embeddings is appended with one `write`, so several
/// processes can share it. Every record carries a checksum; reading stops at the first record that
/// is torn or damaged, which only means those embeddings are computed again. The key is the text
/// itself, so an edited sentence is simply a new record, and the file name carries the encoder's
/// fingerprint, so other weights never read these vectors. The vectors are stored as computed
/// (32-bit floats): a cached answer is graded exactly as a fresh one.
final class EmbeddingFile: Sendable {
    let url: URL
    let dimensions: Int

    static let magic: UInt32 = 0x314D_4552  // "REM1", little-endian

    init(url: URL, dimensions: Int) {
        self.url = url
        self.dimensions = dimensions
    }

    /// The file for `fingerprint` in `folder`.
    convenience init(folder: URL, fingerprint: String, dimensions: Int) {
        self.init(url: folder.appendingPathComponent("embeddings-minilm-\(fingerprint).bin"), dimensions: dimensions)
    }

    /// Every valid record, in order (a later record of the same text wins); empty when the file is
    /// missing or unreadable.
    func load() -> [String: [Float]] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        var entries: [String: [Float]] = [:]
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            func word(_ at: Int) -> UInt32 {
                UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            }
            while offset + 12 <= bytes.count {
                let length = Int(word(offset + 4))
                let width = Int(word(offset + 8))
                let end = offset + 12 + length + width * 4 + 4
                guard word(offset) == Self.magic, width == dimensions, length <= 1 << 20, end <= bytes.count else {
                    break
                }
                let body = UnsafeRawBufferPointer(rebasing: bytes[(offset + 12)..<(end - 4)])
                guard Self.checksum(body) == word(end - 4),
                    let text = String(bytes: body.prefix(length), encoding: .utf8)
                else { break }
                entries[text] = (0..<width).map { index in
                    Float(
                        bitPattern: UInt32(
                            littleEndian: body.loadUnaligned(fromByteOffset: length + index * 4, as: UInt32.self)))
                }
                offset = end
            }
        }
        return entries
    }

    /// Appends `entries` in one write, creating the folder and the file if needed. A failure (a
    /// read-only folder, a full disk) is ignored: the cache only saves time.
    func append(_ entries: [(text: String, vector: [Float])]) {
        var data = Data()
        for (text, vector) in entries where vector.count == dimensions {
            var body = Data(text.utf8)
            let length = body.count
            for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { body.append(contentsOf: $0) } }
            for value in [Self.magic, UInt32(length), UInt32(dimensions)] {
                withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
            }
            data.append(body)
            let sum = body.withUnsafeBytes { Self.checksum($0) }
            withUnsafeBytes(of: sum.littleEndian) { data.append(contentsOf: $0) }
        }
        guard !data.isEmpty else { return }
        try? FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// FNV-1a, 32 bits: enough to tell a torn or overwritten record from a whole one.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return hash
    }

    /// Where the command line and the server keep it unless told otherwise: `ROUNDS_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/rounds` (by default `~/.cache/rounds`) on Linux, `~/Library/Caches/Rounds` on
    /// macOS. `ROUNDS_CACHE_DIR=none` keeps nothing on disk.
    static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let folder = environment["ROUNDS_CACHE_DIR"], !folder.isEmpty {
            return folder == "none" ? nil : URL(fileURLWithPath: folder)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        #if os(macOS)
            return URL(fileURLWithPath: home + "/Library/Caches/Rounds")
        #else
            let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache"
            return URL(fileURLWithPath: cache + "/rounds")
        #endif
    }
}
