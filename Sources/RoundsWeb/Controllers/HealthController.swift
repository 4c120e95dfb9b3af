import Foundation
import Hummingbird
import RoundsStore

/// Health checks for a proxy or an operator, open to anyone and cheap: `/healthz` says the process
/// answers; `/readyz` says it can serve, because its database is reachable and has every migration this
/// build expects. A not-ready instance answers 503, and the proxy sends its traffic elsewhere.
struct HealthController: Sendable {
    let environment: WebEnvironment

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz", use: live)
        router.get("/readyz", use: ready)
    }

    struct Status: Encodable {
        let status: String
        let database: String
        let migrations: String
    }

    @Sendable func live(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: .init(string: "ok\n")))
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        let applied: [String]
        do {
            applied = try await environment.store.appliedMigrations()
        } catch {
            return try APIResponse.json(
                Status(status: "not ready", database: "unreachable: \(error)", migrations: "unknown"),
                status: .serviceUnavailable)
        }
        let missing = SchemaMigrations.names.filter { !applied.contains($0) }
        guard missing.isEmpty else {
            return try APIResponse.json(
                Status(
                    status: "not ready", database: "reachable",
                    migrations: "missing \(missing.joined(separator: ", "))"),
                status: .serviceUnavailable)
        }
        return try APIResponse.json(Status(status: "ready", database: "reachable", migrations: "current"))
    }
}
