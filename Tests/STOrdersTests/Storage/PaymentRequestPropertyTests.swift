import Testing

@testable import STOrders

/// Property-based test of the payment requests (docs/requests.md): random sequences of
/// requests, approvals, returns, disbursements, direct payments, reversals and an acceptance on
/// one funded order, against a small reference model written here with plain values (it calls
/// none of the product's rules: not `PaymentRequestState.next`, not `requireWithinRemaining`).
/// After every step the store accepted exactly what the model accepts (a refusal with the
/// model's error, changing nothing), and the order reads back as the model has it: every
/// request's state and dates, the payment that paid it, and what each output has been paid.
///
/// Seeded: 12 sequences × 40 steps; `STORDERS_LONG_TESTS=1` runs 100 × 80; `STORDERS_SEED` replays.
@Suite("payment request properties")
struct PaymentRequestPropertyTests {
    static var sequences: Int { longTests ? 100 : 12 }
    static var steps: Int { longTests ? 80 : 40 }

    struct ModelRequest: Equatable {
        var output: Int
        var amount: Int64
        var source: FundingSource
        var state: String  // "requested", "approved", "returned", "paid"
        var approved: Day?
        var returned: Day?
        var payment: Int?
    }

    struct ModelPayment {
        var output: Int
        var amount: Int64
        var source: FundingSource
        var reversible: Bool
    }

    struct Model {
        var values: [Int64] = [1_200_000_000, 800_000_000]
        var committed: [FundingSource: Int64] = [.state: 1_200_000_000, .enterprise: 900_000_000, .other: 0]
        var accepted: [Bool] = [true, false]
        var requests: [ModelRequest] = []
        var payments: [ModelPayment] = []

        func open(_ r: ModelRequest) -> Bool { r.state == "requested" || r.state == "approved" }
        func paid(output: Int) -> Int64 { payments.filter { $0.output == output }.reduce(0) { $0 + $1.amount } }
        func paid(source: FundingSource) -> Int64 {
            payments.filter { $0.source == source }.reduce(0) { $0 + $1.amount }
        }

        /// The money rule as the model states it: nil when `amount` fits, leaving out request `except`.
        func moneyRefusal(code: String, output: Int, amount: Int64, source: FundingSource, except: Int?)
            -> STOrdersError?
        {
            let others = requests.enumerated().filter { open($0.element) && $0.offset + 1 != except }.map(\.element)
            let heldOutput = others.filter { $0.output == output }.reduce(0) { $0 + $1.amount }
            let leftOutput = values[output - 1] - paid(output: output) - heldOutput
            if amount > leftOutput {
                return .paymentExceedsOutput(
                    order: code, number: output, amount: amount, remaining: max(0, leftOutput), reserved: heldOutput)
            }
            let heldSource = others.filter { $0.source == source }.reduce(0) { $0 + $1.amount }
            let leftSource = (committed[source] ?? 0) - paid(source: source) - heldSource
            if amount > leftSource {
                return .paymentExceedsFunding(
                    order: code, source: source, amount: amount, remaining: max(0, leftSource), reserved: heldSource)
            }
            return nil
        }

        func stateRefusal(code: String, number: Int, step: String, allowed: [String], needs: String)
            -> STOrdersError?
        {
            guard number <= requests.count else {
                return .unknownPaymentRequest(order: code, number: number, count: requests.count)
            }
            let state = requests[number - 1].state
            if allowed.contains(state) { return nil }
            return .paymentRequestStateRefused(
                order: code, number: number, state: PaymentRequestState(rawValue: state) ?? .requested, step: step,
                needs: needs)
        }
    }

    @Test func paymentRequestsFollowTheReferenceModel() throws {
        var seeds = SeededRandom.fromEnvironment(fallback: 0x9A7E_5EED)
        for _ in 0..<Self.sequences {
            try run(seed: seeds.next())
        }
    }

    func run(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let f = try Fixture()
        let code = try f.funded()
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-05-01"))
        var model = Model()
        var today = try day("2025-05-02")
        for step in 0..<Self.steps {
            today = today.adding(days: Int.random(in: 0...3, using: &random))
            let context = "seed \(seed) step \(step)"
            let output = Int.random(in: 1...2, using: &random)
            let amount = Int64(Int.random(in: 1...9, using: &random)) * 100_000_000
            let source: FundingSource = [.state, .enterprise, .other].randomElement(using: &random) ?? .state
            let number = Int.random(in: 1...(model.requests.count + 1), using: &random)
            switch Int.random(in: 0..<20, using: &random) {
            case 0...5:  // an enterprise's request
                let refusal =
                    !model.accepted[output - 1]
                    ? .outputNotAccepted(order: code, number: output)
                    : model.moneyRefusal(code: code, output: output, amount: amount, source: source, except: nil)
                if let refusal {
                    try f.expectRefusal(refusal) {
                        try f.store.requestPayment(
                            order: code, output: output, amount: amount, source: source, on: today)
                    }
                } else {
                    let r = try f.store.requestPayment(
                        order: code, output: output, amount: amount, source: source, on: today)
                    #expect(r.number == model.requests.count + 1, "\(context)")
                    model.requests.append(
                        ModelRequest(output: output, amount: amount, source: source, state: "requested"))
                }
            case 6...8:  // an approval
                if let refusal = model.stateRefusal(
                    code: code, number: number, step: "approve", allowed: ["requested"], needs: "requested")
                {
                    try f.expectRefusal(refusal) {
                        try f.store.approvePaymentRequest(order: code, number: number, on: today)
                    }
                } else {
                    try f.store.approvePaymentRequest(order: code, number: number, on: today)
                    model.requests[number - 1].state = "approved"
                    model.requests[number - 1].approved = today
                }
            case 9...10:  // a return
                if let refusal = model.stateRefusal(
                    code: code, number: number, step: "return", allowed: ["requested", "approved"],
                    needs: "requested or approved")
                {
                    try f.expectRefusal(refusal) {
                        try f.store.returnPaymentRequest(order: code, number: number, reason: "Thiếu hồ sơ", on: today)
                    }
                } else {
                    try f.store.returnPaymentRequest(order: code, number: number, reason: "Thiếu hồ sơ", on: today)
                    model.requests[number - 1].state = "returned"
                    model.requests[number - 1].returned = today
                }
            case 11...14:  // a disbursement
                if let refusal = model.stateRefusal(
                    code: code, number: number, step: "disburse", allowed: ["approved"], needs: "approved")
                {
                    try f.expectRefusal(refusal) {
                        try f.store.disbursePaymentRequest(order: code, number: number, reference: "UNC", on: today)
                    }
                } else {
                    let (r, p) = try f.store.disbursePaymentRequest(
                        order: code, number: number, reference: "UNC \(step)", on: today)
                    let q = model.requests[number - 1]
                    model.payments.append(
                        ModelPayment(output: q.output, amount: q.amount, source: q.source, reversible: true))
                    model.requests[number - 1].state = "paid"
                    model.requests[number - 1].payment = model.payments.count
                    #expect(p.number == model.payments.count && p.amount == q.amount, "\(context)")
                    #expect(r.paidOn == today && r.reference == "UNC \(step)", "\(context)")
                }
            case 15...16:  // a payment recorded directly: the open requests hold their part
                let refusal =
                    !model.accepted[output - 1]
                    ? .outputNotAccepted(order: code, number: output)
                    : model.moneyRefusal(code: code, output: output, amount: amount, source: source, except: nil)
                if let refusal {
                    try f.expectRefusal(refusal) {
                        try f.store.recordPayment(
                            order: code, output: output, amount: amount, source: source, on: today)
                    }
                } else {
                    try f.store.recordPayment(order: code, output: output, amount: amount, source: source, on: today)
                    model.payments.append(
                        ModelPayment(output: output, amount: amount, source: source, reversible: true))
                }
            case 17...18:  // a reversal of a whole payment, which frees its amount again
                guard
                    let i = model.payments.indices.filter({ model.payments[$0].reversible }).randomElement(
                        using: &random)
                else { break }
                try f.store.reversePayment(order: code, payment: i + 1, reason: "Chi nhầm", on: today)
                let p = model.payments[i]
                model.payments[i].reversible = false
                model.payments.append(
                    ModelPayment(output: p.output, amount: -p.amount, source: p.source, reversible: false))
            default:  // output 2's acceptance
                if !model.accepted[1] {
                    try f.store.acceptOutput(order: code, number: 2, on: today)
                    model.accepted[1] = true
                }
            }
            let d = try f.store.orderDetail(code: code)
            let got = d.paymentRequests.map {
                ModelRequest(
                    output: $0.outputNumber, amount: $0.amount, source: $0.source, state: $0.state.rawValue,
                    approved: $0.approvedOn, returned: $0.returnedOn, payment: $0.paymentNumber)
            }
            #expect(got == model.requests, "\(context)")
            #expect(d.outputs.map(\.paid) == [model.paid(output: 1), model.paid(output: 2)], "\(context)")
            #expect(d.payments.count == model.payments.count, "\(context)")
        }
        let v = try f.store.verify()
        #expect(v.findings.isEmpty, "seed \(seed): \(v.findings)")
    }
}
