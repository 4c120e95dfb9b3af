import ArgumentParser
import Foundation
import RoundsCore
import RoundsStore
import RoundsWeb

/// Accounts of `rounds serve --accounts`, managed from the server's shell: the first admin is made
/// here, since the web app lets only an admin grant roles.
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List the web app's accounts, change an account's role, or make a password-reset link.",
        discussion: """
            Roles: learner (sees only their own history), coach (also sees every learner's progress, \
            never their answers), admin (also changes roles on the Admin page). New accounts are \
            learners; make the first admin here. Rounds sends no email: for someone who forgot their \
            password, make a one-time link and give it to them.

            Examples:
              rounds accounts list
              rounds accounts role teacher@example.org coach
              rounds accounts role me@example.org admin
              rounds accounts reset-password ana@example.org --url https://rounds.example.org
            """,
        subcommands: [List.self, SetRole.self, ResetPassword.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")
        @OptionGroup var storeOptions: StoreOptions
        @Flag(help: "Print the accounts as JSON.") var json = false

        struct Row: Encodable {
            let id: Int64
            let email: String
            let role: AccountRole
            let createdAt: Date
        }

        mutating func run() async throws {
            let accounts = try await storeOptions.open().accounts()
            if json {
                try Terminal.printJSON(
                    accounts.map { Row(id: $0.id, email: $0.email, role: $0.role, createdAt: $0.createdAt) })
                return
            }
            guard !accounts.isEmpty else {
                print("No accounts yet: people sign up at /signup when the server runs with --accounts.")
                return
            }
            for account in accounts {
                print(
                    Terminal.pad(account.email, 40) + " " + Terminal.pad(account.role.rawValue, 8) + " "
                        + account.createdAt.formatted(date: .abbreviated, time: .omitted))
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role", abstract: "Give an account a role: learner, coach or admin.")
        @Argument(help: "The account's email.") var email: String
        @Argument(help: "learner, coach or admin.") var role: AccountRole
        @OptionGroup var storeOptions: StoreOptions

        mutating func run() async throws {
            let store = try await storeOptions.open()
            guard let account = try await store.account(email: email) else {
                throw ValidationError("no account has the email '\(email)'; `rounds accounts list` shows them.")
            }
            guard try await store.updateRole(role, accountID: account.id) else {
                throw ValidationError("\(account.email) is the only admin; make another admin first.")
            }
            print("\(account.email) is now \(role == .admin ? "an" : "a") \(role.rawValue).")
        }
    }
}

extension AccountsCommand {
    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Make a one-time link that lets an account set a new password.",
            discussion: """
                The link works once, for 24 hours, and replaces any earlier link for the account. Using \
                it signs the account out everywhere and revokes its API tokens. Give it only to the \
                account's owner, by a channel you trust: anyone holding it can take the account.
                """)
        @Argument(help: "The account's email.") var email: String
        @Option(help: "The address learners open Rounds at, put in front of the link.")
        var url = "http://127.0.0.1:8080"
        @OptionGroup var storeOptions: StoreOptions

        mutating func run() async throws {
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            guard let parsed = URL(string: base), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil
            else {
                throw ValidationError("--url must be an http or https address, such as https://rounds.example.org.")
            }
            let store = try await storeOptions.open()
            guard let account = try await store.account(email: email.lowercased()) else {
                throw ValidationError("no account has the email '\(email)'; `rounds accounts list` shows them.")
            }
            let (path, expires) = try await PasswordResetLinks.create(accountID: account.id, store: store)
            print(
                "One-time link for \(account.email), valid until \(expires.formatted(date: .abbreviated, time: .shortened)):"
            )
            print("\(base)\(path)")
        }
    }
}

extension AccountRole: ExpressibleByArgument {}
