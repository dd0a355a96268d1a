import Testing

@testable import STOrders

/// Property-based test of advances and their settlement (docs/advances.md): random sequences of
/// advances, recoveries, state and enterprise payments, reversals, changes of the advance limit,
/// a disbursed payment request and the last acceptance on one funded order, against a reference
/// model written here with plain values (it calls none of the product's rules: not
/// `AdvanceRule`, not `requireWithinRemaining`). After every step the store accepted exactly what
/// the model accepts (a refusal with the model's error, changing nothing), every payment's settled
/// part and the order's balance read back as the model has them, and the state money out (net
/// state payments plus outstanding advances) never exceeds the state budget.
///
/// Seeded: 12 sequences × 40 steps; `STORDERS_LONG_TESTS=1` runs 100 × 80; `STORDERS_SEED` replays.
@Suite("advance properties")
struct AdvancePropertyTests {
    static var sequences: Int { longTests ? 100 : 12 }
    static var steps: Int { longTests ? 80 : 40 }

    struct ModelPayment {
        var output: Int
        var amount: Int64
        var source: FundingSource
        var settled: Int64
        var reversible: Bool
    }

    struct Model {
        let budget: Int64 = 1_200_000_000
        var values: [Int64] = [1_200_000_000, 800_000_000]
        var committed: [FundingSource: Int64] = [.state: 1_200_000_000, .enterprise: 900_000_000, .other: 0]
        var accepted = [true, false]
        var limit: Int64? = 3000
        var advanced: Int64 = 0
        var recovered: Int64 = 0
        var advances = 0
        var payments: [ModelPayment] = []

        var settled: Int64 { payments.reduce(0) { $0 + $1.settled } }
        var outstanding: Int64 { advanced - settled - recovered }
        var delivered: Bool { accepted.allSatisfy { $0 } }
        func paid(output: Int) -> Int64 { payments.filter { $0.output == output }.reduce(0) { $0 + $1.amount } }
        func paid(source: FundingSource) -> Int64 {
            payments.filter { $0.source == source }.reduce(0) { $0 + $1.amount }
        }
    }

    @Test func advancesFollowTheReferenceModel() throws {
        var seeds = SeededRandom.fromEnvironment(fallback: 0xAD_7A9C_E5)
        for _ in 0..<Self.sequences {
            try run(seed: seeds.next())
        }
    }

    func run(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let f = try Fixture()
        try f.store.setAdvanceLimit(basisPoints: 3000)
        let code = try f.funded()
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-05-01"))
        var model = Model()
        var today = try day("2025-05-02")
        for step in 0..<Self.steps {
            today = today.adding(days: Int.random(in: 0...3, using: &random))
            let context = "seed \(seed) step \(step)"
            let amount = Int64(Int.random(in: 1...12, using: &random)) * 50_000_000
            switch Int.random(in: 0..<20, using: &random) {
            case 0...5:  // an advance
                let cap = model.limit.map { model.budget / 10_000 * $0 }
                let byLimit = cap.map { $0 - (model.advanced - model.recovered) }
                let byBudget = model.budget - model.paid(source: .state) - model.outstanding
                let refusal: STOrdersError?
                if model.delivered {
                    refusal = .transitionRefused(
                        code: code, from: .delivered, action: "make an advance",
                        needs: "funded (money is advanced before the outputs are delivered)")
                } else if let limit = model.limit, let cap, let byLimit {
                    refusal =
                        amount > byLimit
                        ? .advanceExceedsLimit(
                            order: code, amount: amount, room: max(0, byLimit),
                            limit: "\(limit / 100)%", cap: cap)
                        : amount > byBudget
                            ? .advanceExceedsBudget(order: code, amount: amount, remaining: max(0, byBudget)) : nil
                } else {
                    refusal = .advanceLimitUnset(order: code)
                }
                if let refusal {
                    try f.expectRefusal(refusal) {
                        try f.store.makeAdvance(order: code, amount: amount, reference: "UNC tạm ứng", on: today)
                    }
                } else {
                    let a = try f.store.makeAdvance(order: code, amount: amount, reference: "UNC tạm ứng", on: today)
                    model.advances += 1
                    model.advanced += amount
                    #expect(a.number == model.advances && a.limitShare == model.limit, "\(context)")
                }
            case 6...7:  // a recovery
                if amount > model.outstanding {
                    try f.expectRefusal(
                        .recoveryExceedsOutstanding(order: code, amount: amount, outstanding: model.outstanding)
                    ) {
                        try f.store.recoverAdvance(order: code, amount: amount, reason: "Hoàn trả tạm ứng", on: today)
                    }
                } else {
                    let r = try f.store.recoverAdvance(
                        order: code, amount: amount, reason: "Hoàn trả tạm ứng", on: today)
                    model.advances += 1
                    model.recovered += amount
                    #expect(r.number == model.advances, "\(context)")
                }
            case 8...13:  // a payment recorded directly, or through a request (state only)
                let output = Int.random(in: 1...2, using: &random)
                let source: FundingSource = [.state, .state, .enterprise].randomElement(using: &random) ?? .state
                let viaRequest = source == .state && Bool.random(using: &random)
                let leftOutput = model.values[output - 1] - model.paid(output: output)
                let leftSource = model.committed[source, default: 0] - model.paid(source: source)
                let refusal: STOrdersError? =
                    !model.accepted[output - 1]
                    ? .outputNotAccepted(order: code, number: output)
                    : amount > leftOutput
                        ? .paymentExceedsOutput(
                            order: code, number: output, amount: amount, remaining: max(0, leftOutput), reserved: 0)
                        : amount > leftSource
                            ? .paymentExceedsFunding(
                                order: code, source: source, amount: amount, remaining: max(0, leftSource),
                                reserved: 0) : nil
                if let refusal {
                    try f.expectRefusal(refusal) {
                        if viaRequest {
                            try f.store.requestPayment(
                                order: code, output: output, amount: amount, source: source, on: today)
                        } else {
                            try f.store.recordPayment(
                                order: code, output: output, amount: amount, source: source, on: today)
                        }
                    }
                    continue
                }
                let settled = source == .state ? min(amount, model.outstanding) : 0
                let payment: Payment
                if viaRequest {
                    let r = try f.store.requestPayment(
                        order: code, output: output, amount: amount, source: source, on: today)
                    try f.store.approvePaymentRequest(order: code, number: r.number, on: today)
                    payment = try f.store.disbursePaymentRequest(
                        order: code, number: r.number, reference: "UNC giải ngân", on: today
                    ).payment
                } else {
                    payment = try f.store.recordPayment(
                        order: code, output: output, amount: amount, source: source, on: today)
                }
                #expect(payment.settled == settled, "\(context)")
                model.payments.append(
                    ModelPayment(output: output, amount: amount, source: source, settled: settled, reversible: true))
            case 14...16:  // a reversal of part of a payment
                guard
                    let k = model.payments.indices.filter({ model.payments[$0].reversible }).randomElement(
                        using: &random)
                else { continue }
                let p = model.payments[k]
                let reversed = min(p.amount, amount)
                let undone = min(p.settled, max(0, reversed - (p.amount - p.settled)))
                let r = try f.store.reversePayment(
                    order: code, payment: k + 1, amount: reversed, reason: "Điều chỉnh chi", on: today)
                #expect(r.settled == -undone, "\(context)")
                model.payments[k].reversible = false
                model.payments.append(
                    ModelPayment(
                        output: p.output, amount: -reversed, source: p.source, settled: -undone, reversible: false))
            case 17...18:  // the office changes the limit
                let limit: Int64? = [nil, 0, 1000, 3000, 10_000].randomElement(using: &random) ?? nil
                try f.store.setAdvanceLimit(basisPoints: limit)
                model.limit = limit
            default:  // the last acceptance delivers the order
                guard !model.accepted[1] else { continue }
                try f.store.acceptOutput(order: code, number: 2, on: today)
                model.accepted[1] = true
            }
            let d = try f.store.orderDetail(code: code)
            #expect(d.payments.map(\.settled) == model.payments.map(\.settled), "\(context)")
            #expect(
                d.advanceBalance
                    == AdvanceBalance(advanced: model.advanced, settled: model.settled, recovered: model.recovered),
                "\(context)")
            // The kept balance (advance_balances), what the inbox and the list read, is the same.
            #expect(try f.store.advances(order: code).balance == d.advanceBalance, "\(context)")
            let listed = try f.store.inbox(InboxFilter(asOf: today)).filter { $0.kind == .advance }
            #expect(listed.map(\.orderCode) == (model.outstanding > 0 ? [code] : []), "\(context)")
            #expect(model.outstanding >= 0, "\(context)")
            #expect(model.paid(source: .state) + model.outstanding <= model.budget, "\(context)")
        }
        // Closing: an order with advances outstanding is not commercialized until they are recovered.
        if model.delivered {
            if model.outstanding > 0 {
                try f.expectRefusal(
                    .advanceOutstanding(order: code, step: "commercialize", outstanding: model.outstanding)
                ) {
                    try f.store.commercialize(order: code, channel: .sale, revenue: 1, on: today)
                }
                try f.store.recoverAdvance(order: code, reason: "Hoàn trả phần còn lại", on: today)
            }
            try f.store.commercialize(order: code, channel: .sale, revenue: 1, on: today)
        } else if model.outstanding > 0 {
            try f.expectRefusal(.advanceOutstanding(order: code, step: "cancel", outstanding: model.outstanding)) {
                try f.store.cancel(order: code, reason: "Dừng thực hiện", on: today)
            }
        }
        let v = try f.store.verify()
        #expect(v.findings.isEmpty, "seed \(seed): \(v.findings)")
    }
}
