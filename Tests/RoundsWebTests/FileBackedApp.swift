import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import RoundsCore
import RoundsStore
import RoundsTestSupport

@testable import RoundsWeb

/// An app on a database of `kind` (a SQLite file, or a new PostgreSQL database), with a second
/// connection to the same database so that a test can look behind the pages: make an admin, plant an
/// expired session, backdate a mock interview.
enum FileBackedApp {
    static func run(
        mode: String, on kind: StoreLocation.Kind = .sqlite,
        _ body: @escaping @Sendable (any TestClientProtocol, any Storage) async throws -> Void
    ) async throws {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-web-\(UUID()).sqlite").path
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            let store = try SQLiteStore(path: path)
            try await TestApp.make(["auth.mode": .string(mode), "db.sqlite.path": .string(path)]).test(.router) {
                client in try await body(client, store)
            }
        case .postgres:
            let url = try await TestStores.newPostgresDatabase()
            let store = try await StoreLocation(db: url).open()
            try await TestApp.make(TestApp.settings(postgres: url).merging(["auth.mode": .string(mode)]) { $1 })
                .test(.router) { client in try await body(client, store) }
        }
    }
}
