import Hummingbird
import STOrders

/// The deadlines (docs/deadlines.md): GET /due and GET /inbox in the caller's scope, and the
/// amendments of an order's dates: POST /orders/{code}/amendments (an officer extends a date, an
/// enterprise asks for it) and POST /orders/{code}/amendments/{number}/approve or …/refuse (an
/// officer decides a request). Each answers with the CLI's `--json` shape.
struct DeadlineRoutes: RouteGroup {
    let state: ServerState
    /// The most items one inbox answers (as `storders inbox --limit`).
    static let maxInboxLimit = 1000
    /// The widest `within` (as `storders due --within`).
    static let maxWithinDays = 3660

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("due") { request, context in try await due(request, context) }
        api.get("inbox") { request, context in try await inbox(request, context) }
        api.post("orders/{code}/amendments") { request, context in try await amend(request, context) }
        api.post("orders/{code}/amendments/{number}/approve") { request, context in
            try await decide(.approve, request, context)
        }
        api.post("orders/{code}/amendments/{number}/refuse") { request, context in
            try await decide(.refuse, request, context)
        }
    }

    /// `overdue=true` (only what is late) or `within=DAYS` (late or due within that many days;
    /// neither: 30), `province`, `enterprise`, `as_of` (default today): outputs awaiting
    /// acceptance and contracts' ends, oldest due date first, streamed. The caller's scope
    /// narrows the filters; a filter outside it matches nothing.
    func due(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let query = QueryFields(request: request)
        let overdue = try query.bool("overdue")
        let within = try query.int("within")
        if overdue && within != nil { throw APIError.invalidBody("give either overdue=true or within, not both") }
        if let within, !(0...Self.maxWithinDays).contains(within) {
            throw STOrdersError.invalidValue("within", String(within), accepted: ["0 to \(Self.maxWithinDays)"])
        }
        let asOf = try Self.asOf(query)
        var filter = DueFilter(
            asOf: asOf, withinDays: overdue ? nil : (within ?? DueFilter.defaultWithinDays),
            province: try query.province(), enterprise: try query.taxCode("enterprise"))
        guard let scoped = account.scoped(province: filter.province, enterprise: filter.enterprise) else {
            return json(.array([]))
        }
        (filter.province, filter.enterprise) = scoped
        return streamedArray(Columns.due) { [filter] store, emit in try store.forEachDue(filter, emit) }
    }

    /// What waits for a decision in the signed-in account's scope, oldest first: an officer's
    /// province, an enterprise's own orders (a provincial auditor's province, a national one's
    /// every order). `limit` (1 to 1000, default 100), `as_of` (default today).
    func inbox(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let query = QueryFields(request: request)
        let limit = try query.int("limit") ?? 100
        guard (1...Self.maxInboxLimit).contains(limit) else {
            throw STOrdersError.invalidValue("limit", String(limit), accepted: ["1 to \(Self.maxInboxLimit)"])
        }
        let filter = InboxFilter(
            asOf: try Self.asOf(query), province: account.provinceScope, enterprise: account.enterpriseScope,
            limit: limit)
        let items = try await state.database { store in try store.inbox(filter) }
        return json(.array(items.map { Column.row(Columns.inbox, $0) }))
    }

    /// `{"target": N | "contract", "to", "reason", "date"?}`: an officer extends the date
    /// (approved as made), an enterprise asks for it (`requested`, decided later by an officer).
    func amend(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let account = try context.requireAccount()
        let fields = try await RequestFields.of(request)
        let target = try Self.target(fields)
        let to = try Day(parsing: try fields.requiredString("to"))
        let reason = try fields.requiredString("reason")
        let day = try fields.day()
        let asks = account.role == .enterprise
        let amendment = try await onOrder(context, asks ? .requestAmendment : .amend, code) { store in
            asks
                ? try store.requestAmendment(order: code, target, to: to, reason: reason, on: day)
                : try store.amend(order: code, target, to: to, reason: reason, on: day)
        }
        return json(Shape.amendment(amendment, withOrder: true), status: .created)
    }

    /// `{"reason", "date"?}`: an officer approves or refuses an open request, once.
    func decide(
        _ decision: AmendmentState.Decision, _ request: Request, _ context: AppRequestContext
    ) async throws -> Response {
        let code = try context.parameters.text("code")
        let number = context.parameters.number("number")
        let fields = try await RequestFields.of(request)
        let reason = try fields.requiredString("reason")
        let day = try fields.day()
        let amendment = try await onOrder(context, .decideAmendment, code) { store in
            // Checked after the policy's answer: a malformed number says nothing of the order.
            guard let number else { throw STOrdersError.unknownAmendment(order: code, number: 0, count: 0) }
            return try store.decideAmendment(order: code, number: number, decision, reason: reason, on: day)
        }
        return json(Shape.amendment(amendment, withOrder: true))
    }

    /// The date an amendment moves: an output's number, or `"contract"` for the contract's end.
    static func target(_ fields: RequestFields) throws -> AmendmentTarget {
        if (try? fields.string("target")) == "contract" { return .contractEnd }
        let number: Int?
        do {
            number = try fields.int("target")
        } catch {
            throw APIError.invalidBody("'target' must be an output's number or \"contract\"")
        }
        guard let number else { throw APIError.missingField("target") }
        return .output(number)
    }

    /// The day the lists count from (`as_of`, or the parameter `name`, YYYY-MM-DD), today when absent.
    static func asOf(_ query: QueryFields, name: String = "as_of") throws -> Day {
        try query.string(name).map { try Day(parsing: $0) } ?? Day.today()
    }
}
