import GRDB
import HummingbirdBcrypt

/// Accounts: who may sign in, with which role (schema.sql's `accounts`). Each change is one
/// transaction that also appends its line to the audit log. Passwords are hashed with bcrypt
/// before the transaction opens (hashing is slow on purpose and never holds the write lock).
extension Store {
    /// The bcrypt cost of new password hashes unless told otherwise (2^12 rounds).
    public static let defaultPasswordCost = 12

    /// Creates an account. The login must be new and well formed, the password long enough,
    /// the role given exactly its binding (an enterprise account's enterprise must exist).
    /// `cost` is bcrypt's (4 to 31; tests use 4). `actor` is who creates it, for the audit log.
    @discardableResult
    public func addAccount(_ new: NewAccount, password: String, cost: Int = 12, by actor: String) throws -> Account {
        let login = try Account.parseLogin(new.login)
        try Account.checkBinding(role: new.role, enterprise: new.enterprise, province: new.province)
        try Account.checkPassword(password)
        let email = try new.email.map(MailMessage.address)
        let actor = try Text.validate(actor, what: "actor")
        let hash = try Store.hashPassword(password, cost: cost)
        return try write { db in
            if try Store.accountExists(db, login: login) { throw STOrdersError.duplicateLogin(login) }
            try Store.checkEnterpriseExists(db, new.enterprise)
            let now = Store.timestamp()
            try db.execute(
                sql: """
                    INSERT INTO accounts (login, role, enterprise_tax_code, province_code, password_hash, disabled, created_at, updated_at, email)
                    VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)
                    """,
                arguments: [
                    login, new.role.rawValue, new.enterprise?.value, new.province?.code, hash, now, now, email,
                ])
            let account = try Store.fetchAccount(db, login: login)
            try Store.appendAudit(
                db, .accountCreated, actor: actor, login: login, address: nil, detail: Store.binding(of: account))
            return account
        }
    }

    /// Every account, by login.
    public func accounts() throws -> [Account] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Store.accountColumns) FROM accounts a ORDER BY a.login")
                .map(Store.decodeAccount)
        }
    }

    /// One account; `unknownAccount` if there is none with that login.
    public func account(login: String) throws -> Account {
        try read { db in try Store.fetchAccount(db, login: login) }
    }

    /// Disables (or enables again) an account. Disabling ends its sessions at once; its API
    /// tokens stay as they are but authenticate nothing while it is disabled. Asking for the
    /// state it is already in changes nothing and records nothing.
    @discardableResult
    public func setAccountDisabled(login: String, _ disabled: Bool, by actor: String) throws -> Account {
        let actor = try Text.validate(actor, what: "actor")
        return try write { db in
            let account = try Store.fetchAccount(db, login: login)
            guard account.disabled != disabled else { return account }
            try db.execute(
                sql: "UPDATE accounts SET disabled = ?, updated_at = max(updated_at, ?) WHERE id = ?",
                arguments: [disabled, Store.timestamp(), account.id])
            if disabled {
                try db.execute(sql: "DELETE FROM sessions WHERE account_id = ?", arguments: [account.id])
            }
            try Store.appendAudit(
                db, disabled ? .accountDisabled : .accountEnabled, actor: actor, login: account.login, address: nil,
                detail: nil)
            return try Store.fetchAccount(db, login: login)
        }
    }

    /// Sets (or, with nil, removes) the address an account's digest of notices is sent to
    /// (`MailMessage.address` checks it). Giving the address it already has changes nothing and
    /// records nothing; a change is one line of the audit log, naming the new address.
    @discardableResult
    public func setEmail(login: String, _ email: String?, by actor: String) throws -> Account {
        let email = try email.map(MailMessage.address)
        let actor = try Text.validate(actor, what: "actor")
        return try write { db in
            let account = try Store.fetchAccount(db, login: login)
            guard account.email != email else { return account }
            try db.execute(
                sql: "UPDATE accounts SET email = ?, updated_at = max(updated_at, ?) WHERE id = ?",
                arguments: [email, Store.timestamp(), account.id])
            try Store.appendAudit(
                db, .emailChanged, actor: actor, login: account.login, address: nil, detail: email ?? "removed")
            return try Store.fetchAccount(db, login: login)
        }
    }

    /// Sets a new password and ends every session of the account (its API tokens are kept).
    public func setPassword(login: String, password: String, cost: Int = 12, by actor: String) throws {
        try Account.checkPassword(password)
        let actor = try Text.validate(actor, what: "actor")
        _ = try read { db in try Store.fetchAccount(db, login: login) }  // unknown: refused before hashing
        let hash = try Store.hashPassword(password, cost: cost)
        try write { db in
            let account = try Store.fetchAccount(db, login: login)
            try db.execute(
                sql: "UPDATE accounts SET password_hash = ?, updated_at = max(updated_at, ?) WHERE id = ?",
                arguments: [hash, Store.timestamp(), account.id])
            try db.execute(sql: "DELETE FROM sessions WHERE account_id = ?", arguments: [account.id])
            try Store.appendAudit(db, .passwordChanged, actor: actor, login: account.login, address: nil, detail: nil)
        }
    }

    /// Gives an account another role (or the same role another binding). Its sessions and
    /// tokens carry on, and every request is answered with the new role from then on.
    @discardableResult
    public func setRole(
        login: String, role: Role, enterprise: TaxCode?, province: Province?, by actor: String
    ) throws -> Account {
        try Account.checkBinding(role: role, enterprise: enterprise, province: province)
        let actor = try Text.validate(actor, what: "actor")
        return try write { db in
            let before = try Store.fetchAccount(db, login: login)
            try Store.checkEnterpriseExists(db, enterprise)
            try db.execute(
                sql: """
                    UPDATE accounts SET role = ?, enterprise_tax_code = ?, province_code = ?, updated_at = max(updated_at, ?)
                    WHERE id = ?
                    """,
                arguments: [role.rawValue, enterprise?.value, province?.code, Store.timestamp(), before.id])
            let after = try Store.fetchAccount(db, login: login)
            try Store.appendAudit(
                db, .roleChanged, actor: actor, login: login, address: nil,
                detail: "\(Store.binding(of: before)) → \(Store.binding(of: after))")
            return after
        }
    }

    /// Checks a login and password. Whatever is wrong (no such login, a wrong password, a
    /// disabled account) the answer is the same `authenticationFailed`, and the same bcrypt
    /// work is done (an unknown login is checked against a dummy hash). Each attempt is
    /// recorded in the audit log, `login` or `login_failed`, with `address`.
    public func authenticate(login: String, password: String, address: String?) throws -> Account {
        let address = try Text.validateOptional(address, what: "address")
        let wellFormed = (try? Account.parseLogin(login)) != nil
        let found: (account: Account, hash: String)? =
            wellFormed
            ? try read { db in
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT \(Store.accountColumns), a.password_hash FROM accounts a WHERE a.login = ?",
                        arguments: [login])
                else { return nil }
                return (try Store.decodeAccount(row), row[Store.accountColumnCount] as String)
            } : nil
        // bcrypt reads a C string of at most 72 bytes: a password with a NUL or longer than that
        // would match a shorter one, so it never matches at all.
        let usable = !password.utf8.contains(0) && password.utf8.count <= Account.passwordMaximumBytes
        let verified = Bcrypt.verify(usable ? password : "", hash: found?.hash ?? Store.dummyPasswordHash)
        let failure: String?
        if let found {
            failure = !(usable && verified) ? "wrong password" : found.account.disabled ? "account disabled" : nil
        } else {
            failure = wellFormed ? "unknown login" : "malformed login"
        }
        let recorded = wellFormed ? login : nil
        try write { db in
            try Store.appendAudit(
                db, failure == nil ? .login : .loginFailed, actor: recorded ?? "anonymous", login: recorded,
                address: address, detail: failure)
        }
        guard failure == nil, let account = found?.account else { throw STOrdersError.authenticationFailed }
        return account
    }

    /// Appends a line to the audit log for an interface (e.g. a server slowing down repeated
    /// failed sign-ins). `event` is a snake_case word of 1 to 40 letters.
    public func recordAudit(_ event: String, login: String?, address: String?, detail: String?, by actor: String) throws
    {
        guard (1...40).contains(event.utf8.count), event.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F })
        else { throw STOrdersError.invalidAuditEvent(event) }
        let actor = try Text.validate(actor, what: "actor")
        let login = try Text.validateOptional(login, what: "login")
        let address = try Text.validateOptional(address, what: "address")
        let detail = try Text.validateOptional(detail, what: "detail")
        try write { db in
            try Store.appendAudit(db, event: event, actor: actor, login: login, address: address, detail: detail)
        }
    }

    /// The audit log, newest first, at most `limit` lines.
    public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, at, actor, event, login, address, detail FROM audit_log ORDER BY id DESC LIMIT ?",
                arguments: [max(0, limit)]
            ).map { row in
                AuditEntry(
                    id: row[0], at: row[1], actor: row[2], event: row[3], login: row[4], address: row[5],
                    detail: row[6])
            }
        }
    }

    // MARK: Helpers

    static let accountColumns =
        "a.id, a.login, a.role, a.enterprise_tax_code, a.province_code, a.disabled, a.created_at, a.email"
    /// How many columns `accountColumns` selects: a query's own columns come after them.
    static let accountColumnCount = 8

    static func decodeAccount(_ row: Row) throws -> Account {
        let roleText: String = row[2]
        guard let role = Role(rawValue: roleText) else {
            throw STOrdersError.constraintViolated("account \(row[1] as String) has an unknown role '\(roleText)'")
        }
        let taxCode: String? = row[3]
        let provinceCode: String? = row[4]
        var province: Province? = nil
        if let provinceCode {
            guard let known = Province.byCode[provinceCode] else {
                throw STOrdersError.constraintViolated("account \(row[1] as String) has an unknown province")
            }
            province = known
        }
        return Account(
            id: row[0], login: row[1], role: role, enterprise: try taxCode.map { try TaxCode(parsing: $0) },
            province: province, disabled: row[5], createdAt: row[6], email: row[7])
    }

    static func fetchAccount(_ db: Database, login: String) throws -> Account {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(accountColumns) FROM accounts a WHERE a.login = ?", arguments: [login])
        else { throw STOrdersError.unknownAccount(login: login) }
        return try decodeAccount(row)
    }

    static func accountExists(_ db: Database, login: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM accounts WHERE login = ?)", arguments: [login])
            ?? false
    }

    static func checkEnterpriseExists(_ db: Database, _ taxCode: TaxCode?) throws {
        guard let taxCode else { return }
        let found =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM enterprises WHERE tax_code = ?)", arguments: [taxCode.value])
            ?? false
        if !found { throw STOrdersError.unknownEnterprise(taxCode: taxCode.value) }
    }

    /// The role and its binding, as the audit log words it: "officer of 19 Thái Nguyên".
    static func binding(of account: Account) -> String {
        switch account.role {
        case .enterprise: return "enterprise \(account.enterprise?.value ?? "?")"
        case .officer, .auditor:
            guard let province = account.province else { return "\(account.role), national" }
            return "\(account.role) of \(province.code) \(province.name)"
        case .admin: return "admin"
        }
    }

    static func hashPassword(_ password: String, cost: Int) throws -> String {
        guard (4...31).contains(cost) else { throw STOrdersError.invalidHashCost(cost) }
        return Bcrypt.hash(password, cost: UInt8(cost))
    }

    /// A hash of a random password no one knows, checked against when the login is unknown so
    /// that the answer takes as long as for a known one. Made once, at first use.
    static let dummyPasswordHash: String = Bcrypt.hash(Secrets.random(), cost: UInt8(defaultPasswordCost))

    static func appendAudit(
        _ db: Database, _ event: AuditEvent, actor: String, login: String?, address: String?, detail: String?
    ) throws {
        try appendAudit(db, event: event.rawValue, actor: actor, login: login, address: address, detail: detail)
    }

    static func appendAudit(
        _ db: Database, event: String, actor: String, login: String?, address: String?, detail: String?
    ) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (at, actor, event, login, address, detail) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [Store.timestamp(), actor, event, login, address, detail])
    }
}
