import Configuration
import Foundation
import Logging
import RoundsFeedback
import RoundsLabs
import RoundsStore

/// What the server needs to start, read once from swift-configuration (command line, environment,
/// `.env`). A key maps to an environment variable by upper-casing it and replacing dots with
/// underscores: `http.port` is `HTTP_PORT`.
///
/// Keys: `http.host` (default 127.0.0.1), `http.port` (8080), `db.kind` (sqlite or postgres),
/// `db.sqlite.path` (the same per-user database as the command line), `db.postgres.url` or
/// `database.url` (`DATABASE_URL`: a PostgreSQL server), `content.path` and `rounds.content` (extra packs,
/// separated by `:`; the second is `ROUNDS_CONTENT`, which the command line reads too),
/// `rounds.bundled_content` (a folder that replaces the bundled pack), `ehr.path` (the SQL labs'
/// databases), `ehr.patients` (their size; default 100,000), `ehr.prepare` (build them at start-up;
/// default true), `log.level` (info), `auth.mode` (single).
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Which database, and where (`db.kind`, `db.sqlite.path`).
    public var store: StoreLocation
    /// Extra content packs, loaded after the bundled one in this order.
    public var contentPaths: [String]
    /// A folder that replaces the bundled pack (`rounds.bundled_content`), for authors editing the bank.
    public var bundledContentPath: String?
    public var logLevel: Logger.Level
    /// Where the SQL labs' databases live (`ehr.path`; default: ROUNDS_EHR_DIR or ~/.local/share/rounds/ehr).
    public var ehrDirectory: String
    /// The visible SQL lab database's size in patients (`ehr.patients`; default ROUNDS_EHR_PATIENTS or 100,000).
    public var ehrPatients: Int?
    /// Build the SQL labs' databases while the server starts (`ehr.prepare`; default true), so that the
    /// first Run does not wait for them.
    public var prepareLabDatabases: Bool
    /// `single` (no sign-in, loopback only; the default) or `accounts` (sign-up and sign-in).
    public var authMode: AuthMode
    /// Mark every cookie Secure (`http.secure_cookies`; off by default, so that a plain-HTTP loopback
    /// server works). A request that arrives as HTTPS, directly or per X-Forwarded-Proto, gets Secure
    /// cookies either way; turn this on behind a proxy that terminates TLS without saying so.
    public var secureCookies: Bool
    /// Accounts one address may create per hour (`auth.signups_per_hour`; default 100). Each costs a
    /// bcrypt hash; a class signing up together from one network address needs room.
    public var signUpsPerHour: Int
    /// Addresses of the reverse proxies in front of this instance (`http.trusted_proxies`, comma-separated;
    /// none by default). From these, the client's address is read from `X-Forwarded-For`, and their
    /// connections are not held to the per-address cap: the proxy speaks for many clients.
    public var trustedProxies: Set<String>
    /// Where the feedback engine keeps the embeddings of what answers are compared with between runs
    /// (`feedback.cache_dir`; default `ROUNDS_CACHE_DIR`, else `~/.cache/rounds`; `none` keeps
    /// nothing). Instances may share it.
    public var feedbackCacheFolder: URL?
    /// Seconds a keep-alive connection may sit idle (`http.idle_timeout`; default 60).
    public var idleTimeout: Int
    /// Connection limits the router never sees: per address, header and body deadlines
    /// (`http.connections_per_address` 64, `http.header_timeout` 20 s, `http.body_timeout` 60 s).
    public var connectionLimits: ConnectionLimits

    public enum AuthMode: String, Sendable, CaseIterable {
        case single, accounts
    }

    /// Reads every key once. A key with a fixed set of values (`db.kind`, `log.level`, `auth.mode`)
    /// that holds anything else stops start-up with an error naming the key, the value and the choices:
    /// a mistyped `AUTH_MODE=acounts` must not quietly serve a single-user server instead.
    public init(reader: ConfigReader) throws(ConfigurationError) {
        host = reader.string(forKey: "http.host", default: "127.0.0.1")
        port = reader.int(forKey: "http.port", default: 8080)
        store = try Self.storeLocation(reader)
        contentPaths = ["content.path", "rounds.content"].flatMap {
            reader.string(forKey: ConfigKey($0), default: "").split(separator: ":").map(String.init)
        }
        bundledContentPath = reader.string(forKey: "rounds.bundled_content").flatMap { $0.isEmpty ? nil : $0 }
        ehrDirectory = reader.string(forKey: "ehr.path", default: LabDatabases.defaultDirectory())
        ehrPatients = reader.int(forKey: "ehr.patients")
        prepareLabDatabases = reader.bool(forKey: "ehr.prepare", default: true)
        logLevel = try reader.choice(forKey: "log.level", default: .info)
        authMode = try reader.choice(forKey: "auth.mode", default: .single)
        secureCookies = reader.bool(forKey: "http.secure_cookies", default: false)
        signUpsPerHour = max(1, reader.int(forKey: "auth.signups_per_hour", default: 100))
        idleTimeout = max(1, reader.int(forKey: "http.idle_timeout", default: 60))
        let cacheFolder = reader.string(forKey: "feedback.cache_dir", default: "")
        feedbackCacheFolder =
            cacheFolder.isEmpty
            ? FeedbackEngine.defaultCacheFolder() : cacheFolder == "none" ? nil : URL(fileURLWithPath: cacheFolder)
        trustedProxies = Set(
            reader.string(forKey: "http.trusted_proxies", default: "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty })
        connectionLimits = ConnectionLimits(
            perAddress: max(1, reader.int(forKey: "http.connections_per_address", default: 64)),
            exempt: trustedProxies,
            headerTimeout: .seconds(Int64(max(1, reader.int(forKey: "http.header_timeout", default: 20)))),
            bodyTimeout: .seconds(Int64(max(1, reader.int(forKey: "http.body_timeout", default: 60)))))
    }

    /// Which database: `db.kind` when it is set; else PostgreSQL when `--db` (`db.sqlite.path`) is a
    /// `postgres://` address or `db.postgres.url` or `DATABASE_URL` is set; else the SQLite file.
    static func storeLocation(_ reader: ConfigReader) throws(ConfigurationError) -> StoreLocation {
        let path = reader.string(forKey: "db.sqlite.path").flatMap { $0.isEmpty ? nil : $0 }
        let url = [path, reader.string(forKey: "db.postgres.url"), reader.string(forKey: "database.url")]
            .compactMap { $0 }.first(where: StoreLocation.isPostgresURL)
        let kind: StoreLocation.Kind =
            if reader.string(forKey: "db.kind").map({ !$0.isEmpty }) == true {
                try reader.choice(forKey: "db.kind", default: .sqlite)
            } else {
                url == nil ? .sqlite : .postgres
            }
        return StoreLocation(
            kind: kind,
            sqlitePath: path.flatMap { StoreLocation.isPostgresURL($0) ? nil : $0 } ?? SQLiteStore.defaultPath(),
            postgresURL: url)
    }

    /// True for an address only this machine can reach. Single-user mode has no sign-in, so the server
    /// refuses any other address rather than publish someone's history to the network.
    public var isLoopback: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }
}

/// A configuration value the server cannot use: which key, what it held, and what it may hold.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var key: String
    public var value: String
    public var choices: [String]

    public init(key: String, value: String, choices: [String]) {
        self.key = key
        self.value = value
        self.choices = choices
    }

    public var description: String {
        let variable = key.uppercased().replacingOccurrences(of: ".", with: "_")
        return
            "\(key) (\(variable)) is '\(value)', which is not one of its choices: \(choices.joined(separator: ", ")). Set it to one of them, or remove it for the default."
    }
}

extension ConfigReader {
    /// The value of a key that has a fixed set of choices; the default when the key is not set.
    func choice<Choice: RawRepresentable & CaseIterable>(forKey key: String, default fallback: Choice)
        throws(ConfigurationError) -> Choice where Choice.RawValue == String
    {
        guard let raw = string(forKey: ConfigKey(key)), !raw.isEmpty else { return fallback }
        guard let value = Choice(rawValue: raw.lowercased()) else {
            throw ConfigurationError(key: key, value: raw, choices: Choice.allCases.map(\.rawValue))
        }
        return value
    }
}
