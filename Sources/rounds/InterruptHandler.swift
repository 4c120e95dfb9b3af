import Foundation

/// Ends an open session when the learner presses Ctrl-C, so that the session is closed cleanly; every
/// answer was already saved when it was given.
final class InterruptHandler: @unchecked Sendable {
    private var source: (any DispatchSourceSignal)?

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            onInterrupt()
            exit(130)
        }
        source.resume()
        self.source = source
    }

    func cancel() {
        source?.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// Runs an async closure to completion from synchronous code (the signal handler).
func blocking(_ work: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await work()
        done.signal()
    }
    done.wait()
}
