import ArgumentParser
import Configuration
import Foundation
import Hummingbird
import RoundsWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web app: practice, feedback and progress in the browser.",
        discussion: """
            Single-user mode: no sign-in, so Rounds listens on this machine only (127.0.0.1) and uses \
            the same database as the command line. Open http://127.0.0.1:8080 in a browser.

            Settings come from the options below, then environment variables (HTTP_HOST, HTTP_PORT, \
            DB_SQLITE_PATH, CONTENT_PATH, LOG_LEVEL), then a .env file in the current folder.

            Examples:
              rounds serve
              rounds serve --port 9000 --db ./practice.sqlite
            """
    )

    @Option(help: "The address to listen on (loopback only in single-user mode).") var host: String?
    @Option(help: "The port to listen on.") var port: Int?
    @Option(
        help: ArgumentHelp(
            "The database file (default: ROUNDS_DB, else the per-user location `rounds help practice` names).",
            valueName: "path"))
    var db: String?
    @Option(
        name: .customLong("content"), help: ArgumentHelp("An extra content pack (repeatable).", valueName: "folder"))
    var extraPacks: [String] = []

    mutating func run() async throws {
        // The command line is the most specific source, so it comes first.
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { values["http.host"] = .init(.string(host), isSecret: false) }
        if let port { values["http.port"] = .init(.int(port), isSecret: false) }
        if let db { values["db.sqlite.path"] = .init(.string(db), isSecret: false) }
        let packs = extraPacks + ((ProcessInfo.processInfo.environment["ROUNDS_CONTENT"]).map { [$0] } ?? [])
        if !packs.isEmpty { values["content.path"] = .init(.string(packs.joined(separator: ":")), isSecret: false) }
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "command line", values: values),
            EnvironmentVariablesProvider(),
            try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true),
        ])
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(reader: reader)
        } catch let error as WebStartupError {
            throw ValidationError(error.description)
        }
        try await app.runService()
    }
}
