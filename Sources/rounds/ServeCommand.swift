import ArgumentParser
import Configuration
import Hummingbird
import RoundsWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web app: practice, feedback and progress in the browser.",
        usage:
            "rounds serve [--accounts] [--host <host>] [--port <port>] [--db <path>]\n[--content <folder> ...]",
        discussion: """
            Single-user mode: no sign-in, so Rounds listens on this machine only (127.0.0.1) and uses \
            the same database as the command line. Open http://127.0.0.1:8080 in a browser.

            With --accounts, people sign up and sign in; each sees only their own history. Passwords are \
            hashed with bcrypt, sessions are kept in the database, and sign-in is rate-limited. Serve it \
            behind HTTPS (cookies become Secure when the proxy sends X-Forwarded-Proto: https, or with \
            HTTP_SECURE_COOKIES=true).

            Settings come from the options below, then environment variables (HTTP_HOST, HTTP_PORT, \
            DB_KIND, DB_SQLITE_PATH, CONTENT_PATH, AUTH_MODE, HTTP_SECURE_COOKIES, LOG_LEVEL), then a .env \
            file in the current folder. A setting with fixed choices (DB_KIND, AUTH_MODE, LOG_LEVEL) that \
            holds anything else stops start-up with the choices named. The SQL labs' databases are built \
            in the background at start-up unless EHR_PREPARE=false.

            Examples:
              rounds serve
              rounds serve --port 9000 --db ./practice.sqlite
              rounds serve --accounts --host 0.0.0.0
            """
    )

    @Flag(help: "Require sign-up and sign-in (for a shared server); without it, single-user mode on loopback.")
    var accounts = false
    @Option(help: "The address to listen on (loopback only in single-user mode).") var host: String?
    @Option(help: "The port to listen on.") var port: Int?
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var contentOptions: ContentOptions

    mutating func run() async throws {
        // The command line is the most specific source, so it comes first.
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if accounts { values["auth.mode"] = .init(.string("accounts"), isSecret: false) }
        if let host { values["http.host"] = .init(.string(host), isSecret: false) }
        if let port { values["http.port"] = .init(.int(port), isSecret: false) }
        if let db = storeOptions.db { values["db.sqlite.path"] = .init(.string(db), isSecret: false) }
        if !contentOptions.extraPacks.isEmpty {
            values["content.path"] = .init(.string(contentOptions.extraPacks.joined(separator: ":")), isSecret: false)
        }
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "command line", values: values),
            EnvironmentVariablesProvider(),
            try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true),
        ])
        // Start-up errors (a bad setting, a database that cannot be opened) describe themselves; they are
        // not usage errors, so ArgumentParser prints them without the usage line.
        try await buildApplication(reader: reader).runService()
    }
}
