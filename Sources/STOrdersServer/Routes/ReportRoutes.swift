import Hummingbird
import STOrders

/// GET /results, /reports/indicators, /reports/provinces, /targets; PUT /targets/{key}.
struct ReportRoutes: RouteGroup {
    let state: ServerState

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("results") { request, context in try await results(request, context) }
        api.get("reports/indicators") { request, context in try await indicators(request, context) }
        api.get("reports/provinces") { request, context in try await provinces(request, context) }
        api.get("targets") { request, context in try await targets(request, context) }
        api.put("targets/{key}") { request, context in try await setTarget(request, context) }
    }

    /// The commercialized results in the caller's scope: `province`, `year`, `enterprise`, `channel`.
    func results(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let query = QueryFields(request: request)
        var filter = ResultFilter(
            province: try query.province(), year: try query.int("year"), enterprise: try query.taxCode("enterprise"),
            channel: try query.vocabulary("channel", Channel.self))
        guard let scoped = account.scoped(province: filter.province, enterprise: filter.enterprise) else {
            return json(.array([]))
        }
        (filter.province, filter.enterprise) = scoped
        return streamedArray(Columns.results) { [filter] store, emit in try store.forEachResult(filter, emit) }
    }

    /// The province a report is about: the one asked, within the caller's scope (another
    /// province is 403: a report is not a record that could be hidden).
    static func reportProvince(_ asked: Province?, _ account: Account) throws -> Province? {
        guard let scope = account.provinceScope else { return asked }
        if let asked, asked != scope { throw APIError.forbidden("your reports cover \(scope.name) only") }
        return scope
    }

    /// `year`, or `from` and `to`; `province`; `field`.
    func indicators(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readReports, context)
        let query = QueryFields(request: request)
        let province = try Self.reportProvince(try query.province(), account)
        let field = try query.vocabulary("field", Field.self)
        let years: ClosedRange<Int>
        let (year, from, to) = (try query.int("year"), try query.int("from"), try query.int("to"))
        if let year, from == nil, to == nil {
            years = try IndicatorRequest.years(from: year, to: year)
        } else if year == nil, let from, let to {
            years = try IndicatorRequest.years(from: from, to: to)
        } else if year == nil, from == nil, to == nil {
            years = Day.today().year...Day.today().year
        } else {
            throw APIError.invalidBody("give either year, or from and to")
        }
        let report = try await state.database { store in
            try store.indicators(IndicatorRequest(province: province, field: field, years: years))
        }
        return json(Shape.indicators(report))
    }

    /// One row per province for `year` (default: this year); `field`, `sort`, `descending`. An
    /// officer's or a provincial auditor's list holds their province's row only.
    func provinces(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readReports, context)
        let query = QueryFields(request: request)
        let year = try query.int("year") ?? Day.today().year
        _ = try IndicatorRequest.years(from: year, to: year)
        let field = try query.vocabulary("field", Field.self)
        let sort = try query.string("sort").map(ProvinceSort.parse) ?? .province
        let descending = try query.bool("descending")
        let scope = account.provinceScope
        let rows = try await state.database { store in
            try store.provinceIndicators(year: year, field: field, sort: sort, descending: descending)
                .filter { scope == nil || $0.province == scope }
        }
        return json(.array(rows.map { Column.row(Columns.provinces(year: year), $0) }))
    }

    /// The targets in force (for `province`, or the caller's own).
    func targets(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readReports, context)
        let province = try Self.reportProvince(try QueryFields(request: request).province(), account)
        let targets = try await state.database { store in try store.targets(province: province) }
        return json(.array(targets.map(Shape.target)))
    }

    /// `{"value", "province"?}`: an officer sets its province's target, an admin the national one.
    func setTarget(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let key = try TargetKey.parse(try context.parameters.text("key"))
        let fields = try await RequestFields.of(request)
        let province = try fields.string("province").map(Province.named)
        let value = try TargetValue.parse(try fields.targetText("value"), for: key)
        try Self.checkSetTarget(account, province: province)
        let target = try await state.database { store in
            try store.acting(as: account.login).setTarget(key, value, province: province)
        }
        return json(Shape.target(target))
    }

    /// An officer sets its own province's targets, an admin the national ones (the API's route
    /// and the targets page ask here).
    static func checkSetTarget(_ account: Account, province: Province?) throws {
        guard account.access(setTargetFor: province) == .allowed else {
            throw APIError.forbidden(
                province == nil
                    ? "only an admin sets a national target" : "an officer sets its own province's targets only")
        }
    }
}
