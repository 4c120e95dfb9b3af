import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import RoundsStore
import RoundsTestSupport

@testable import RoundsWeb

/// An app on a database file, with a second connection to the same file so that a test can look
/// behind the pages: make an admin, plant an expired session, backdate a mock interview.
enum FileBackedApp {
    static func run(
        mode: String, _ body: @escaping @Sendable (any TestClientProtocol, SQLiteStore) async throws -> Void
    ) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-web-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path)
        try await TestApp.make(["auth.mode": .string(mode), "db.sqlite.path": .string(path)]).test(.router) { client in
            try await body(client, store)
        }
    }
}
