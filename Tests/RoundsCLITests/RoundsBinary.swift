import Foundation

/// Runs the built `rounds` executable, as a user would, and captures what it prints.
struct RoundsBinary {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `rounds` executable next to the test bundle (both are in the build's products folder).
    static let url: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("rounds")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        fatalError("the rounds executable was not found next to the tests in \(candidates.map(\.path))")
    }()

    static let cacheFolder = FileManager.default.temporaryDirectory
        .appendingPathComponent("rounds-cli-tests-cache-\(ProcessInfo.processInfo.processIdentifier)").path

    /// Runs `rounds arguments…` with `environment` added to the current one, and no standard input.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ROUNDS_CONTENT")
        env.removeValue(forKey: "ROUNDS_BUNDLED_CONTENT")
        // One embedding cache for every run of the binary in this test process, never the user's own:
        // each run then prepares only the questions no earlier run has.
        env["ROUNDS_CACHE_DIR"] = cacheFolder
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A `rounds` process to talk to while it runs: write lines to it, wait for output, kill it.
final class RunningRounds: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var buffer = ""
    /// Signalled when the output pipe reaches its end, so `wait()` returns only after the last bytes
    /// are in `buffer` (the process can exit before its handler has read them: a flaky CI failure).
    private let drained = DispatchSemaphore(value: 0)

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = RoundsBinary.url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ROUNDS_CONTENT")
        env.removeValue(forKey: "ROUNDS_BUNDLED_CONTENT")
        // One embedding cache for every run of the binary in this test process, never the user's own:
        // each run then prepares only the questions no earlier run has.
        env["ROUNDS_CACHE_DIR"] = RoundsBinary.cacheFolder
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                self.drained.signal()
                return
            }
            self.lock.withLock { self.buffer += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var text: String { lock.withLock { buffer } }

    func write(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    /// Waits until `needle` has been printed `count` times, for at most `seconds`.
    @discardableResult
    func waitFor(_ needle: String, count: Int = 1, seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if text.components(separatedBy: needle).count - 1 >= count { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        wait()
    }

    func interrupt() {
        Foundation.kill(process.processIdentifier, SIGINT)
        wait()
    }

    /// Waits for the process to exit and for its output to be read to the end (at most 10 s more).
    func wait() {
        process.waitUntilExit()
        if drained.wait(timeout: .now() + 10) == .success { drained.signal() }  // later waits return at once
    }
}
