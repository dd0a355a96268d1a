import Foundation
import Hummingbird
import STOrders

/// The officer's workbench: the inbox of the province's orders waiting for a decision, and the
/// province's targets. (Funding, acceptance, payments, cancelling and retracting are the order
/// pages' forms, `OrderPages`.)
struct WorkbenchPages: RouteGroup {
    let state: ServerState
    var pages: PageRenderer { state.pages }
    /// The most waiting orders the inbox lists (the count says how many there are).
    static let inboxLimit = 200

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/inbox") { request, context in try await inbox(request, context) }
        group.get("/targets") { request, context in try await targets(request, context, input: nil) }
        group.post("/targets") { request, context in try await setTargets(request, context) }
    }

    /// An officer's province (the workbench is an officer's: anyone else is 403).
    func officerProvince(_ context: AppRequestContext) throws -> (Account, Province) {
        let account = try require(.fund, context)
        guard let province = account.provinceScope else { throw APIError.forbidden() }
        return (account, province)
    }

    /// The province's `ordered` orders, oldest first, with the days each has waited, and the
    /// year's processing share (the library's `orders_decided_share` indicator) against its target.
    func inbox(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (_, province) = try officerProvince(context)
        let page = PageContext(request, context)
        let l = page.language
        let today = Day.today()
        let limit = Self.inboxLimit
        let (waiting, count, indicator) = try await state.database { store in
            var waiting: [OrderSummary] = []
            var count = 0
            try store.forEachOrder(OrderFilter(state: .ordered, province: province)) { summary in
                count += 1
                if waiting.count < limit { waiting.append(summary) }
            }
            let report = try store.indicators(IndicatorRequest(province: province, years: today.year...today.year))
            return (waiting, count, report.years.first?.total[.ordersDecidedShare])
        }
        let rows = waiting.map { summary -> [String: Any] in
            let o = summary.order
            return [
                "code": o.code, "href": OrderPages.href(o.code), "title": o.title, "enterprise": o.enterpriseName,
                "orderedOn": l.day(o.orderedOn), "orderedOnISO": o.orderedOn.description,
                "daysWaited": Day.days(from: o.orderedOn, to: today), "value": l.money(summary.outputsValue),
                "fundHref": OrderPages.href(o.code) + "/fund",
            ]
        }
        var values: [String: Any] = [
            "orders": rows, "hasOrders": !rows.isEmpty, "count": count, "province": province.name,
            "year": today.year, "shown": rows.count, "truncated": count > rows.count,
        ]
        if case .ratio(let share)? = indicator?.value {
            values["share"] = share.percent(places: 1) + " %"
        } else {
            values["share"] = "—"
        }
        if let target = indicator?.target { values["target"] = target.description }
        if let met = indicator?.met {
            values["met"] = met
            values["metText"] = l.text(met ? "target_met" : "target_not_met")
        }
        values["inboxCount"] = l.format("inbox_count", String(count))
        values["shareLabel"] = l.format("processing_share", String(today.year))
        return pages.response("inbox", page, title: l.format("inbox_title", province.name), values)
    }

    // MARK: Targets

    func targets(_ request: Request, _ context: AppRequestContext, input: FormInput?) async throws -> Response {
        let (account, province) = try officerProvince(context)
        try ReportRoutes.checkSetTarget(account, province: province)
        let page = PageContext(request, context)
        let inForce = try await state.database { store in try store.targets(province: province) }
        return targetsForm(page, province, inForce, input: input, status: input?.status ?? .ok)
    }

    func targetsForm(
        _ page: PageContext, _ province: Province, _ inForce: [Target], input: FormInput?, status: HTTPResponse.Status
    ) -> Response {
        let l = page.language
        let fields = TargetKey.allCases.map { key -> FormField in
            let current = inForce.first { $0.key == key }
            let scope = current?.province == nil ? l.text("target_national_default") : province.name
            return FormField(
                name: key.rawValue, label: l.text("target_\(key.rawValue)"), kind: .text,
                hint: l.format("target_current", (current?.value.description ?? "—") + " (\(scope))"),
                required: false)
        }
        return pages.form(
            page, title: l.format("targets_title", province.name), status: status, id: "targets-form",
            action: "/targets", submit: l.text("submit_targets"), back: "/inbox", fields: fields, input: input,
            intro: l.text("targets_intro"))
    }

    /// Sets each target given (an empty field leaves it as it is): every value is parsed before
    /// any is set, so one that does not parse sets none; each refusal is beside its field.
    func setTargets(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (account, province) = try officerProvince(context)
        try ReportRoutes.checkSetTarget(account, province: province)
        let page = PageContext(request, context)
        var input = try await FormInput.of(request, language: page.language)
        let changes = input.targetChanges()
        if input.errors.isEmpty && changes.isEmpty { input.formError = page.language.text("targets_nothing") }
        if input.errors.isEmpty && !changes.isEmpty {
            let settled = changes
            do {
                try await state.database { store in
                    let writer = try store.acting(as: account.login)
                    for (key, value) in settled { _ = try writer.setTarget(key, value, province: province) }
                }
                return Redirect.to("/targets", cookies: [Flash.cookie("flash_targets", province.name)])
            } catch let error as STOrdersError {
                input.refused(error) { _ in nil }
            }
        }
        let inForce = try await state.database { store in try store.targets(province: province) }
        return targetsForm(page, province, inForce, input: input, status: input.status)
    }
}

extension FormInput {
    /// The targets a targets form gives, the province's or the national ones: an empty field
    /// leaves its target as it is, and every value is parsed (each refusal beside its field)
    /// before the caller sets any.
    mutating func targetChanges() -> [(TargetKey, TargetValue)] {
        TargetKey.allCases.compactMap { key in
            read(key.rawValue, required: false, { try TargetValue.parse($0, for: key) }).map { (key, $0) }
        }
    }
}
