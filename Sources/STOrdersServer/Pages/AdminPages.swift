import Hummingbird
import STOrders

/// The admin's pages: the accounts (list, add, disable and enable, another role, a new
/// password) and the national targets. Each change is the library's own call, the one `storders
/// user …` and the API's /accounts routes make, recorded in the audit log as the admin; each
/// page asks the policy what the API asks (`Capability.manageAccounts`, `access(setTargetFor:)`).
struct AdminPages: RouteGroup {
    let state: ServerState
    var pages: PageRenderer { state.pages }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/accounts") { request, context in try await list(request, context) }
        group.get("/accounts/new") { request, context in try newAccount(request, context, input: nil) }
        group.post("/accounts/new") { request, context in try await addAccount(request, context) }
        group.get("/accounts/{login}") { request, context in try await show(request, context) }
        group.post("/accounts/{login}/disable") { request, context in try await setDisabled(true, request, context) }
        group.post("/accounts/{login}/enable") { request, context in try await setDisabled(false, request, context) }
        group.get("/accounts/{login}/role") { request, context in try await roleForm(request, context, input: nil) }
        group.post("/accounts/{login}/role") { request, context in try await setRole(request, context) }
        group.get("/accounts/{login}/password") { request, context in
            try await passwordForm(request, context, input: nil)
        }
        group.post("/accounts/{login}/password") { request, context in try await setPassword(request, context) }
        group.get("/national-targets") { request, context in try await targets(request, context, input: nil) }
        group.post("/national-targets") { request, context in try await setTargets(request, context) }
    }

    static func href(_ login: String) -> String { "/accounts/" + PageRenderer.queryEscaped(login) }

    /// What the page says of an account's binding: "Cán bộ Sở — Thái Nguyên".
    static func binding(_ a: Account, _ l: Language) -> String {
        let role = l.text("role_\(a.role.rawValue)")
        if let e = a.enterprise { return "\(role) — \(e.value)" }
        if let p = a.province { return "\(role) — \(p.name)" }
        return a.role == .auditor ? "\(role) — \(l.text("national"))" : role
    }

    // MARK: Accounts

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try require(.manageAccounts, context)
        let (accounts, audit) = try await state.database { store in
            (try store.accounts(), try store.auditLog(limit: 20))
        }
        let page = PageContext(request, context)
        let l = page.language
        return pages.response(
            "accounts", page, title: l.text("accounts_title"),
            [
                "accounts": accounts.map { a -> [String: Any] in
                    [
                        "login": a.login, "href": Self.href(a.login), "binding": Self.binding(a, l),
                        "disabled": a.disabled, "createdAt": a.createdAt,
                    ]
                },
                "audit": audit.map { e -> [String: Any] in
                    [
                        "at": e.at, "actor": e.actor, "event": e.event, "login": e.login ?? "",
                        "address": e.address ?? "", "detail": e.detail ?? "",
                    ]
                },
            ])
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let account = try await state.database { store in try store.account(login: login) }
        let page = PageContext(request, context)
        let l = page.language
        return pages.response(
            "account", page, title: l.format("account_title", account.login),
            [
                "login": account.login, "binding": Self.binding(account, l), "disabled": account.disabled,
                "createdAt": account.createdAt, "href": Self.href(account.login),
            ])
    }

    /// The role, enterprise and province fields (`user add` and `user role` take the same).
    func bindingFields(_ l: Language) -> [FormField] {
        [
            FormField(
                name: "role", label: l.text("role"),
                kind: .select(Role.allCases.map { ($0.rawValue, l.text("role_\($0.rawValue)")) })),
            FormField(
                name: "enterprise", label: l.text("account_enterprise"), kind: .text,
                hint: l.text("account_enterprise_hint"), required: false),
            FormField(
                name: "province", label: l.text("account_province"),
                kind: .select([("", l.text("account_no_province"))] + Province.all.map { ($0.name, $0.name) }),
                hint: l.text("account_province_hint"), required: false),
        ]
    }

    /// Reads the role and its binding; a refusal of the binding rule goes on top of the form.
    static func readBinding(_ input: inout FormInput) -> (Role, TaxCode?, Province?)? {
        let role = input.read("role") { try Role.parse($0) }
        let enterprise = input.read("enterprise", required: false) { try TaxCode(parsing: $0) }
        let province = input.read("province", required: false) { try Province.named($0) }
        guard let role, input.errors.isEmpty else { return nil }
        do {
            try Account.checkBinding(role: role, enterprise: enterprise, province: province)
        } catch let error as STOrdersError {
            input.refused(error) { _ in nil }
            return nil
        } catch {
            return nil
        }
        return (role, enterprise, province)
    }

    /// Where each refusal of an account change is shown.
    static func field(_ code: String) -> String? {
        switch code {
        case "invalid_login", "duplicate_login": return "login"
        case "invalid_password": return "password"
        case "unknown_enterprise", "invalid_tax_code": return "enterprise"
        case "unknown_province": return "province"
        default: return nil
        }
    }

    func newAccount(_ request: Request, _ context: AppRequestContext, input: FormInput?) throws -> Response {
        _ = try require(.manageAccounts, context)
        let page = PageContext(request, context)
        let l = page.language
        let fields =
            [FormField(name: "login", label: l.text("login"), kind: .text, hint: l.text("account_login_hint"))]
            + bindingFields(l)
            + [
                FormField(
                    name: "password", label: l.text("password"), kind: .password, hint: l.text("account_password_hint"))
            ]
        return pages.form(
            page, title: l.text("account_new_title"), status: input?.status ?? .ok, id: "account-form",
            action: "/accounts/new", submit: l.text("account_add"), back: "/accounts", fields: fields, input: input)
    }

    func addAccount(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let page = PageContext(request, context)
        var input = try await FormInput.of(request, language: page.language)
        let login = input.read("login") { try Account.parseLogin($0) }
        let password = input.values["password"] ?? ""
        if password.isEmpty { input.errors["password"] = page.language.text("field_required") }
        let binding = Self.readBinding(&input)
        if let login, let (role, enterprise, province) = binding, input.errors.isEmpty {
            let new = NewAccount(login: login, role: role, enterprise: enterprise, province: province)
            let cost = state.configuration.passwordCost
            do {
                _ = try await state.work.onPasswords { [store = state.store] in
                    try store.addAccount(new, password: password, cost: cost, by: admin.login)
                }
                return Redirect.to(Self.href(login), cookies: [Flash.cookie("flash_account_added", login)])
            } catch let error as STOrdersError {
                input.refused(error, field: Self.field)
            }
        }
        return try newAccount(request, context, input: input.withoutPassword())
    }

    func setDisabled(_ disabled: Bool, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let account = try await state.database { store in
            try store.setAccountDisabled(login: login, disabled, by: admin.login)
        }
        return Redirect.to(
            Self.href(account.login),
            cookies: [Flash.cookie(disabled ? "flash_account_disabled" : "flash_account_enabled", account.login)])
    }

    func roleForm(_ request: Request, _ context: AppRequestContext, input: FormInput?) async throws -> Response {
        _ = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let account = try await state.database { store in try store.account(login: login) }
        let page = PageContext(request, context)
        let l = page.language
        return pages.form(
            page, title: l.format("account_role_title", account.login), status: input?.status ?? .ok,
            id: "role-form", action: Self.href(account.login) + "/role", submit: l.text("account_set_role"),
            back: Self.href(account.login), fields: bindingFields(l), input: input,
            defaults: [
                "role": account.role.rawValue, "enterprise": account.enterprise?.value ?? "",
                "province": account.province?.name ?? "",
            ],
            facts: [(l.text("account_now"), Self.binding(account, l))])
    }

    func setRole(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let page = PageContext(request, context)
        var input = try await FormInput.of(request, language: page.language)
        if let (role, enterprise, province) = Self.readBinding(&input) {
            do {
                let account = try await state.database { store in
                    try store.setRole(
                        login: login, role: role, enterprise: enterprise, province: province, by: admin.login)
                }
                return Redirect.to(
                    Self.href(account.login), cookies: [Flash.cookie("flash_account_role", account.login)])
            } catch let error as STOrdersError where error.code != "unknown_account" {
                input.refused(error, field: Self.field)
            }
        }
        return try await roleForm(request, context, input: input)
    }

    func passwordForm(_ request: Request, _ context: AppRequestContext, input: FormInput?) async throws -> Response {
        _ = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let account = try await state.database { store in try store.account(login: login) }
        let page = PageContext(request, context)
        let l = page.language
        return pages.form(
            page, title: l.format("account_password_title", account.login), status: input?.status ?? .ok,
            id: "password-form", action: Self.href(account.login) + "/password",
            submit: l.text("account_set_password"), back: Self.href(account.login),
            fields: [
                FormField(
                    name: "password", label: l.text("account_new_password"), kind: .password,
                    hint: l.text("account_password_hint"))
            ], input: input, intro: l.text("account_password_intro"))
    }

    func setPassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try require(.manageAccounts, context)
        let login = try context.parameters.text("login")
        let page = PageContext(request, context)
        var input = try await FormInput.of(request, language: page.language)
        let password = input.values["password"] ?? ""
        if password.isEmpty {
            input.errors["password"] = page.language.text("field_required")
        } else {
            let cost = state.configuration.passwordCost
            do {
                try await state.work.onPasswords { [store = state.store] in
                    try store.setPassword(login: login, password: password, cost: cost, by: admin.login)
                }
                return Redirect.to(Self.href(login), cookies: [Flash.cookie("flash_account_password", login)])
            } catch let error as STOrdersError where error.code != "unknown_account" {
                input.refused(error, field: Self.field)
            }
        }
        return try await passwordForm(request, context, input: input.withoutPassword())
    }

    // MARK: National targets

    func targets(_ request: Request, _ context: AppRequestContext, input: FormInput?) async throws -> Response {
        let account = try context.requireAccount()
        try ReportRoutes.checkSetTarget(account, province: nil)
        let page = PageContext(request, context)
        let l = page.language
        let inForce = try await state.database { store in try store.targets(province: nil) }
            .filter { $0.province == nil }
        let fields = TargetKey.allCases.map { key -> FormField in
            let current = inForce.first { $0.key == key }
            return FormField(
                name: key.rawValue, label: l.text("target_\(key.rawValue)"), kind: .text,
                hint: l.format("target_current", current?.value.description ?? "—"), required: false)
        }
        return pages.form(
            page, title: l.text("national_targets_title"), status: input?.status ?? .ok, id: "national-targets-form",
            action: "/national-targets", submit: l.text("submit_targets"), back: "/", fields: fields, input: input,
            intro: l.text("national_targets_intro"))
    }

    /// Each target given (an empty field leaves it as it is); every value is parsed before any is set.
    func setTargets(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        try ReportRoutes.checkSetTarget(account, province: nil)
        let page = PageContext(request, context)
        var input = try await FormInput.of(request, language: page.language)
        let changes = input.targetChanges()
        if input.errors.isEmpty && changes.isEmpty { input.formError = page.language.text("targets_nothing") }
        if input.errors.isEmpty && !changes.isEmpty {
            let settled = changes
            do {
                try await state.database { store in
                    let writer = try store.acting(as: account.login)
                    for (key, value) in settled { _ = try writer.setTarget(key, value, province: nil) }
                }
                return Redirect.to("/national-targets", cookies: [Flash.cookie("flash_national_targets")])
            } catch let error as STOrdersError {
                input.refused(error) { _ in nil }
            }
        }
        return try await targets(request, context, input: input)
    }
}

extension FormInput {
    /// The input without the password typed: a refused form never sends a password back.
    func withoutPassword() -> FormInput {
        var copy = FormInput(values: values.filter { $0.key != "password" }, language: language)
        copy.errors = errors
        copy.formError = formError
        copy.status = status
        return copy
    }
}
