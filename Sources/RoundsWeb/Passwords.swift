import Foundation
import Hummingbird
import HummingbirdBcrypt
import RoundsLabs

/// Password rules and hashing, in one place for sign-up, password change and reset links.
///
/// Passwords are hashed with bcrypt at cost 12 on a bounded queue of its own, never on an event loop
/// or the pool that serves pages: at most half the processors at once, so a burst of sign-ups or
/// sign-ins waits its turn.
enum Passwords {
    static let bcryptCost: UInt8 = 12
    /// The lengths accepted, in characters. Length is the rule that matters (NIST SP 800-63B); there
    /// are no composition rules.
    static let lengths = 12...128

    /// What is wrong with a new password, as the form says it; nil when it is acceptable.
    static func problem(_ password: String) -> String? {
        lengths.contains(password.count)
            ? nil
            : "Use a password of \(lengths.lowerBound) to \(lengths.upperBound) characters; a few words you will remember work well."
    }

    static let queue = JudgeQueue(slots: max(1, ProcessInfo.processInfo.activeProcessorCount / 2), maximumWaiting: 256)

    static func hash(_ password: String) async throws -> String {
        try await bounded { Bcrypt.hash(password, cost: bcryptCost) }
    }

    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await bounded { Bcrypt.verify(password, hash: hash) }
    }

    /// A bcrypt hash of a random password, compared against when the email is unknown, so that an
    /// unknown email takes as long to refuse as a wrong password.
    static let decoyHash = Bcrypt.hash(SecretToken.make(), cost: bcryptCost)

    private static func bounded<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        do {
            return try await queue.run(work).value
        } catch is JudgeQueue.Full {
            throw HTTPError(
                .serviceUnavailable, message: "The server is checking many passwords at once. Try again in a minute.")
        }
    }
}
