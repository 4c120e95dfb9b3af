import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RoundsTestSupport
import Testing

/// Issue 14: several `rounds serve` instances on one PostgreSQL database, behind a proxy that sends each
/// request to any of them. Nothing an instance keeps in memory may matter: a sign-in, a form's CSRF
/// token, the sign-in throttle, a mock interview's clock and a lab's verdict made on one instance hold
/// on the other.
@Suite(.enabled(if: TestStores.postgresURL != nil, "no PostgreSQL server for the tests"))
struct SharedDatabaseTests {
    static let question = "ransomware-attack-hospital-response"

    /// Two instances of the app on one new database, in accounts mode.
    func withTwoInstances(
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws {
        let settings = TestApp.settings(postgres: try await TestStores.newPostgresDatabase())
        try await TestApp.accounts(settings).test(.router) { first in
            try await TestApp.accounts(settings).test(.router) { second in
                try await body(first, second)
            }
        }
    }

    @Test func aLearnersRequestsMayLandOnEitherInstance() async throws {
        try await withTwoInstances { a, b in
            // Given a learner who signed up on instance A
            let ana = Browser()
            _ = try await ana.signUp(a, "ana@example.org")
            // When her next request lands on B, Then B knows her
            #expect(try await ana.get(b, "/").status == .ok)
            // When she opens a question on A and her answer is posted to B, Then B takes A's form
            _ = try await ana.get(a, "/questions/\(Self.question)")
            let answered = try await ana.post(
                b, "/questions/\(Self.question)/answers",
                [
                    (
                        "answer",
                        "Isolate infected systems, switch to downtime procedures and restore from offline backups."
                    )
                ])
            #expect(answered.status == .seeOther)
            // And A shows the answer B saved
            let attempt = try #require(answered.headers[.location])
            #expect(try await ana.get(a, attempt).status == .ok)

            // When she starts a mock interview on A, Then B runs the same clock
            _ = try await ana.get(a, "/mock")
            let mock = try #require(
                try await ana.post(a, "/mock", [("role", "healthcare-data-analyst"), ("minutes", "30")]).headers[
                    .location])
            let deadlineOnA = String(buffer: try await ana.get(a, mock).body).firstMatch(of: /data-deadline="(\d+)"/)?.1
            let deadlineOnB = String(buffer: try await ana.get(b, mock).body).firstMatch(of: /data-deadline="(\d+)"/)?.1
            #expect(deadlineOnA != nil && deadlineOnA == deadlineOnB)

            // When she hands in a lab on B, Then A shows the verdict and counts it solved
            _ = try await ana.get(b, "/labs/hl7-read-patient-identifiers")
            let handedIn = try await ana.post(
                b, "/labs/hl7-read-patient-identifiers/attempts",
                [
                    ("answer-event", "A01"), ("answer-mrn", "48213"), ("answer-mrn-authority", "SGH"),
                    ("answer-member-id", "XK-20931"), ("answer-family", "RIVERA"), ("answer-birth-date", "19840721"),
                ])
            let verdict = String(buffer: try await ana.get(a, try #require(handedIn.headers[.location])).body)
            #expect(verdict.contains("Accepted"))
            #expect(String(buffer: try await ana.get(a, "/labs").body).contains("you have solved 1 of"))

            // When she signs out on B, Then A no longer knows her
            _ = try await ana.get(b, "/account")
            #expect(try await ana.post(b, "/signout", []).status == .seeOther)
            #expect(try await ana.get(a, "/").status == .seeOther)
        }
    }

    @Test func wrongPasswordsCountOnEveryInstance() async throws {
        try await withTwoInstances { a, b in
            // Given an account, and an attacker who spreads guesses over both instances
            _ = try await Browser().signUp(a, "dee@example.org")
            let attacker = Browser()
            _ = try await attacker.get(a, "/signin")
            for client in [a, b, a, b, a] {
                let wrong = try await attacker.post(
                    client, "/signin", [("email", "dee@example.org"), ("password", "wrong password guess")])
                #expect(wrong.status == .unauthorized)
            }
            // When the sixth guess lands on either instance, Then both refuse it
            for client in [b, a] {
                let blocked = try await attacker.post(
                    client, "/signin", [("email", "dee@example.org"), ("password", Browser.password)])
                #expect(blocked.status == .tooManyRequests)
            }
        }
    }
}
