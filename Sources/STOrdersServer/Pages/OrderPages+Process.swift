import Foundation
import STOrders

/// The order page's amendments, payment requests, advances and documents, and the forms of their
/// steps (issue 13). Each form asks the policy what its API route asks (`OrderAction.capability`,
/// through `OrderPages.perform`) and calls the same library function.
extension OrderAction {
    static let process: [OrderAction] = [
        OrderAction(
            kind: .requestPay, id: "request_pay", path: "/orders/{code}/payment-requests/new",
            capability: .requestPayment),
        OrderAction(
            kind: .approveRequest, id: "approve_request", path: "/orders/{code}/payment-requests/{number}/approve",
            capability: .decidePaymentRequest),
        OrderAction(
            kind: .returnRequest, id: "return_request", path: "/orders/{code}/payment-requests/{number}/return",
            capability: .decidePaymentRequest),
        // Disbursing records the payment: an officer's `pay`, as the API's route asks.
        OrderAction(
            kind: .disburseRequest, id: "disburse_request",
            path: "/orders/{code}/payment-requests/{number}/disburse", capability: .pay),
        OrderAction(kind: .extend, id: "extend", path: "/orders/{code}/extend", capability: .amend),
        OrderAction(
            kind: .askExtension, id: "ask_extension", path: "/orders/{code}/ask-extension",
            capability: .requestAmendment),
        OrderAction(
            kind: .approveAmendment, id: "approve_amendment", path: "/orders/{code}/amendments/{number}/approve",
            capability: .decideAmendment),
        OrderAction(
            kind: .refuseAmendment, id: "refuse_amendment", path: "/orders/{code}/amendments/{number}/refuse",
            capability: .decideAmendment),
        // Advances (docs/advances.md): an officer of the order's province, as the API's routes ask.
        OrderAction(kind: .advance, id: "advance", path: "/orders/{code}/advances/new", capability: .advance),
        OrderAction(
            kind: .recoverAdvance, id: "recover_advance", path: "/orders/{code}/advances/recover",
            capability: .advance),
    ]

    /// The id in the page's HTML (`request-pay-form`), its text keys keeping the underscore.
    var htmlID: String { id.replacingOccurrences(of: "_", with: "-") }

    /// The facts above the form: the request or amendment it decides (which must exist: else
    /// the 404 page).
    func processFacts(_ detail: OrderDetail, _ target: Int?, _ l: Language) throws -> [(String, String)] {
        let code = detail.order.code
        switch kind {
        case .approveRequest, .returnRequest, .disburseRequest:
            guard let n = target, let r = detail.paymentRequests.first(where: { $0.number == n }) else {
                throw STOrdersError.unknownPaymentRequest(
                    order: code, number: target ?? 0, count: detail.paymentRequests.count)
            }
            return [
                (
                    l.text("payment_request"),
                    "\(r.number): \(l.money(r.amount)) — \(l.format("output_number", String(r.outputNumber))), "
                        + "\(l.text("source_\(r.source.rawValue)")), \(l.text("request_state_\(r.state.rawValue)"))"
                )
            ]
        case .approveAmendment, .refuseAmendment:
            guard let n = target, let a = detail.amendments.first(where: { $0.number == n }) else {
                throw STOrdersError.unknownAmendment(order: code, number: target ?? 0, count: detail.amendments.count)
            }
            return [
                (
                    l.text("amendment"),
                    "\(a.number): \(Self.targetLabel(a.target, l)) \(l.day(a.previousOn)) → \(l.day(a.proposedOn)); "
                        + a.reason
                )
            ]
        case .requestPay:
            return [(l.text("paid_total"), l.money(detail.paidTotal))]
        case .advance, .recoverAdvance:
            return [
                (l.text("source_state"), l.money(detail.funding?.stateBudget ?? 0)),
                (l.text("advance_balance"), Self.balanceLine(detail.advanceBalance, l)),
            ]
        default:
            return []
        }
    }

    /// `Đã tạm ứng 80.000.000 ₫ · Đã khấu trừ qua thanh toán 50.000.000 ₫ · …`.
    static func balanceLine(_ b: AdvanceBalance, _ l: Language) -> String {
        [
            ("advance_advanced", b.advanced), ("advance_settled", b.settled), ("advance_recovered", b.recovered),
            ("advance_outstanding", b.outstanding),
        ].map { "\(l.text($0.0)) \(l.money($0.1))" }.joined(separator: " · ")
    }

    static func targetLabel(_ target: AmendmentTarget, _ l: Language) -> String {
        switch target {
        case .output(let n): return l.format("output_number", String(n))
        case .contractEnd: return l.text("contract_end")
        }
    }

    func processFields(_ detail: OrderDetail, _ l: Language, date: FormField) -> [FormField] {
        let reason = FormField(name: "reason", label: l.text("reason"), kind: .textarea)
        switch kind {
        case .requestPay:
            let outputs = detail.outputs.filter { $0.acceptedOn != nil }.map { output in
                (String(output.number), "\(output.number). \(output.title) (\(l.money(output.value)))")
            }
            let sources = FundingSource.allCases.map { ($0.rawValue, l.text("source_\($0.rawValue)")) }
            return [
                FormField(
                    name: "output", label: l.text("output"), kind: .select(outputs), hint: l.text("request_output_hint")
                ),
                FormField(name: "amount", label: l.text("amount"), kind: .money, hint: l.text("money_hint")),
                FormField(name: "source", label: l.text("source"), kind: .select(sources)),
                date,
            ]
        case .approveRequest:
            return [date]
        case .advance:
            return [
                FormField(name: "amount", label: l.text("amount"), kind: .money, hint: l.text("money_hint")),
                FormField(name: "reference", label: l.text("disburse_reference"), kind: .text), date,
            ]
        case .recoverAdvance:
            return [
                FormField(
                    name: "amount", label: l.text("amount"), kind: .money, hint: l.text("recover_amount_hint"),
                    required: false),
                reason,
                FormField(name: "reference", label: l.text("disburse_reference"), kind: .text, required: false), date,
            ]
        case .disburseRequest:
            return [FormField(name: "reference", label: l.text("disburse_reference"), kind: .text), date]
        case .extend, .askExtension:
            var targets = detail.outputs.filter { $0.acceptedOn == nil && $0.dueOn != nil }.map { output in
                (
                    String(output.number),
                    "\(l.format("output_number", String(output.number))): \(output.title) "
                        + "(\(l.day(output.extendedTo ?? output.dueOn ?? detail.order.orderedOn)))"
                )
            }
            if let end = detail.funding?.endInForce {
                targets.append(("contract", "\(l.text("contract_end")) (\(l.day(end)))"))
            }
            return [
                FormField(name: "target", label: l.text("target_of_extension"), kind: .select(targets)),
                FormField(name: "to", label: l.text("to_day"), kind: .date),
                reason, date,
            ]
        default:
            return [reason, date]
        }
    }

    /// Reads the form and answers the library operation to run (the API's own calls), or nil
    /// when the input does not parse.
    func processParse(_ input: inout FormInput, code: String, target: Int?, day: Day) -> (
        @Sendable (Store) throws -> Void
    )? {
        let number = target ?? 0
        switch kind {
        case .requestPay:
            let output = input.read("output") { text -> Int in
                guard let n = Int(text), n > 0 else {
                    throw STOrdersError.unknownOutput(order: code, number: 0, count: 0)
                }
                return n
            }
            let amount = input.read("amount") { try Money.parse($0) }
            let source = input.read("source") { try FundingSource.parse($0) }
            guard let output, let amount, let source else { return nil }
            return { store in
                _ = try store.requestPayment(order: code, output: output, amount: amount, source: source, on: day)
            }
        case .approveRequest, .returnRequest, .disburseRequest:
            let step: PaymentRequestState.Step =
                kind == .approveRequest ? .approve : kind == .returnRequest ? .return : .disburse
            var reason = ""
            var reference = ""
            if step == .return {
                guard let text = input.read("reason", { $0 }) else { return nil }
                reason = text
            }
            if step == .disburse {
                guard let text = input.read("reference", { $0 }) else { return nil }
                reference = text
            }
            return { [reason, reference] store in
                _ = try ProcessRoutes.step(
                    step, store, order: code, number: number, reason: reason, reference: reference, on: day)
            }
        case .advance:
            let amount = input.read("amount") { try Money.parse($0) }
            let reference = input.read("reference") { $0 }
            guard let amount, let reference else { return nil }
            return { store in _ = try store.makeAdvance(order: code, amount: amount, reference: reference, on: day) }
        case .recoverAdvance:
            let amount = input.read("amount", required: false) { try Money.parse($0) }
            let reason = input.read("reason") { $0 }
            guard let reason else { return nil }
            let reference = input.text("reference")
            return { store in
                _ = try store.recoverAdvance(order: code, amount: amount, reason: reason, reference: reference, on: day)
            }
        case .extend, .askExtension:
            let amendmentTarget = input.read("target") { text -> AmendmentTarget in
                if text == "contract" { return .contractEnd }
                guard let n = Int(text), n > 0 else {
                    throw STOrdersError.unknownOutput(order: code, number: 0, count: 0)
                }
                return .output(n)
            }
            let to = input.read("to") { try Day(parsing: $0) }
            let reason = input.read("reason") { $0 }
            guard let amendmentTarget, let to, let reason else { return nil }
            let asks = kind == .askExtension
            return { store in
                _ =
                    asks
                    ? try store.requestAmendment(order: code, amendmentTarget, to: to, reason: reason, on: day)
                    : try store.amend(order: code, amendmentTarget, to: to, reason: reason, on: day)
            }
        default:
            guard let reason = input.read("reason", { $0 }) else { return nil }
            let decision: AmendmentState.Decision = kind == .approveAmendment ? .approve : .refuse
            return { store in
                _ = try store.decideAmendment(order: code, number: number, decision, reason: reason, on: day)
            }
        }
    }

    /// The field a refusal of these steps concerns (nil: the form as a whole).
    func processField(for code: String) -> String? {
        switch (kind, code) {
        case (.requestPay, "payment_exceeds_output"), (.requestPay, "payment_exceeds_funding"),
            (.requestPay, "invalid_amount"):
            return "amount"
        case (.requestPay, "output_not_accepted"), (.requestPay, "unknown_output"): return "output"
        case (.disburseRequest, "invalid_text"), (.advance, "invalid_text"): return "reference"
        case (.advance, "advance_exceeds_limit"), (.advance, "advance_exceeds_budget"), (.advance, "invalid_amount"),
            (.recoverAdvance, "recovery_exceeds_outstanding"), (.recoverAdvance, "invalid_amount"):
            return "amount"
        case (.extend, "amendment_not_later"), (.extend, "due_outside_period"), (.askExtension, "amendment_not_later"),
            (.askExtension, "due_outside_period"):
            return "to"
        case (.extend, "unknown_output"), (.extend, "amendment_no_date"), (.askExtension, "unknown_output"),
            (.askExtension, "amendment_no_date"):
            return "target"
        case (.requestPay, _), (.approveRequest, _), (.disburseRequest, _), (.advance, _): return nil
        case (_, "invalid_text"): return "reason"
        default: return nil
        }
    }
}

extension OrderPages {
    /// The steps of issue 13 the account may take on the order now, for `ul#order-actions`.
    static func processActions(_ detail: OrderDetail, _ account: Account, _ l: Language) -> [[String: String]] {
        let o = detail.order
        let base = href(o.code)
        var actions: [[String: String]] = []
        func add(_ id: String, _ path: String) {
            actions.append([
                "id": id.replacingOccurrences(of: "_", with: "-"), "href": base + path,
                "label": l.text("action_\(id)"),
            ])
        }
        if offers(account, .requestPayment, .recordPayment, o)
            && detail.outputs.contains(where: { $0.acceptedOn != nil })
        {
            add("request_pay", "/payment-requests/new")
        }
        let scope = OrderScope(province: o.province, enterprise: o.enterpriseTaxCode, state: o.state)
        if o.state == .funded && detail.funding != nil {
            if account.access(.amend, order: scope) == .allowed { add("extend", "/extend") }
            if account.access(.requestAmendment, order: scope) == .allowed { add("ask_extension", "/ask-extension") }
        }
        // An advance while the order is funded (the library refuses it otherwise); a recovery while
        // something is outstanding.
        if account.access(.advance, order: scope) == .allowed {
            if o.state == .funded { add("advance", "/advances/new") }
            if detail.advanceBalance.outstanding > 0 { add("recover_advance", "/advances/recover") }
        }
        if account.access(.attachDocument, order: scope) == .allowed { add("attach", "/documents/new") }
        return actions
    }

    /// The order's amendments, payment requests and documents as the page shows them, each row
    /// with the links to the steps the account may take on it now.
    static func processValues(
        _ detail: OrderDetail, _ documents: [Document], _ account: Account, _ l: Language
    ) -> [String: Any] {
        let o = detail.order
        let base = href(o.code)
        let scope = OrderScope(province: o.province, enterprise: o.enterpriseTaxCode, state: o.state)
        func may(_ capability: Capability) -> Bool { account.access(capability, order: scope) == .allowed }
        let amendments = detail.amendments.map { a -> [String: Any] in
            var state = l.text("amendment_state_\(a.state.rawValue)")
            if let decided = a.decidedOn, a.state != .requested || a.requestedBy == .officer {
                state += " " + l.day(decided)
            }
            var row: [String: Any] = [
                "number": a.number, "target": OrderAction.targetLabel(a.target, l), "from": l.day(a.previousOn),
                "to": l.day(a.proposedOn), "reason": a.reason, "by": l.text("amendment_by_\(a.requestedBy.rawValue)"),
                "requestedOn": l.day(a.requestedOn), "state": state, "stateKey": a.state.rawValue,
                "decision": a.decision ?? "",
            ]
            if a.state == .requested && may(.decideAmendment) {
                row["approveHref"] = "\(base)/amendments/\(a.number)/approve"
                row["refuseHref"] = "\(base)/amendments/\(a.number)/refuse"
            }
            return row
        }
        let requests = detail.paymentRequests.map { r -> [String: Any] in
            var state = l.text("request_state_\(r.state.rawValue)")
            if let day = r.paidOn ?? r.returnedOn ?? r.approvedOn { state += " " + l.day(day) }
            var note = r.returnReason ?? ""
            if let payment = r.paymentNumber {
                note = l.format("request_paid_by", String(payment)) + (r.reference.map { ", \($0)" } ?? "")
            }
            var row: [String: Any] = [
                "number": r.number, "output": r.outputNumber, "amount": l.money(r.amount),
                "source": l.text("source_\(r.source.rawValue)"), "requestedOn": l.day(r.requestedOn), "state": state,
                "stateKey": r.state.rawValue, "note": note,
            ]
            let path = "\(base)/payment-requests/\(r.number)"
            if r.state == .requested && may(.decidePaymentRequest) { row["approveHref"] = path + "/approve" }
            if r.state == .approved && may(.pay) { row["disburseHref"] = path + "/disburse" }
            if r.state.isOpen && may(.decidePaymentRequest) { row["returnHref"] = path + "/return" }
            return row
        }
        let files = documents.map { d -> [String: Any] in
            [
                "number": d.number, "kind": l.text("kind_\(d.kind.rawValue)"),
                "target": d.output.map { l.format("output_number", String($0)) }
                    ?? d.request.map { l.format("request_number", String($0)) } ?? l.text("document_order"),
                "fileName": d.fileName, "href": "\(base)/documents/\(d.number)", "title": d.title ?? "",
                "size": Money.format(d.size, grouping: l.grouping), "attachedOn": l.day(d.attachedOn),
            ]
        }
        let advances = detail.advances.map { a -> [String: Any] in
            [
                "number": a.number, "kind": l.text("advance_kind_\(a.kind.rawValue)"), "kindKey": a.kind.rawValue,
                "madeOn": l.day(a.madeOn), "amount": l.money(a.amount), "reference": a.reference ?? "",
                "reason": a.reason ?? "",
                "limit": a.limitShare.map { Ratio.percentText(basisPoints: $0) } ?? "",
            ]
        }
        let b = detail.advanceBalance
        let balance = [
            ("advanced", b.advanced), ("settled", b.settled), ("recovered", b.recovered),
            ("outstanding", b.outstanding),
        ].map { key, amount -> [String: String] in
            ["key": key, "label": l.text("advance_\(key)"), "value": l.money(amount)]
        }
        return [
            "advances": advances, "hasAdvances": !advances.isEmpty, "advanceBalance": balance,
            "amendments": amendments, "hasAmendments": !amendments.isEmpty, "paymentRequests": requests,
            "hasPaymentRequests": !requests.isEmpty, "documents": files, "hasDocuments": !files.isEmpty,
        ]
    }
}
