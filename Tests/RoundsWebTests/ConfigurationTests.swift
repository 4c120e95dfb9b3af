import Configuration
import RoundsStore
import RoundsTestSupport
import RoundsWeb
import Testing

/// Start-up reads its configuration once, and a value it cannot use stops it with the key, the value
/// and the choices, instead of being replaced by a default.
@Suite struct ConfigurationTests {
    @Test(arguments: [
        ("auth.mode", "acounts", ["single", "accounts"]),
        ("log.level", "verbose", ["trace", "debug", "info", "notice", "warning", "error", "critical"]),
        ("db.kind", "mysql", ["sqlite", "postgres"]),
    ])
    func aValueThatIsNotAChoiceStopsStartUp(key: String, value: String, choices: [String]) async throws {
        // Given a mistyped setting
        let reader = TestApp.reader([key: .string(value)])
        // When the server reads its configuration, Then start-up stops and names the key, value and choices
        #expect(throws: ConfigurationError(key: key, value: value, choices: choices)) {
            _ = try WebConfiguration(reader: reader)
        }
        let message = ConfigurationError(key: key, value: value, choices: choices).description
        #expect(
            message.contains(key) && message.contains("'\(value)'") && message.contains(choices.joined(separator: ", "))
        )
        #expect(message.contains(key.uppercased().replacingOccurrences(of: ".", with: "_")), "names the variable too")
    }

    @Test func choicesIgnoreCaseAndUnsetKeysTakeTheirDefaults() throws {
        // Given one choice in capitals and the rest unset
        let configuration = try WebConfiguration(reader: TestApp.reader(["auth.mode": "ACCOUNTS"]))
        // Then the choice is read, and the store and log level are their defaults
        #expect(configuration.authMode == .accounts)
        #expect(configuration.store.kind == .sqlite && configuration.store.sqlitePath == ":memory:")
        #expect(configuration.logLevel == .error)
    }

    @Test func contentPacksComeFromBothKeysInOrder() throws {
        let configuration = try WebConfiguration(
            reader: TestApp.reader(["content.path": "/packs/a:/packs/b", "rounds.content": "/packs/c"]))
        #expect(configuration.contentPaths == ["/packs/a", "/packs/b", "/packs/c"])
    }

    @Test func aDatabaseThatCannotBeOpenedIsNamed() async throws {
        // Given a database path inside a file, which no directory can be created at
        let path = "/dev/null/rounds.sqlite"
        // When the store is opened, Then the error names the path
        await #expect {
            _ = try await StoreLocation(sqlitePath: path).open()
        } throws: { error in
            (error as? StoreOpeningError)?.location == path
                && "\(error)".contains("cannot open the database at \(path)")
        }
    }
}
