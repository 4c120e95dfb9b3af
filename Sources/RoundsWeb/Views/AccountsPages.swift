import Foundation
import Hummingbird
import RoundsCore
import RoundsLabs

/// What the accounts pages show: their models, filled by `AccountsController` and rendered by Mustache.
extension AccountsController {
    struct AuthPage {
        let csrf: String
        let email: String
        let next: String
        let error: String?
        let minimum: Int
        /// A note above the form, such as "your password is set".
        var notice: String? = nil
    }

    struct AccountPage {
        let csrf: String
        let email: String
        let role: String
        let message: String?
        let error: String?
        let minimum: Int
        let tokens: [TokenRow]
        let hasTokens: Bool
        /// A token's secret, shown on the page once, right after it was created.
        let newSecret: String?
    }

    struct TokenRow {
        let id: Int64
        let name: String
        let created: String
        let lastUsed: String
    }
}
