import Synchronization

/// Remembers the stems of words already seen. The vocabulary of interview answers is small, so after
/// warm-up nearly every word is a dictionary hit instead of a run of the stemmer.
final class StemCache: Sendable {
    static let shared = StemCache()
    /// Past this many entries new words are stemmed but not kept, so memory stays bounded.
    static let capacity = 100_000

    private let stems = Mutex<[String: String]>([:])

    func stem(_ word: String) -> String {
        if let known = stems.withLock({ $0[word] }) { return known }
        let stem = PorterStemmer.stem(word)
        stems.withLock { if $0.count < Self.capacity { $0[word] = stem } }
        return stem
    }
}
