import GRDB

/// API tokens for programs (schema.sql's `api_tokens`): shown once when created, stored as
/// SHA-256 only, listed by their first 8 characters, revoked rather than deleted.
extension Store {
    /// Creates a token for an account. `name` says what it is for ("nightly export").
    public func createToken(login: String, name: String, by actor: String) throws -> IssuedToken {
        let name = try Text.validate(name, what: "token name")
        let actor = try Text.validate(actor, what: "actor")
        let token = Secrets.random()
        let prefix = String(token.prefix(8))
        return try write { db in
            let account = try Store.fetchAccount(db, login: login)
            try db.execute(
                sql: """
                    INSERT INTO api_tokens (account_id, name, token_hash, prefix, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [account.id, name, Secrets.digest(token), prefix, Store.timestamp()])
            let info = try Store.fetchToken(db, id: db.lastInsertedRowID)
            try Store.appendAudit(
                db, .tokenCreated, actor: actor, login: account.login, address: nil,
                detail: "token \(info.id) '\(name)' (\(prefix)…)")
            return IssuedToken(token: token, info: info)
        }
    }

    /// The tokens of one account (nil: of every account), revoked ones included, by id.
    public func tokens(login: String?) throws -> [APIToken] {
        try read { db in
            if let login {
                let account = try Store.fetchAccount(db, login: login)
                return try Row.fetchAll(
                    db, sql: "\(Store.tokenSelect) WHERE t.account_id = ? ORDER BY t.id", arguments: [account.id]
                ).map(Store.decodeToken)
            }
            return try Row.fetchAll(db, sql: "\(Store.tokenSelect) ORDER BY t.id").map(Store.decodeToken)
        }
    }

    /// Revokes a token: from now on it authenticates nothing. Refused for an unknown id or a
    /// token already revoked.
    @discardableResult
    public func revokeToken(id: Int64, by actor: String) throws -> APIToken {
        let actor = try Text.validate(actor, what: "actor")
        return try write { db in
            let token = try Store.fetchToken(db, id: id)
            if let at = token.revokedAt { throw STOrdersError.tokenAlreadyRevoked(id: id, at: at) }
            try db.execute(
                sql: "UPDATE api_tokens SET revoked_at = max(created_at, ?) WHERE id = ?",
                arguments: [Store.timestamp(), id])
            try Store.appendAudit(
                db, .tokenRevoked, actor: actor, login: token.login, address: nil,
                detail: "token \(id) '\(token.name)' (\(token.prefix)…)")
            return try Store.fetchToken(db, id: id)
        }
    }

    /// The account a raw token stands for; nil when the token is unknown or revoked, or its
    /// account disabled.
    public func account(forToken raw: String) throws -> Account? {
        guard !raw.isEmpty else { return nil }
        return try read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT \(Store.accountColumns) FROM api_tokens t JOIN accounts a ON a.id = t.account_id
                        WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.disabled = 0
                        """), arguments: [Secrets.digest(raw)]
            ).map(Store.decodeAccount)
        }
    }

    static let tokenSelect = """
        SELECT t.id, a.login, t.name, t.prefix, t.created_at, t.revoked_at
        FROM api_tokens t JOIN accounts a ON a.id = t.account_id
        """

    static func decodeToken(_ row: Row) -> APIToken {
        APIToken(id: row[0], login: row[1], name: row[2], prefix: row[3], createdAt: row[4], revokedAt: row[5])
    }

    static func fetchToken(_ db: Database, id: Int64) throws -> APIToken {
        guard let row = try Row.fetchOne(db, sql: "\(tokenSelect) WHERE t.id = ?", arguments: [id]) else {
            throw STOrdersError.unknownToken(id: id)
        }
        return decodeToken(row)
    }
}
