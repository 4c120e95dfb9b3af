import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import RoundsStore
import RoundsTestSupport
import Testing

/// `/healthz` and `/readyz` for a proxy, and the web app on every store kind the tests can reach.
@Suite struct HealthTests {
    @Test(arguments: TestStores.kinds) func anInstanceIsLiveAndReadyWithoutSigningIn(_ kind: StoreLocation.Kind)
        async throws
    {
        // Given an accounts-mode instance and a visitor who has not signed in
        try await TestApp.accounts(try await TestApp.settings(on: kind)).test(.router) { client in
            // When the proxy asks, Then the instance is live, and ready with every migration applied
            let live = try await client.execute(uri: "/healthz", method: .get)
            #expect(live.status == .ok && String(buffer: live.body) == "ok\n")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(String(buffer: ready.body).contains(#""migrations":"current""#))
        }
    }

    /// The same learner's work, through the pages, on each store: sign up, answer, see it in the history.
    @Test(arguments: TestStores.kinds) func aLearnerAnswersAndFindsTheAnswerInTheirHistory(
        _ kind: StoreLocation.Kind
    ) async throws {
        try await TestApp.accounts(try await TestApp.settings(on: kind)).test(.router) { client in
            // Given a learner who signed up
            let browser = Browser()
            _ = try await browser.signUp(client, "ana@example.org")
            // When they answer a question
            _ = try await browser.get(client, "/questions/ransomware-attack-hospital-response")
            let answered = try await browser.post(
                client, "/questions/ransomware-attack-hospital-response/answers",
                [
                    (
                        "answer",
                        "Isolate infected systems, switch to downtime procedures and restore from offline backups."
                    )
                ])
            #expect(answered.status == .seeOther)
            // Then the answer is in their history, and another learner's history is empty
            let history = String(buffer: try await browser.get(client, "/history").body)
            #expect(history.contains("ransomware-attack-hospital-response"))
            let other = Browser()
            _ = try await other.signUp(client, "bo@example.org")
            #expect(String(buffer: try await other.get(client, "/history").body).contains("No answers yet."))
        }
    }

    /// Issue 14: a database that cannot take a write (here a SQLite file another process holds locked
    /// past the busy timeout; on PostgreSQL a server restarting) answers 503 with when to try again, not
    /// a 500 that reads as a bug, and the next request after it is free again succeeds.
    @Test func aDatabaseThatCannotTakeTheWriteAnswers503AndRecovers() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-busy-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await TestApp.make(["db.sqlite.path": .string(path)]).test(.router) { client in
            // Given a learner with a question open, and another process holding the database's write lock
            let browser = Browser()
            _ = try await browser.get(client, "/questions/ransomware-attack-hospital-response")
            let release = DispatchSemaphore(value: 0)
            try await Self.holdWriteLock(on: path, until: release)
            defer { release.signal() }
            // When the answer is sent, Then it is refused with 503, Retry-After and what to do
            let answer = [("answer", "Isolate infected systems and restore from offline backups after containment.")]
            let refused = try await browser.post(
                client, "/questions/ransomware-attack-hospital-response/answers", answer)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "30")
            #expect(String(buffer: refused.body).contains("nothing was saved"))
            let api = try await client.execute(
                uri: "/api/v1/drafts/question:ransomware-attack-hospital-response", method: .put,
                headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"text": "half an answer"}"#))
            #expect(api.status == .serviceUnavailable)
            #expect(String(buffer: api.body).contains(#""database_unavailable""#))
            // When the lock is released, Then the same answer is saved
            release.signal()
            try await Task.sleep(for: .milliseconds(100))
            let saved = try await browser.post(client, "/questions/ransomware-attack-hospital-response/answers", answer)
            #expect(saved.status == .seeOther)
        }
    }

    /// Holds the write lock of the SQLite file at `path` from another connection, on a thread of its own
    /// (GRDB ends each access with its transaction), until `release` is signalled.
    static func holdWriteLock(on path: String, until release: DispatchSemaphore) async throws {
        let queue = try DatabaseQueue(path: path)
        try await withCheckedThrowingContinuation { (locked: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    try queue.inDatabase { db in
                        try db.execute(sql: "BEGIN EXCLUSIVE")
                        locked.resume()
                        release.wait()
                        try? db.execute(sql: "ROLLBACK")
                    }
                } catch {
                    locked.resume(throwing: error)
                }
            }
        }
    }
}
