import Hummingbird
import STOrders

/// The admin's accounts and audit log: GET/POST /accounts, GET /accounts/{login}, POST
/// /accounts/{login}/disable, /enable, /role, /password and /email (and DELETE …/email), GET /audit. Each change is the
/// library's own (`Store.addAccount`, `setAccountDisabled`, `setRole`, `setPassword`, the same
/// calls `storders user …` makes), recorded in the audit log as the admin's login.
struct AccountRoutes: RouteGroup {
    let state: ServerState

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("accounts") { _, context in try await list(context) }
        api.post("accounts") { request, context in try await add(request, context) }
        api.get("accounts/{login}") { _, context in try await one(context) }
        api.post("accounts/{login}/disable") { _, context in try await setDisabled(true, context) }
        api.post("accounts/{login}/enable") { _, context in try await setDisabled(false, context) }
        api.post("accounts/{login}/role") { request, context in try await setRole(request, context) }
        api.post("accounts/{login}/password") { request, context in try await setPassword(request, context) }
        api.post("accounts/{login}/email") { request, context in try await setEmail(request, context) }
        api.delete("accounts/{login}/email") { _, context in try await removeEmail(context) }
        api.get("audit") { request, context in try await audit(request, context) }
    }

    /// Every account, by login (`storders user list --json`).
    func list(_ context: AppRequestContext) async throws -> Response {
        _ = try require(.manageAccounts, context)
        let accounts = try await state.database { store in try store.accounts() }
        return json(.array(accounts.map(Shape.account)))
    }

    func one(_ context: AppRequestContext) async throws -> Response {
        _ = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let account = try await state.database { store in try store.account(login: login) }
        return json(Shape.account(account))
    }

    /// `{"login", "role", "enterprise"?, "province"?, "email"?, "password"}`: `storders user add`.
    func add(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let fields = try await RequestFields.of(request)
        let login = try Account.parseLogin(try fields.requiredString("login"))
        let (role, enterprise, province) = try Self.binding(fields)
        let password = try fields.requiredString("password")
        let new = NewAccount(
            login: login, role: role, enterprise: enterprise, province: province, email: try fields.string("email"))
        let cost = state.configuration.passwordCost
        // bcrypt is slow on purpose: on the passwords' threads, as a sign-in is.
        let account = try await state.work.onPasswords { [store = state.store] in
            try store.addAccount(new, password: password, cost: cost, by: admin.login)
        }
        return json(Shape.account(account), status: .created)
    }

    /// `storders user disable` / `enable`: disabling ends the account's sessions at once.
    func setDisabled(_ disabled: Bool, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let account = try await state.database { store in
            try store.setAccountDisabled(login: login, disabled, by: admin.login)
        }
        return json(Shape.account(account))
    }

    /// `{"role", "enterprise"?, "province"?}`: `storders user role`.
    func setRole(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let (role, enterprise, province) = try Self.binding(try await RequestFields.of(request))
        let account = try await state.database { store in
            try store.setRole(login: login, role: role, enterprise: enterprise, province: province, by: admin.login)
        }
        return json(Shape.account(account))
    }

    /// `{"password"}`: `storders user password`; the account's sessions end.
    func setPassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let password = try await RequestFields.of(request).requiredString("password")
        let cost = state.configuration.passwordCost
        let account = try await state.work.onPasswords { [store = state.store] in
            try store.setPassword(login: login, password: password, cost: cost, by: admin.login)
            return try store.account(login: login)
        }
        return json(Shape.account(account))
    }

    /// `{"email"}`: `storders user email LOGIN ADDRESS`, where the account's digest goes.
    func setEmail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let email = try await RequestFields.of(request).requiredString("email")
        let account = try await state.database { store in try store.setEmail(login: login, email, by: admin.login) }
        return json(Shape.account(account))
    }

    /// `storders user email LOGIN --remove`: the account gets no digest.
    func removeEmail(_ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let account = try await state.database { store in try store.setEmail(login: login, nil, by: admin.login) }
        return json(Shape.account(account))
    }

    /// The audit log, newest first (`storders user audit --json`); `limit` 1 to 1000, default 100.
    func audit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try require(.readAudit, context)
        let limit = try QueryFields(request: request).int("limit") ?? 100
        guard (1...1000).contains(limit) else {
            throw STOrdersError.invalidValue("limit", String(limit), accepted: ["1 to 1000"])
        }
        let entries = try await state.database { store in try store.auditLog(limit: limit) }
        return json(.array(entries.map(Shape.auditEntry)))
    }

    /// A role and its binding as the fields give them, checked by the library's one rule
    /// (`Account.checkBinding`, as `storders user add` and `user role` check theirs).
    static func binding(_ fields: RequestFields) throws -> (Role, TaxCode?, Province?) {
        let role = try fields.requiredVocabulary("role", Role.self)
        let enterprise = try fields.string("enterprise").map { try TaxCode(parsing: $0) }
        let province = try fields.string("province").map(Province.named)
        try Account.checkBinding(role: role, enterprise: enterprise, province: province)
        return (role, enterprise, province)
    }
}
