import STOrders

/// The JSON shapes of accounts, API tokens and audit lines (`user … --json`, `token … --json`).
extension Render {
    static func account(_ a: Account) -> JSON {
        .object([
            ("id", .int(a.id)),
            ("login", .string(a.login)),
            ("role", .string(a.role.rawValue)),
            ("enterprise", .optional(a.enterprise?.value)),
            ("province", .optional(a.province?.name)),
            ("province_code", .optional(a.province?.code)),
            ("disabled", .bool(a.disabled)),
            ("created_at", .string(a.createdAt)),
        ])
    }

    /// A token as listed: its first characters, never the token.
    static func tokenFields(_ t: APIToken) -> [(String, JSON)] {
        [
            ("id", .int(t.id)),
            ("login", .string(t.login)),
            ("name", .string(t.name)),
            ("prefix", .string(t.prefix)),
            ("created_at", .string(t.createdAt)),
            ("revoked_at", .optional(t.revokedAt)),
        ]
    }

    static func token(_ t: APIToken) -> JSON { .object(tokenFields(t)) }

    static func auditEntry(_ e: AuditEntry) -> JSON {
        .object([
            ("id", .int(e.id)),
            ("at", .string(e.at)),
            ("actor", .string(e.actor)),
            ("event", .string(e.event)),
            ("login", .optional(e.login)),
            ("address", .optional(e.address)),
            ("detail", .optional(e.detail)),
        ])
    }

    /// "officer of Thái Nguyên", "auditor (national)", "enterprise 0100233488", "admin".
    static func binding(_ a: Account) -> String {
        switch a.role {
        case .enterprise: return "enterprise \(a.enterprise?.value ?? "")"
        case .officer, .auditor: return a.province.map { "\(a.role) of \($0.name)" } ?? "\(a.role) (national)"
        case .admin: return "admin"
        }
    }
}
