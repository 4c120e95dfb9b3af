import Foundation
import Synchronization

/// Runs lab grading on a bounded number of threads of its own, first come first served.
///
/// A lab query can use up to its CPU limit (two seconds); graded on Swift's cooperative pool, or on an
/// unbounded number of threads, a few learners' heavy queries would slow every other request. Here at
/// most `slots` hand-ins run at once, the rest wait their turn (and are told how long they waited),
/// and past `maximumWaiting` a hand-in is turned away with a clear message rather than queued forever.
public final class JudgeQueue: Sendable {
    /// How long a hand-in waited for a free judge, and how many were ahead of it.
    public struct Wait: Sendable, Hashable {
        public let seconds: Double
        public let ahead: Int
    }

    /// Too many hand-ins are already waiting.
    public struct Full: Error, CustomStringConvertible, Sendable {
        public let waiting: Int
        public var description: String {
            "\(waiting) hand-ins are already waiting to be graded; yours was not graded or saved. Try again in a minute."
        }
    }

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    public let slots: Int
    public let maximumWaiting: Int
    private let state = Mutex(State())
    private let threads = DispatchQueue(label: "rounds.judges", qos: .userInitiated, attributes: .concurrent)

    /// - Parameter slots: hand-ins graded at once; by default one fewer than the processors (at least
    ///   one), so that a core is always left for pages, answers and the store.
    public init(slots: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1), maximumWaiting: Int = 64) {
        self.slots = max(1, slots)
        self.maximumWaiting = max(0, maximumWaiting)
    }

    /// Hand-ins being graded and waiting now.
    public var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }

    /// Waits for a free judge, runs `work` on the queue's own threads, and says how long it waited.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> (value: T, wait: Wait) {
        let queued = DispatchTime.now().uptimeNanoseconds
        let ahead = try await acquire()
        let wait = Wait(seconds: Double(DispatchTime.now().uptimeNanoseconds - queued) / 1e9, ahead: ahead)
        defer { release() }
        let value = try await withCheckedThrowingContinuation { continuation in
            threads.async { continuation.resume(with: Result { try work() }) }
        }
        return (value, wait)
    }

    /// Returns the number of hand-ins that were ahead.
    private func acquire() async throws -> Int {
        enum Decision {
            case go, full(Int)
            case wait(Int)
        }
        var ahead = 0
        var full: Int?
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let decision = state.withLock { state -> Decision in
                if state.running < slots && state.waiting.isEmpty {
                    state.running += 1
                    return .go
                }
                if state.waiting.count >= maximumWaiting { return .full(state.waiting.count) }
                state.waiting.append(continuation)
                return .wait(state.waiting.count - 1 + state.running)
            }
            switch decision {
            case .go: continuation.resume()
            case .full(let count):
                full = count
                continuation.resume()
            case .wait(let count): ahead = count
            }
        }
        if let full { throw Full(waiting: full) }
        return ahead
    }

    /// Hands the slot to the next waiting hand-in, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if !state.waiting.isEmpty { return state.waiting.removeFirst() }
            state.running -= 1
            return nil
        }
        next?.resume()
    }
}
