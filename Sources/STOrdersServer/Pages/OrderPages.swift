import Foundation
import Hummingbird
import STOrders

/// The orders' pages: the list (an enterprise's own, an officer's province…), one order, the
/// registration form, and one form per step of the lifecycle. Each asks the same policy as the
/// API (`onOrder`: `orderScope` then `Account.access`; out of scope is the same 404 as missing)
/// and calls the same library operation.
struct OrderPages: RouteGroup {
    let state: ServerState
    var pages: PageRenderer { state.pages }
    static let pageSize = 50

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/orders") { request, context in try await list(request, context) }
        group.get("/orders/new") { request, context in try await newOrder(request, context) }
        group.post("/orders/new") { request, context in try await registerOrder(request, context) }
        group.get("/orders/{code}") { request, context in try await show(request, context) }
        for action in OrderAction.all {
            group.get(RouterPath(action.path)) { request, context in
                try await actionForm(action, request, context)
            }
            group.post(RouterPath(action.path)) { request, context in
                try await perform(action, request, context)
            }
        }
    }

    // MARK: The list

    /// Newest first, 50 a page (`?cursor=`), filtered by `?state=`; the caller's scope always
    /// applies (`Account.scoped`).
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.readOrders, context)
        let page = PageContext(request, context)
        let l = page.language
        let query = QueryFields(request: request)
        let stateFilter = try? query.vocabulary("state", OrderState.self)
        var filter = OrderFilter(state: stateFilter)
        let cursor = query.string("cursor").flatMap { try? OrderCursor(parsing: $0) }
        var result = OrderPage(orders: [], next: nil)
        if let scoped = account.scoped(province: nil, enterprise: nil) {
            (filter.province, filter.enterprise) = scoped
            result = try await state.database { [filter] store in
                try store.orderPage(filter, after: cursor, limit: Self.pageSize)
            }
        }
        let rows = result.orders.map { summary -> [String: Any] in
            let o = summary.order
            return [
                "code": o.code, "href": Self.href(o.code), "title": o.title, "enterprise": o.enterpriseName,
                "taxCode": o.enterpriseTaxCode.value, "state": l.text("state_\(o.state.rawValue)"),
                "stateKey": o.state.rawValue, "nextStep": l.text("next_\(o.state.rawValue)"),
                "orderedOn": l.day(o.orderedOn), "orderedOnISO": o.orderedOn.description,
                "value": l.money(summary.outputsValue), "paid": l.money(summary.paidTotal),
            ]
        }
        let states = OrderState.allCases.map { s -> [String: Any] in
            ["value": s.rawValue, "label": l.text("state_\(s.rawValue)"), "selected": s == stateFilter]
        }
        var values: [String: Any] = [
            "orders": rows, "hasOrders": !rows.isEmpty, "states": states,
            "canRegister": account.access(.registerOrder) == .allowed,
        ]
        if let next = result.next {
            values["nextHref"] =
                "/orders?cursor=" + PageRenderer.queryEscaped(next.description)
                + (stateFilter.map { "&state=" + $0.rawValue } ?? "")
        }
        let title = l.text(account.role == .enterprise ? "nav_my_orders" : "nav_orders")
        return pages.response("orders", page, title: title, values)
    }

    // MARK: One order

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let account = try context.requireAccount()
        let (detail, documents) = try await onOrder(context, .readOrders, code) { store in
            (try store.orderDetail(code: code), try store.documents(order: code))
        }
        let page = PageContext(request, context)
        var values = Self.orderValues(detail, account, page.language)
        for (key, value) in Self.processValues(detail, documents, account, page.language) { values[key] = value }
        return pages.response(
            "order", page, title: page.language.format("order_title", detail.order.code), values)
    }

    /// Whether the account may do `capability` on this order now: the policy allows it and the
    /// lifecycle would (an action the order's state refuses is not offered).
    static func offers(
        _ account: Account, _ capability: Capability, _ action: OrderState.Action, _ order: Order
    ) -> Bool {
        let scope = OrderScope(province: order.province, enterprise: order.enterpriseTaxCode, state: order.state)
        guard account.access(capability, order: scope) == .allowed else { return false }
        if case .success = order.state.next(after: action) { return true }
        return false
    }

    static func orderValues(_ detail: OrderDetail, _ account: Account, _ l: Language) -> [String: Any] {
        let o = detail.order
        let base = href(o.code)
        let canAccept = offers(account, .accept, .acceptOutput, o)
        let canReverse = offers(account, .reverse, .reversePayment, o)
        let canRetract = offers(account, .retract, .retractResult, o)
        var facts: [[String: String]] = [
            ["label": l.text("order_code"), "value": o.code],
            ["label": l.text("order_title_label"), "value": o.title],
            ["label": l.text("enterprise"), "value": "\(o.enterpriseName) (\(o.enterpriseTaxCode.value))"],
            ["label": l.text("field"), "value": l.text("field_\(o.field.rawValue)")],
            ["label": l.text("province"), "value": o.province.name],
            ["label": l.text("state"), "value": l.text("state_\(o.state.rawValue)")],
            ["label": l.text("next_step"), "value": l.text("next_\(o.state.rawValue)")],
            ["label": l.text("ordered_on"), "value": l.day(o.orderedOn)],
        ]
        if let day = o.fundedOn { facts.append(["label": l.text("funded_on"), "value": l.day(day)]) }
        if let day = o.deliveredOn { facts.append(["label": l.text("delivered_on"), "value": l.day(day)]) }
        if let day = o.commercializedOn {
            facts.append(["label": l.text("commercialized_on"), "value": l.day(day)])
        }
        if let day = o.cancelledOn { facts.append(["label": l.text("cancelled_on"), "value": l.day(day)]) }
        if let reason = o.cancelReason { facts.append(["label": l.text("cancel_reason"), "value": reason]) }

        let outputs = detail.outputs.map { output -> [String: Any] in
            var row: [String: Any] = [
                "number": output.number, "title": output.title, "type": l.text("type_\(output.type.rawValue)"),
                "novelty": l.text("novelty_\(output.novelty.rawValue)"), "value": l.money(output.value),
                "paid": l.money(output.paid), "acceptedOn": output.acceptedOn.map(l.day) ?? "—",
                "evidence": output.evidence ?? "",
            ]
            if canAccept && output.acceptedOn == nil { row["acceptHref"] = "\(base)/outputs/\(output.number)/accept" }
            return row
        }
        var funding: [[String: String]] = []
        if let f = detail.funding {
            funding = [
                ["label": l.text("source_state"), "value": l.money(f.stateBudget)],
                ["label": l.text("source_enterprise"), "value": l.money(f.enterpriseFunds)],
                [
                    "label": l.text("source_other") + (f.otherSource.map { " (\($0))" } ?? ""),
                    "value": l.money(f.other),
                ],
                ["label": l.text("total"), "value": l.money(f.total)],
            ]
        }
        let payments = detail.payments.map { p -> [String: Any] in
            var row: [String: Any] = [
                "number": p.number, "output": p.outputNumber, "amount": l.money(p.amount),
                "source": l.text("source_\(p.source.rawValue)"), "reference": p.reference ?? "",
                "paidOn": l.day(p.paidOn), "note": "",
            ]
            if let reversed = p.reverses {
                row["note"] = l.format("reverses_payment", String(reversed)) + (p.reason.map { ": \($0)" } ?? "")
            } else if let by = p.reversedBy {
                row["note"] = l.format("reversed_by_payment", String(by))
            } else if canReverse {
                row["reverseHref"] = "\(base)/payments/\(p.number)/reverse"
            }
            // What the payment settled of the order's advances (a reversal's undoing is negative).
            if p.settled != 0 {
                let settled =
                    p.settled > 0
                    ? l.format("payment_settles", l.money(p.settled))
                    : l.format("payment_unsettles", l.money(-p.settled))
                row["note"] = [row["note"] as? String ?? "", settled].filter { !$0.isEmpty }.joined(separator: "; ")
            }
            return row
        }
        let results = detail.results.map { r -> [String: Any] in
            var row: [String: Any] = [
                "number": r.number, "channel": l.text("channel_\(r.channel.rawValue)"), "revenue": l.money(r.revenue),
                "note": r.note ?? "", "date": l.day(r.commercializedOn), "status": "",
            ]
            if let retracted = r.retractedOn {
                row["status"] = l.format("retracted_on", l.day(retracted)) + (r.retractReason.map { ": \($0)" } ?? "")
            } else if canRetract {
                row["retractHref"] = "\(base)/results/\(r.number)/retract"
            }
            return row
        }
        let events = detail.events.map { e -> [String: Any] in
            [
                "date": l.day(e.occurredOn), "dateISO": e.occurredOn.description,
                "action": l.text("event_\(e.action.rawValue)"), "details": e.details, "actor": e.actor,
            ]
        }
        var actions: [[String: String]] = []
        func offer(_ capability: Capability, _ action: OrderState.Action, _ id: String, _ path: String) {
            if offers(account, capability, action, o) {
                actions.append(["id": id, "href": base + path, "label": l.text("action_\(id)")])
            }
        }
        offer(.fund, .fund, "fund", "/fund")
        offer(.pay, .recordPayment, "pay", "/pay")
        offer(.commercialize, .commercialize, "commercialize", "/results/new")
        offer(.cancel, .cancel, "cancel", "/cancel")
        actions += processActions(detail, account, l)
        return [
            "code": o.code, "facts": facts, "outputs": outputs, "outputsTotal": l.money(detail.outputsValue),
            "hasFunding": detail.funding != nil, "funding": funding, "payments": payments,
            "hasPayments": !payments.isEmpty, "paidTotal": l.money(detail.paidTotal), "results": results,
            "hasResults": !results.isEmpty, "revenueTotal": l.money(detail.revenueTotal), "events": events,
            "actions": actions, "hasActions": !actions.isEmpty,
        ]
    }

    /// The page of an order (its code percent-encoded as one path segment).
    static func href(_ code: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/orders/" + (code.addingPercentEncoding(withAllowedCharacters: allowed) ?? code)
    }

    // MARK: Registering an order

    /// The output rows a registration form starts with.
    static let initialRows = 1
    /// The most rows a form may ask for (each is one output).
    static let maxRows = 50

    func newOrder(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.registerOrder, context)
        let page = PageContext(request, context)
        return registrationForm(page, account, input: nil, rows: Self.initialRows, status: .ok)
    }

    /// Registers the order with its outputs, or re-renders the form: with one more row ("add a
    /// row"), one fewer ("remove"), or the refusals beside their fields.
    func registerOrder(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let account = try require(.registerOrder, context)
        let page = PageContext(request, context)
        var input = try await FormInput.of(request, language: page.language)
        var rows = min(max(Int(input.values["row_count"] ?? "") ?? Self.initialRows, 1), Self.maxRows)
        let button = input.values["action"] ?? "register"
        if button == "add_row" {
            return registrationForm(page, account, input: input, rows: min(rows + 1, Self.maxRows), status: .ok)
        }
        if button.hasPrefix("remove_row_"), let index = Int(button.dropFirst("remove_row_".count)), rows > 1,
            (0..<rows).contains(index)
        {
            // The rows after the removed one move up.
            var values = input.values
            for i in index..<(rows - 1) {
                for name in Self.rowFields {
                    values[Self.rowName(i, name)] = input.values[Self.rowName(i + 1, name)]
                }
            }
            for name in Self.rowFields { values[Self.rowName(rows - 1, name)] = nil }
            rows -= 1
            return registrationForm(
                page, account, input: FormInput(values: values, language: page.language), rows: rows, status: .ok)
        }

        let taxCode: TaxCode?
        if let own = account.enterpriseScope {
            taxCode = own
        } else {
            taxCode = input.read("enterprise") { try TaxCode(parsing: $0) }
        }
        let title = input.read("title") { $0 }
        let field = input.read("field") { try Field.parse($0) }
        let code = input.read("code", required: false) { $0 }
        let day = input.read("date", required: false) { try Day(parsing: $0) } ?? Day.today()
        var outputs: [NewOutput] = []
        for i in 0..<rows {
            let outputTitle = input.read(Self.rowName(i, "title")) { $0 }
            let type = input.read(Self.rowName(i, "type")) { try OutputType.parse($0) }
            let novelty = input.read(Self.rowName(i, "novelty")) { try Novelty.parse($0) }
            let value = input.read(Self.rowName(i, "value")) { try Money.parse($0) }
            if let outputTitle, let type, let novelty, let value {
                outputs.append(NewOutput(title: outputTitle, type: type, novelty: novelty, value: value))
            }
        }
        if input.errors.isEmpty, let taxCode, let title, let field {
            let refused = input
            do {
                let detail = try await state.database { [outputs] store in
                    try OrderRoutes.registerOrder(
                        store, account, enterprise: taxCode, title: title, field: field, province: nil, code: code,
                        outputs: outputs, on: day)
                }
                return Redirect.to(
                    Self.href(detail.order.code), cookies: [Flash.cookie("flash_registered", detail.order.code)])
            } catch let error as STOrdersError {
                input = refused
                input.refused(error) { code in
                    switch code {
                    case "unknown_enterprise", "invalid_tax_code": return "enterprise"
                    case "duplicate_order_code", "invalid_order_code": return "code"
                    case "date_before", "invalid_date": return "date"
                    default: return nil
                    }
                }
            }
        }
        return registrationForm(page, account, input: input, rows: rows, status: input.status)
    }

    static let rowFields = ["title", "type", "novelty", "value"]

    static func rowName(_ row: Int, _ field: String) -> String { "outputs[\(row)][\(field)]" }

    func registrationForm(
        _ page: PageContext, _ account: Account, input: FormInput?, rows: Int, status: HTTPResponse.Status
    ) -> Response {
        let l = page.language
        func value(_ name: String) -> String { input?.values[name] ?? "" }
        func field(_ f: FormField, id: String? = nil) -> [String: Any] {
            f.values(value: value(f.name), error: input?.errors[f.name], id: id)
        }
        let fields = Dictionary(uniqueKeysWithValues: FormField.Kind.vocabulary(l).map { ($0.0, $0.1) })
        var orderFields: [[String: Any]] = []
        if account.enterpriseScope == nil {
            orderFields.append(
                field(FormField(name: "enterprise", label: l.text("enterprise_tax_code"), kind: .text)))
        }
        orderFields.append(field(FormField(name: "title", label: l.text("order_title_label"), kind: .text)))
        orderFields.append(field(FormField(name: "field", label: l.text("field"), kind: fields["field"] ?? .text)))
        orderFields.append(
            field(
                FormField(
                    name: "code", label: l.text("order_code_optional"), kind: .text, hint: l.text("order_code_hint"),
                    required: false)))
        orderFields.append(
            field(
                FormField(
                    name: "date", label: l.text("ordered_on"), kind: .date, hint: l.text("date_hint"), required: false))
        )
        var total: Int64 = 0
        var totalKnown = true
        let rowValues = (0..<rows).map { i -> [String: Any] in
            let cells = Self.rowFields.map { name -> [String: Any] in
                let kind: FormField.Kind
                switch name {
                case "type": kind = fields["type"] ?? .text
                case "novelty": kind = fields["novelty"] ?? .text
                case "value": kind = .money
                default: kind = .text
                }
                let f = FormField(name: Self.rowName(i, name), label: l.text("output_\(name)"), kind: kind)
                var out = field(f, id: "output-\(i)-\(name)")
                out["field"] = name
                if name == "value" { out["moneyGroup"] = "value" }
                return out
            }
            let typed = value(Self.rowName(i, "value"))
            if !typed.isEmpty {
                if let v = try? Money.parse(typed) { total = total &+ v } else { totalKnown = false }
            }
            return ["index": i, "number": i + 1, "cells": cells, "removable": true]
        }
        var values: [String: Any] = [
            "orderFields": orderFields, "rows": rowValues, "rowCount": rows,
            "total": totalKnown ? l.money(total) : "—", "canAddRow": rows < Self.maxRows,
        ]
        if let summary = input?.summary { values["formError"] = summary }
        return pages.response("order-new", page, title: l.text("nav_new_order"), status: status, values)
    }

    // MARK: The steps of the lifecycle

    func actionForm(_ action: OrderAction, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let target = context.parameters.number("number")
        let detail = try await onOrder(context, action.capability, code) { store in try store.orderDetail(code: code) }
        let page = PageContext(request, context)
        return try actionPage(action, detail, target, page, input: nil, status: .ok)
    }

    /// Renders the action's form for this order; the output, payment or result it names must
    /// exist (else the 404 page).
    func actionPage(
        _ action: OrderAction, _ detail: OrderDetail, _ target: Int?, _ page: PageContext, input: FormInput?,
        status: HTTPResponse.Status
    ) throws -> Response {
        let l = page.language
        let o = detail.order
        var facts: [(String, String)] = [
            (l.text("order_code"), o.code), (l.text("order_title_label"), o.title),
            (l.text("enterprise"), o.enterpriseName), (l.text("state"), l.text("state_\(o.state.rawValue)")),
        ]
        var defaults: [String: String] = ["date": Day.today().description]
        switch action.kind {
        case .accept:
            guard let n = target, let output = detail.outputs.first(where: { $0.number == n }) else {
                throw STOrdersError.unknownOutput(order: o.code, number: target ?? 0, count: detail.outputs.count)
            }
            facts.append((l.text("output"), "\(output.number). \(output.title) — \(l.money(output.value))"))
        case .reverse:
            guard let n = target, let payment = detail.payments.first(where: { $0.number == n }) else {
                throw STOrdersError.unknownPayment(order: o.code, number: target ?? 0, count: detail.payments.count)
            }
            facts.append((l.text("payment"), "\(payment.number): \(l.money(payment.amount))"))
        case .retract:
            guard let n = target, let result = detail.results.first(where: { $0.number == n }) else {
                throw STOrdersError.unknownResult(order: o.code, number: target ?? 0, count: detail.results.count)
            }
            facts.append((l.text("result"), "\(result.number): \(l.money(result.revenue))"))
        case .fund:
            facts.append((l.text("outputs_total"), l.money(detail.outputsValue)))
        case .pay:
            facts.append((l.text("funding_total"), l.money(detail.funding?.total ?? 0)))
            facts.append((l.text("paid_total"), l.money(detail.paidTotal)))
            defaults["source"] = FundingSource.state.rawValue
        case .commercialize, .cancel:
            break
        case .requestPay, .approveRequest, .returnRequest, .disburseRequest, .extend, .askExtension,
            .approveAmendment, .refuseAmendment, .advance, .recoverAdvance:
            facts += try action.processFacts(detail, target, l)
            if action.kind == .requestPay { defaults["source"] = FundingSource.state.rawValue }
        }
        var path = action.path.replacingOccurrences(of: "{code}", with: Self.hrefSegment(o.code))
        if let target { path = path.replacingOccurrences(of: "{number}", with: String(target)) }
        return pages.form(
            page, title: l.format("title_\(action.id)", o.code), status: status, id: "\(action.htmlID)-form",
            action: path,
            submit: l.text("submit_\(action.id)"), back: Self.href(o.code), fields: action.fields(detail, l),
            input: input, defaults: defaults, facts: facts)
    }

    static func hrefSegment(_ code: String) -> String { String(href(code).dropFirst("/orders/".count)) }

    func perform(_ action: OrderAction, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.text("code")
        let target = context.parameters.number("number")
        let account = try context.requireAccount()
        // The policy first: out of scope is the 404 page, not allowed the 403 page, before any input is read.
        _ = try await onOrder(context, action.capability, code) { store in try store.orderDetail(code: code) }
        let page = PageContext(request, context)
        var input = try await FormInput.of(request, language: page.language)
        if let operation = action.parse(&input, code: code, target: target, account: account), input.errors.isEmpty {
            do {
                try await onOrder(context, action.capability, code) { store in try operation(store) }
                return Redirect.to(Self.href(code), cookies: [Flash.cookie("flash_\(action.id)", code)])
            } catch let error as STOrdersError where error.code != "unknown_order" {
                input.refused(error, field: action.field(for:))
            }
        }
        let fresh = try await state.database { store in try store.orderDetail(code: code) }
        return try actionPage(action, fresh, target, page, input: input, status: input.status)
    }
}

extension FormField.Kind {
    /// The closed vocabularies' choices, in the page's language, by field name.
    static func vocabulary(_ l: Language) -> [(String, FormField.Kind)] {
        [
            ("field", .select(Field.allCases.map { ($0.rawValue, l.text("field_\($0.rawValue)")) })),
            ("type", .select(OutputType.allCases.map { ($0.rawValue, l.text("type_\($0.rawValue)")) })),
            ("novelty", .select(Novelty.allCases.map { ($0.rawValue, l.text("novelty_\($0.rawValue)")) })),
            ("source", .select(FundingSource.allCases.map { ($0.rawValue, l.text("source_\($0.rawValue)")) })),
            ("channel", .select(Channel.allCases.map { ($0.rawValue, l.text("channel_\($0.rawValue)")) })),
        ]
    }
}

/// One step of the lifecycle as a page: its path, the capability the policy is asked, its
/// fields, how its input is read, and which field each of its refusals concerns.
struct OrderAction: Sendable {
    enum Kind: Sendable {
        case fund, accept, pay, reverse, commercialize, retract, cancel
        /// The office's steps of issue 13 (`OrderPages+Process.swift`).
        case requestPay, approveRequest, returnRequest, disburseRequest, extend, askExtension, approveAmendment
        case refuseAmendment, advance, recoverAdvance
    }

    let kind: Kind
    let id: String
    let path: String
    let capability: Capability

    static let all: [OrderAction] =
        [
            OrderAction(kind: .fund, id: "fund", path: "/orders/{code}/fund", capability: .fund),
            OrderAction(
                kind: .accept, id: "accept", path: "/orders/{code}/outputs/{number}/accept", capability: .accept),
            OrderAction(kind: .pay, id: "pay", path: "/orders/{code}/pay", capability: .pay),
            OrderAction(
                kind: .reverse, id: "reverse", path: "/orders/{code}/payments/{number}/reverse", capability: .reverse),
            OrderAction(
                kind: .commercialize, id: "commercialize", path: "/orders/{code}/results/new",
                capability: .commercialize),
            OrderAction(
                kind: .retract, id: "retract", path: "/orders/{code}/results/{number}/retract", capability: .retract),
            OrderAction(kind: .cancel, id: "cancel", path: "/orders/{code}/cancel", capability: .cancel),
        ] + process

    func fields(_ detail: OrderDetail, _ l: Language) -> [FormField] {
        let choices = Dictionary(uniqueKeysWithValues: FormField.Kind.vocabulary(l).map { ($0.0, $0.1) })
        let date = FormField(
            name: "date", label: l.text("date"), kind: .date, hint: l.text("date_hint"), required: false)
        let moneyHint = l.text("money_hint")
        switch kind {
        case .fund:
            return [
                FormField(
                    name: "state_budget", label: l.text("source_state"), kind: .money, hint: moneyHint, required: false),
                FormField(
                    name: "enterprise_funds", label: l.text("source_enterprise"), kind: .money, required: false),
                FormField(name: "other", label: l.text("source_other"), kind: .money, required: false),
                FormField(name: "other_source", label: l.text("other_source"), kind: .text, required: false),
                date,
            ]
        case .accept:
            return [FormField(name: "evidence", label: l.text("evidence"), kind: .textarea, required: false), date]
        case .pay:
            let outputs = detail.outputs.map { output in
                (String(output.number), "\(output.number). \(output.title) (\(l.money(output.value)))")
            }
            return [
                FormField(name: "output", label: l.text("output"), kind: .select(outputs)),
                FormField(name: "amount", label: l.text("amount"), kind: .money, hint: moneyHint),
                FormField(name: "source", label: l.text("source"), kind: choices["source"] ?? .text),
                FormField(name: "reference", label: l.text("reference"), kind: .text, required: false),
                date,
            ]
        case .reverse:
            return [
                FormField(name: "reason", label: l.text("reason"), kind: .textarea),
                FormField(
                    name: "amount", label: l.text("reverse_amount"), kind: .money, hint: l.text("reverse_amount_hint"),
                    required: false),
                date,
            ]
        case .commercialize:
            return [
                FormField(name: "channel", label: l.text("channel"), kind: choices["channel"] ?? .text),
                FormField(name: "revenue", label: l.text("revenue"), kind: .money, hint: moneyHint),
                FormField(name: "note", label: l.text("note"), kind: .textarea, required: false),
                date,
            ]
        case .retract, .cancel:
            return [FormField(name: "reason", label: l.text("reason"), kind: .textarea), date]
        case .requestPay, .approveRequest, .returnRequest, .disburseRequest, .extend, .askExtension,
            .approveAmendment, .refuseAmendment, .advance, .recoverAdvance:
            return processFields(detail, l, date: date)
        }
    }

    /// Reads the form (each refusal beside its field) and answers the library operation to run,
    /// or nil when the input does not parse.
    func parse(_ input: inout FormInput, code: String, target: Int?, account: Account) -> (
        @Sendable (Store) throws -> Void
    )? {
        let day = input.read("date", required: false) { try Day(parsing: $0) } ?? Day.today()
        switch kind {
        case .fund:
            let stateBudget = input.read("state_budget", required: false) { try Money.parse($0) }
            let enterpriseFunds = input.read("enterprise_funds", required: false) { try Money.parse($0) }
            let other = input.read("other", required: false) { try Money.parse($0) }
            let otherSource = input.text("other_source")
            return { store in
                let funding = try Funding.commitment(
                    order: code, stateBudget: stateBudget, enterpriseFunds: enterpriseFunds, other: other,
                    otherSource: otherSource, fundedOn: day)
                _ = try store.fund(order: code, funding)
            }
        case .accept:
            let evidence = input.text("evidence")
            let number = target ?? 0
            return { store in _ = try store.acceptOutput(order: code, number: number, evidence: evidence, on: day) }
        case .pay:
            // Every field is read (each refusal shown) before any is missed.
            let output = input.read("output") { text -> Int in
                guard let n = Int(text), n > 0 else {
                    throw STOrdersError.unknownOutput(order: code, number: 0, count: 0)
                }
                return n
            }
            let amount = input.read("amount") { try Money.parse($0) }
            let source = input.read("source") { try FundingSource.parse($0) }
            guard let output, let amount, let source else { return nil }
            let reference = input.text("reference")
            return { store in
                _ = try store.recordPayment(
                    order: code, output: output, amount: amount, source: source, reference: reference, on: day)
            }
        case .reverse:
            let amount = input.read("amount", required: false) { try Money.parse($0) }
            guard let reason = input.read("reason", { $0 }) else { return nil }
            let number = target ?? 0
            return { store in
                _ = try store.reversePayment(order: code, payment: number, amount: amount, reason: reason, on: day)
            }
        case .commercialize:
            let channel = input.read("channel") { try Channel.parse($0) }
            let revenue = input.read("revenue") { try Money.parse($0, allowZero: true) }
            guard let channel, let revenue else { return nil }
            let note = input.text("note")
            return { store in
                _ = try store.commercialize(order: code, channel: channel, revenue: revenue, note: note, on: day)
            }
        case .retract:
            guard let reason = input.read("reason", { $0 }) else { return nil }
            let number = target ?? 0
            return { store in _ = try store.retractResult(order: code, result: number, reason: reason, on: day) }
        case .cancel:
            guard let reason = input.read("reason", { $0 }) else { return nil }
            // The state an enterprise's withdrawal needs, checked again inside the store's transaction.
            let onlyWhile = account.requiredState(for: .cancel)
            return { store in _ = try store.cancel(order: code, reason: reason, on: day, onlyWhile: onlyWhile) }
        case .requestPay, .approveRequest, .returnRequest, .disburseRequest, .extend, .askExtension,
            .approveAmendment, .refuseAmendment, .advance, .recoverAdvance:
            return processParse(&input, code: code, target: target, day: day)
        }
    }

    /// The field a refusal of this step concerns (nil: the form as a whole).
    func field(for code: String) -> String? {
        switch (kind, code) {
        case (_, "date_before"), (_, "invalid_date"): return "date"
        case (.fund, "funding_insufficient"), (.fund, "funding_missing"): return "state_budget"
        case (.fund, "other_source_missing"): return "other_source"
        case (.fund, "other_source_without_amount"): return "other"
        case (.pay, "payment_exceeds_output"), (.pay, "payment_exceeds_funding"), (.pay, "invalid_amount"):
            return "amount"
        case (.pay, "output_not_accepted"), (.pay, "unknown_output"), (.pay, "output_unavailable"): return "output"
        case (.reverse, "reversal_exceeds_payment"), (.reverse, "invalid_amount"): return "amount"
        case (.accept, "invalid_text"): return "evidence"
        case (.commercialize, "invalid_text"): return "note"
        case (.commercialize, "invalid_amount"): return "revenue"
        case (.reverse, "invalid_text"), (.retract, "invalid_text"), (.cancel, "invalid_text"): return "reason"
        case (.requestPay, _), (.approveRequest, _), (.returnRequest, _), (.disburseRequest, _), (.extend, _),
            (.askExtension, _), (.approveAmendment, _), (.refuseAmendment, _), (.advance, _), (.recoverAdvance, _):
            return processField(for: code)
        default: return nil
        }
    }
}
