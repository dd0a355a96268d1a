/// An account to create: its login, role and the role's binding (checked by `Account.checkBinding`).
public struct NewAccount: Sendable {
    public let login: String
    public let role: Role
    public let enterprise: TaxCode?
    public let province: Province?
    /// Where its digest of notices goes (`MailMessage.address`), if anywhere.
    public let email: String?

    public init(
        login: String, role: Role, enterprise: TaxCode? = nil, province: Province? = nil, email: String? = nil
    ) {
        self.login = login
        self.role = role
        self.enterprise = enterprise
        self.province = province
        self.email = email
    }
}

/// A session just started: `id` goes into the cookie and is shown nowhere else (the store keeps
/// only its SHA-256); `csrfToken` goes into the session's forms.
public struct IssuedSession: Sendable, Equatable {
    public let id: String
    public let csrfToken: String
    /// The absolute end, UTC `YYYY-MM-DDTHH:MM:SSZ`.
    public let expiresAt: String
}

/// What the store knows of a live session (never its id).
public struct SessionInfo: Sendable, Equatable {
    public let csrfToken: String
    public let createdAt: String
    public let lastSeenAt: String
    public let expiresAt: String
}

/// An API token as listed: never the token itself, only its first characters.
public struct APIToken: Sendable, Equatable {
    public let id: Int64
    public let login: String
    public let name: String
    /// The token's first 8 characters, to tell tokens apart.
    public let prefix: String
    public let createdAt: String
    public let revokedAt: String?
}

/// A token just created: `token` is shown this once and stored only as its SHA-256.
public struct IssuedToken: Sendable, Equatable {
    public let token: String
    public let info: APIToken
}

/// One line of the append-only audit log.
public struct AuditEntry: Sendable, Equatable {
    public let id: Int64
    /// UTC `YYYY-MM-DDTHH:MM:SSZ`.
    public let at: String
    /// Who did it: the acting account's login, or `$STORDERS_ACTOR` at the terminal.
    public let actor: String
    /// `AuditEvent`'s raw value, or another snake_case word a server records.
    public let event: String
    /// The account it concerns (the login tried, for a failed sign-in with a well-formed login).
    public let login: String?
    /// The client's network address, when known.
    public let address: String?
    public let detail: String?
}

/// The events the library itself writes to the audit log.
public enum AuditEvent: String, CaseIterable, Sendable {
    case accountCreated = "account_created"
    case roleChanged = "role_changed"
    case accountDisabled = "account_disabled"
    case accountEnabled = "account_enabled"
    case passwordChanged = "password_changed"
    case emailChanged = "email_changed"
    case tokenCreated = "token_created"
    case tokenRevoked = "token_revoked"
    case login
    case loginFailed = "login_failed"
    case logout
}
