import Hummingbird
import STOrders

/// Advances (tạm ứng) of a funded order's state budget and their recovery, and the advance limit
/// (docs/advances.md). Each route asks the one policy (`Account.access`: `advance` for an officer
/// of the order's province, `setAdvanceLimit` for an administrator) and calls the library function
/// the CLI's `storders advance` and `storders advance-limit` call: the rules (`AdvanceRule`, the
/// limit, the budget, what is outstanding) are the library's alone. Each answer is the CLI's
/// `--json` shape.
struct AdvanceRoutes: RouteGroup {
    let state: ServerState

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("orders/{code}/advances") { _, context in try await advances(context) }
        api.post("orders/{code}/advances") { request, context in try await advance(request, context) }
        api.post("orders/{code}/advances/recovery") { request, context in try await recover(request, context) }
        api.get("advance-limit") { _, context in try await limit(context) }
        api.put("advance-limit") { request, context in try await setLimit(request, context) }
    }

    /// The order's advances and recoveries, by number, with its balance (as `order show --json`'s
    /// `advances` and `advance_balance`).
    func advances(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let (advances, balance) = try await onOrder(context, .readOrders, code) { store in
            try store.advances(order: code)
        }
        return json(
            .object([
                ("advances", .array(advances.map { Shape.advance($0) })),
                ("advance_balance", Shape.advanceBalance(balance)),
            ]))
    }

    /// `{"amount", "reference", "date"?}`: an officer advances part of the order's state budget
    /// (`storders advance pay`).
    func advance(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let fields = try await RequestFields.of(request)
        let amount = try fields.requiredAmount("amount")
        let reference = try fields.requiredString("reference")
        let day = try fields.day()
        let made = try await onOrder(context, .advance, code) { store in
            try store.makeAdvance(order: code, amount: amount, reference: reference, on: day)
        }
        return json(Shape.advance(made, withOrder: true), status: .created)
    }

    /// `{"reason", "amount"?, "reference"?, "date"?}`: an officer records that the enterprise
    /// returned what is outstanding of the order's advances, or `amount` of it (`storders advance
    /// recover`).
    func recover(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let fields = try await RequestFields.of(request)
        let amount = try fields.amount("amount")
        let reason = try fields.requiredString("reason")
        let reference = try fields.string("reference")
        let day = try fields.day()
        let recovery = try await onOrder(context, .advance, code) { store in
            try store.recoverAdvance(order: code, amount: amount, reason: reason, reference: reference, on: day)
        }
        return json(Shape.advance(recovery, withOrder: true), status: .created)
    }

    /// The advance limit in force (`storders advance-limit set`'s shape; every field null when none
    /// was ever set) and every setting, oldest first (`advance-limit show --history --json`'s
    /// rows). Every signed-in account may read it, as the checklist: an enterprise learns how
    /// much of its order may be advanced.
    func limit(_ context: AppRequestContext) async throws -> Response {
        _ = try context.requireAccount()
        let (inForce, history) = try await state.database { store in
            (try store.advanceLimit(), try store.advanceLimitHistory())
        }
        return json(
            .object([
                ("limit", Shape.advanceLimit(inForce)),
                ("history", .array(history.map { Column.row(Columns.advanceLimits, $0) })),
            ]))
    }

    /// `{"share": "30%"}` sets the limit (0% to 100%, up to 2 decimals), `{"share": null}` sets
    /// none (no further advance): an administrator, as for the national targets, since the limit
    /// holds for every province's orders. Answers the setting (`advance-limit set --json`).
    func setLimit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.setAdvanceLimit, context)
        let fields = try await RequestFields.of(request)
        let basisPoints: Int64?
        switch fields.values["share"] {
        case nil: throw APIError.missingField("share")
        case .null?: basisPoints = nil
        case .string(let text)?: basisPoints = try AdvanceLimitSetting.parse(text)
        default: throw APIError.invalidBody("'share' must be a percentage such as \"30%\", or null for none")
        }
        let setting = try await state.database { store in
            try store.acting(as: account.login).setAdvanceLimit(basisPoints: basisPoints)
        }
        return json(Shape.advanceLimit(setting))
    }
}
