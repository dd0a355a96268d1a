import Hummingbird
import STOrders

/// The orders: list, register, read, and each step of the lifecycle.
struct OrderRoutes: RouteGroup {
    let state: ServerState
    /// The largest page of the order list.
    static let maxLimit = 200

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("orders") { request, context in try await list(request, context) }
        api.post("orders") { request, context in try await registerOrder(request, context) }
        api.get("orders/{code}") { _, context in try await show(context) }
        api.get("orders/{code}/history") { _, context in try await history(context) }
        api.post("orders/{code}/outputs") { request, context in try await addOutput(request, context) }
        api.post("orders/{code}/funding") { request, context in try await fund(request, context) }
        api.post("orders/{code}/outputs/{number}/acceptance") { request, context in
            try await accept(request, context)
        }
        api.post("orders/{code}/payments") { request, context in try await pay(request, context) }
        api.post("orders/{code}/payments/{number}/reversal") { request, context in
            try await reverse(request, context)
        }
        api.post("orders/{code}/results") { request, context in try await commercialize(request, context) }
        api.post("orders/{code}/results/{number}/retraction") { request, context in
            try await retract(request, context)
        }
        api.post("orders/{code}/cancellation") { request, context in try await cancel(request, context) }
    }

    /// Newest first, `limit` (1 to 200, default 50) at a time; `next_cursor` fetches the next page.
    /// Filters: state, province, enterprise (tax code), field, year; the caller's scope always applies.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let query = QueryFields(request: request)
        var filter = OrderFilter(
            state: try query.vocabulary("state", OrderState.self), province: try query.province(),
            enterprise: try query.taxCode("enterprise"), field: try query.vocabulary("field", Field.self),
            year: try query.int("year"))
        let limit = try query.int("limit") ?? 50
        guard (1...Self.maxLimit).contains(limit) else {
            throw STOrdersError.invalidValue("limit", String(limit), accepted: ["1 to \(Self.maxLimit)"])
        }
        let cursor = try query.string("cursor").map { try OrderCursor(parsing: $0) }
        // The scope narrows the filter; a filter outside the scope matches nothing.
        var page = OrderPage(orders: [], next: nil)
        if let scoped = account.scoped(province: filter.province, enterprise: filter.enterprise) {
            (filter.province, filter.enterprise) = scoped
            page = try await state.database { [filter] store in try store.orderPage(filter, after: cursor, limit: limit)
            }
        }
        return json(
            .object([
                ("orders", .array(page.orders.map { Column.row(Columns.orders, $0) })),
                ("next_cursor", .optional(page.next?.description)),
            ]))
    }

    /// `{"enterprise", "title", "field", "province"?, "code"?, "date"?, "outputs": [{"title", "type",
    /// "novelty", "value"}]}`, in one transaction; an enterprise account registers for itself.
    func registerOrder(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let fields = try await RequestFields.of(request)
        let given = try fields.string("enterprise")
        guard let taxText = given ?? account.enterpriseScope?.value else { throw APIError.missingField("enterprise") }
        let taxCode = try TaxCode(parsing: taxText)
        let title = try fields.requiredString("title")
        let field = try fields.requiredVocabulary("field", Field.self)
        let province = try fields.string("province").map(Province.named)
        let code = try fields.string("code")
        let day = try fields.day()
        let outputs = try fields.objects("outputs").map(Self.newOutput)
        let detail = try await state.database { store -> OrderDetail in
            try Self.registerOrder(
                store, account, enterprise: taxCode, title: title, field: field, province: province, code: code,
                outputs: outputs, on: day)
        }
        return json(Shape.detail(detail), status: .created)
    }

    /// Registers an order for `account` (the API's route and the page's form): the policy asks
    /// whether the account may register for this enterprise in this province (an enterprise
    /// outside its scope is `unknown_enterprise`), then the library registers it.
    static func registerOrder(
        _ store: Store, _ account: Account, enterprise taxCode: TaxCode, title: String, field: Field,
        province: Province?, code: String?, outputs: [NewOutput], on day: Day
    ) throws -> OrderDetail {
        let enterprise = try store.enterprise(taxCode: taxCode)
        let scope = OrderScope(
            province: province ?? enterprise.province, enterprise: enterprise.taxCode, state: .ordered)
        try Self.check(
            account.access(.registerOrder, order: scope), else: .unknownEnterprise(taxCode: taxCode.value))
        let order = try store.acting(as: account.login).registerOrder(
            enterprise: taxCode, title: title, field: field, province: province, code: code, outputs: outputs, on: day)
        return try store.orderDetail(code: order.code)
    }

    /// `{"title", "type", "novelty", "value", "due_on"?}` (the due date, docs/deadlines.md).
    static func newOutput(_ fields: RequestFields) throws -> NewOutput {
        NewOutput(
            title: try fields.requiredString("title"), type: try fields.requiredVocabulary("type", OutputType.self),
            novelty: try fields.requiredVocabulary("novelty", Novelty.self), value: try fields.requiredAmount("value"),
            dueOn: try fields.string("due_on").map { try Day(parsing: $0) })
    }

    /// Exactly `storders order show --json`.
    func show(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let detail = try await onOrder(context, .readOrders, code) { store in try store.orderDetail(code: code) }
        return json(Shape.detail(detail))
    }

    /// The order's events, oldest first, each with who acted, its id and its hash in the chain.
    func history(_ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let events = try await onOrder(context, .readOrders, code) { store in try store.chainedHistory(code: code) }
        return json(.array(events.map(Shape.chainedEvent)))
    }

    func addOutput(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let fields = try await RequestFields.of(request)
        let new = try Self.newOutput(fields)
        let day = try fields.day()
        let output = try await onOrder(context, .addOutput, code) { store in
            try store.addOutput(order: code, new, on: day)
        }
        return json(Shape.output(output, withOrder: true), status: .created)
    }

    /// `{"state_budget", "enterprise_funds", "other", "other_source", "date", "starts_on"?, "ends_on"?}`
    /// (the contract's period, docs/deadlines.md); answers the order.
    func fund(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let fields = try await RequestFields.of(request)
        let funding = try Funding.commitment(
            order: code, stateBudget: try fields.amount("state_budget"),
            enterpriseFunds: try fields.amount("enterprise_funds"), other: try fields.amount("other"),
            otherSource: try fields.string("other_source"), fundedOn: try fields.day(),
            startsOn: try fields.string("starts_on").map { try Day(parsing: $0) },
            endsOn: try fields.string("ends_on").map { try Day(parsing: $0) })
        let detail = try await onOrder(context, .fund, code) { store in
            _ = try store.fund(order: code, funding)
            return try store.orderDetail(code: code)
        }
        return json(Shape.detail(detail))
    }

    func accept(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let number = context.parameters.number("number")
        let fields = try await RequestFields.of(request)
        let evidence = try fields.string("evidence")
        let day = try fields.day()
        let (output, orderState) = try await onOrder(context, .accept, code) { store in
            // Checked after the policy's answer: a malformed number says nothing of the order.
            guard let number else { throw STOrdersError.unknownOutput(order: code, number: 0, count: 0) }
            return try store.acceptOutput(order: code, number: number, evidence: evidence, on: day)
        }
        return json(Shape.acceptedOutput(output, orderState: orderState))
    }

    /// `{"output", "amount", "source"?, "reference"?, "date"?}`.
    func pay(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let fields = try await RequestFields.of(request)
        let output = try fields.requiredInt("output")
        let amount = try fields.requiredAmount("amount")
        let source = try fields.vocabulary("source", FundingSource.self) ?? .state
        let reference = try fields.string("reference")
        let day = try fields.day()
        let payment = try await onOrder(context, .pay, code) { store in
            try store.recordPayment(
                order: code, output: output, amount: amount, source: source, reference: reference, on: day)
        }
        return json(Shape.payment(payment, withOrder: true), status: .created)
    }

    /// `{"reason", "amount"?, "date"?}`: a new payment that reverses the one named.
    func reverse(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let number = context.parameters.number("number")
        let fields = try await RequestFields.of(request)
        let reason = try fields.requiredString("reason")
        let amount = try fields.amount("amount")
        let day = try fields.day()
        let reversal = try await onOrder(context, .reverse, code) { store in
            guard let number else { throw STOrdersError.unknownPayment(order: code, number: 0, count: 0) }
            return try store.reversePayment(order: code, payment: number, amount: amount, reason: reason, on: day)
        }
        return json(Shape.payment(reversal, withOrder: true), status: .created)
    }

    /// `{"channel", "revenue", "note"?, "date"?}`.
    func commercialize(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let fields = try await RequestFields.of(request)
        let channel = try fields.requiredVocabulary("channel", Channel.self)
        let revenue = try fields.requiredAmount("revenue", allowZero: true)
        let note = try fields.string("note")
        let day = try fields.day()
        let (result, orderState) = try await onOrder(context, .commercialize, code) { store in
            try store.commercialize(order: code, channel: channel, revenue: revenue, note: note, on: day)
        }
        return json(Shape.recordedResult(result, orderState: orderState), status: .created)
    }

    func retract(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let number = context.parameters.number("number")
        let fields = try await RequestFields.of(request)
        let reason = try fields.requiredString("reason")
        let day = try fields.day()
        let (result, orderState) = try await onOrder(context, .retract, code) { store in
            guard let number else { throw STOrdersError.unknownResult(order: code, number: 0, count: 0) }
            return try store.retractResult(order: code, result: number, reason: reason, on: day)
        }
        return json(Shape.recordedResult(result, orderState: orderState))
    }

    func cancel(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let fields = try await RequestFields.of(request)
        let reason = try fields.requiredString("reason")
        let day = try fields.day()
        let onlyWhile = try context.requireAccount().requiredState(for: .cancel)
        let order = try await onOrder(context, .cancel, code) { store in
            try store.cancel(order: code, reason: reason, on: day, onlyWhile: onlyWhile)
        }
        return json(Shape.order(order))
    }
}
