import Crypto
import Foundation

/// The random secrets the server hands out: CSRF tokens, session tokens, password-reset links and API
/// tokens are each 256 random bits written as 64 hexadecimal digits. All but the CSRF token (which the
/// browser must echo) are stored only as their SHA-256, so a copy of the database signs no one in.
enum SecretToken {
    /// 32 random bytes from the system's generator, as 64 lower-case hexadecimal digits.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// True for 64 lower-case hexadecimal digits: what `make` writes, and nothing a client invents.
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// The SHA-256 of a token, in hexadecimal: what the database keeps.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
