import Foundation
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
}
