import Foundation
import Hummingbird
import STOrders

/// The workbench: the inbox of what waits in the account's scope, and an officer's province's
/// targets. (Funding, acceptance, payments, cancelling and retracting are the order
/// pages' forms, `OrderPages`.)
struct WorkbenchPages: RouteGroup {
    let state: ServerState
    var pages: PageRenderer { state.pages }
    /// The most items the inbox lists (the oldest).
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

    /// What waits in the signed-in account's scope, oldest first: the library's inbox (the API's
    /// `GET /api/v1/inbox`, `storders inbox`) with every kind — orders waiting for funding,
    /// extension and payment requests to decide, outputs due for acceptance — each with a link
    /// to the step the account may take on it. An officer also sees the year's processing share
    /// (the library's `orders_decided_share` indicator) against its target.
    func inbox(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let page = PageContext(request, context)
        let l = page.language
        let today = Day.today()
        let filter = InboxFilter(
            asOf: today, province: account.provinceScope, enterprise: account.enterpriseScope, limit: Self.inboxLimit)
        let shareProvince = account.role == .officer ? account.provinceScope : nil
        let (items, indicator) = try await state.database { store in
            let items = try store.inbox(filter)
            let indicator = try shareProvince.flatMap { province in
                try store.indicators(IndicatorRequest(province: province, years: today.year...today.year))
                    .years.first?.total[.ordersDecidedShare]
            }
            return (items, indicator)
        }
        let rows = items.map { Self.inboxRow($0, account, l) }
        let scopeName =
            account.provinceScope?.name ?? account.enterpriseScope?.value ?? l.text("scope_whole_country")
        var values: [String: Any] = [
            "items": rows, "hasItems": !rows.isEmpty, "truncated": rows.count >= Self.inboxLimit,
            "inboxCount": l.format("inbox_items_count", String(rows.count)), "showShare": shareProvince != nil,
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
        values["shareLabel"] = l.format("processing_share", String(today.year))
        return pages.response("inbox", page, title: l.format("inbox_title", scopeName), values)
    }

    /// One item of the inbox and the link to what the account may do about it: fund an order,
    /// accept an output, decide an extension request; a payment request opens on its order's
    /// page, where its row offers the steps its state allows; an advance to settle, its order.
    static func inboxRow(_ item: InboxItem, _ account: Account, _ l: Language) -> [String: Any] {
        let base = OrderPages.href(item.orderCode)
        var row: [String: Any] = [
            "code": item.orderCode, "href": base, "kind": item.kind.rawValue,
            "kindLabel": l.text("inbox_kind_\(item.kind.rawValue)"), "subject": item.subject, "title": item.orderTitle,
            "enterprise": item.enterpriseName, "since": l.day(item.since), "sinceISO": item.since.description,
            "daysWaited": item.daysWaited,
        ]
        if let number = item.number { row["number"] = number }
        func link(_ capability: Capability, _ href: String, _ label: String) {
            guard account.access(capability) == .allowed else { return }
            row["actionHref"] = href
            row["actionLabel"] = l.text(label)
        }
        if item.kind == .funding {
            link(.fund, base + "/fund", "action_fund")
        } else if item.kind == .acceptance, let n = item.number {
            link(.accept, base + "/outputs/\(n)/accept", "action_accept")
        } else if item.kind == .amendment, let n = item.number {
            link(.decideAmendment, base + "/amendments/\(n)/approve", "inbox_open")
        } else if item.kind == .paymentRequest, let n = item.number {
            link(.decidePaymentRequest, base + "#payment-request-\(n)", "inbox_open")
        }
        // An advance to settle opens on its order's page (settled by the order's later payments).
        return row
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
