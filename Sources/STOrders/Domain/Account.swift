/// A person or program that signs in to STOrders, with its role and what the role is bound to.
/// An enterprise account is bound to one tax code; an officer to one province; an auditor to
/// one province or, with none, the whole country; an admin to nothing.
public struct Account: Sendable, Equatable {
    public let id: Int64
    /// Lowercase ASCII letters, digits, '.', '-' and '_', 3 to 64 characters (`Account.parseLogin`).
    public let login: String
    public let role: Role
    /// The enterprise an enterprise account acts for; nil for every other role.
    public let enterprise: TaxCode?
    /// An officer's province (always set), an auditor's (nil: national); nil otherwise.
    public let province: Province?
    /// A disabled account may do nothing: every access is forbidden and it cannot sign in.
    public let disabled: Bool
    /// When the account was created, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public let createdAt: String
    /// Where its digest of notices is sent (`MailMessage.address`), if anywhere.
    public let email: String?

    public init(
        id: Int64, login: String, role: Role, enterprise: TaxCode?, province: Province?, disabled: Bool,
        createdAt: String, email: String? = nil
    ) {
        self.id = id
        self.login = login
        self.role = role
        self.enterprise = enterprise
        self.province = province
        self.disabled = disabled
        self.createdAt = createdAt
        self.email = email
    }

    /// The shortest and longest login.
    public static let loginLength = 3...64
    /// The shortest password, in characters, and the longest, in UTF-8 bytes (bcrypt reads no
    /// further than 72 bytes: a longer one is refused, never cut silently).
    public static let passwordMinimumCharacters = 10
    public static let passwordMaximumBytes = 72

    /// A login as given, checked: 3 to 64 of `a-z 0-9 . - _` (uppercase letters are refused,
    /// not folded, so a login is written one way only).
    public static func parseLogin(_ text: String) throws -> String {
        let allowed = text.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F
        }
        guard allowed, loginLength.contains(text.utf8.count) else {
            throw STOrdersError.invalidLogin(
                text,
                reason:
                    "a login is \(loginLength.lowerBound) to \(loginLength.upperBound) lowercase ASCII letters, digits, '.', '-' or '_'"
            )
        }
        return text
    }

    /// Checks a new password: at least 10 characters, at most 72 UTF-8 bytes, no control
    /// characters. Returned unchanged (never trimmed or normalised: what is typed is what counts).
    public static func checkPassword(_ password: String) throws {
        if password.count < passwordMinimumCharacters {
            throw STOrdersError.invalidPassword(
                reason: "it has \(password.count) characters; a password has at least \(passwordMinimumCharacters)")
        }
        if password.utf8.count > passwordMaximumBytes {
            throw STOrdersError.invalidPassword(
                reason:
                    "it is \(password.utf8.count) bytes long in UTF-8; a password has at most \(passwordMaximumBytes) bytes (bcrypt's limit)"
            )
        }
        if password.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw STOrdersError.invalidPassword(reason: "it holds a control character (a line break, tab or NUL)")
        }
    }

    /// Checks that a role comes with exactly the binding it needs: an enterprise account names
    /// its enterprise and no province; an officer its province; an auditor a province or none;
    /// an admin neither.
    public static func checkBinding(role: Role, enterprise: TaxCode?, province: Province?) throws {
        switch role {
        case .enterprise:
            guard enterprise != nil, province == nil else {
                throw STOrdersError.accountBinding(
                    role: role, needs: "an enterprise (its tax code) and no province: it acts for that enterprise")
            }
        case .officer:
            guard province != nil, enterprise == nil else {
                throw STOrdersError.accountBinding(
                    role: role, needs: "a province and no enterprise: it works on that province's orders")
            }
        case .auditor:
            guard enterprise == nil else {
                throw STOrdersError.accountBinding(
                    role: role, needs: "a province or none (national) and no enterprise")
            }
        case .admin:
            guard enterprise == nil, province == nil else {
                throw STOrdersError.accountBinding(role: role, needs: "neither an enterprise nor a province")
            }
        }
    }
}
