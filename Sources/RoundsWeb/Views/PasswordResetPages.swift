import Foundation
import Hummingbird
import RoundsCore
import RoundsStore

/// What the password-reset pages show: their models, filled by `PasswordResetController` and rendered by Mustache.
extension PasswordResetController {
    struct ResetPage {
        let csrf: String
        let token: String
        let email: String
        let expires: String
        let error: String?
        let minimum = Passwords.lengths.lowerBound
        let maximum = Passwords.lengths.upperBound
    }
}
