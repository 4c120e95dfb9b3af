import ArgumentParser
import Foundation
import RoundsCore
import RoundsStore

/// Accounts of `rounds serve --accounts`, managed from the server's shell: the first admin is made
/// here, since the web app lets only an admin grant roles.
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List the web app's accounts, or change an account's role.",
        discussion: """
            Roles: learner (sees only their own history), coach (also sees every learner's progress, \
            never their answers), admin (also changes roles on the Admin page). New accounts are \
            learners; make the first admin here.

            Examples:
              rounds accounts list
              rounds accounts role teacher@example.org coach
              rounds accounts role me@example.org admin
            """,
        subcommands: [List.self, SetRole.self]
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
            let store = try storeOptions.open()
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

extension AccountRole: ExpressibleByArgument {}
