/// The JSON shapes of accounts, API tokens and audit lines: `storders user … --json`,
/// `storders token … --json` and the server's answers. Never a password, a hash, a session id
/// or a token (except `issuedToken`, the one answer that shows a new token, once).
extension Shape {
    public static func account(_ a: Account) -> JSONValue { Column.row(Columns.accounts, a) }

    /// A token as listed: its first 8 characters, never the token.
    public static func token(_ t: APIToken) -> JSONValue { Column.row(Columns.tokens, t) }

    /// A token just created: the token itself (shown this once), then its listed fields.
    public static func issuedToken(_ t: IssuedToken) -> JSONValue {
        guard case .object(let fields) = token(t.info) else { return token(t.info) }
        return .object([("token", .string(t.token))] + fields)
    }

    public static func auditEntry(_ e: AuditEntry) -> JSONValue { Column.row(Columns.audit, e) }
}

extension Columns {
    public static let accounts: [Column<Account>] = [
        .init("", "id", .count, inTable: false) { .int($0.id) },
        .init("LOGIN", "login") { .string($0.login) },
        .init("ROLE", "role") { .string($0.role.rawValue) },
        .init("ENTERPRISE", "enterprise") { .optional($0.enterprise?.value) },
        .init("PROVINCE", "province") { .optional($0.province?.name) },
        .init("", "province_code", inTable: false) { .optional($0.province?.code) },
        .init("DISABLED", "disabled", .flag) { .bool($0.disabled) },
        .init("CREATED", "created_at") { .string($0.createdAt) },
        .init("E-MAIL", "email") { .optional($0.email) },
    ]

    public static let tokens: [Column<APIToken>] = [
        .init("ID", "id", .count) { .int($0.id) },
        .init("LOGIN", "login") { .string($0.login) },
        .init("NAME", "name", max: 40) { .string($0.name) },
        .init("PREFIX", "prefix") { .string($0.prefix) },
        .init("CREATED", "created_at") { .string($0.createdAt) },
        .init("REVOKED", "revoked_at") { .optional($0.revokedAt) },
    ]

    public static let audit: [Column<AuditEntry>] = [
        .init("", "id", .count, inTable: false) { .int($0.id) },
        .init("AT", "at") { .string($0.at) },
        .init("ACTOR", "actor", max: 24) { .string($0.actor) },
        .init("EVENT", "event") { .string($0.event) },
        .init("LOGIN", "login") { .optional($0.login) },
        .init("ADDRESS", "address") { .optional($0.address) },
        .init("DETAIL", "detail", max: 60) { .optional($0.detail) },
    ]
}
