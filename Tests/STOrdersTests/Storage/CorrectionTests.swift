import GRDB
import Testing

@testable import STOrders

/// Reversals and retractions: corrections are new entries, and every total counts them.
@Suite struct CorrectionTests {

    func paidStateBudget(_ store: Store, order: String) throws -> Int64? {
        var paid: Int64? = nil
        try store.forEachResult { if $0.orderCode == order { paid = $0.stateBudgetPaid } }
        return paid
    }

    func summary(_ store: Store, order: String) throws -> OrderSummary? {
        var found: OrderSummary? = nil
        try store.forEachOrder { if $0.order.code == order { found = $0 } }
        return found
    }

    @Test func reversalCountsInEveryTotal() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let s = t.store
        // 19-2025-0001: payment 1 is 1.200.000.000 from the state against output 1.
        let reversal = try s.reversePayment(
            order: "19-2025-0001", payment: 1, amount: 200_000_000,
            reason: "Chứng từ ghi thừa 200 triệu", on: day("2026-01-15"))
        #expect(
            reversal.number == 3 && reversal.amount == -200_000_000 && reversal.reverses == 1
                && reversal.outputNumber == 1)
        let d = try s.orderDetail(code: "19-2025-0001")
        #expect(d.outputs[0].paid == 1_000_000_000)
        #expect(d.paidTotal == 1_800_000_000)
        #expect(d.payments[0].reversedBy == 3)
        #expect(d.events.contains { $0.action == .paymentReversed && $0.details.contains("Chứng từ ghi thừa") })
        #expect(try summary(s, order: "19-2025-0001")?.paidTotal == 1_800_000_000)
        #expect(try paidStateBudget(s, order: "19-2025-0001") == 1_000_000_000)
        // The shared view gives each payment net of its reversal.
        let net = try t.raw().read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT number, amount, reversed, net FROM payments_net
                    WHERE order_id = (SELECT id FROM orders WHERE code = '19-2025-0001') ORDER BY number
                    """
            ).map { [$0[0], $0[1], $0[2], $0[3]] as [Int64] }
        }
        #expect(net == [[1, 1_200_000_000, 200_000_000, 1_000_000_000], [2, 800_000_000, 0, 800_000_000]])
        // What was reversed may be paid again, within the output and the source's funding.
        try s.recordPayment(
            order: "19-2025-0001", output: 1, amount: 200_000_000, source: .state, on: day("2026-01-20"))
        #expect(throws: STOrdersError.paymentExceedsOutput(order: "19-2025-0001", number: 1, amount: 1, remaining: 0)) {
            try s.recordPayment(order: "19-2025-0001", output: 1, amount: 1, source: .state, on: day("2026-01-21"))
        }
        #expect(try s.verify().findings == [])
    }

    @Test func reversalFreesTheSourceFunding() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        // 19-2025-0002: state budget 200.000.000 fully paid; output worth 350.000.000.
        #expect(
            throws: STOrdersError.paymentExceedsFunding(order: "19-2025-0002", source: .state, amount: 1, remaining: 0)
        ) {
            try t.store.recordPayment(
                order: "19-2025-0002", output: 1, amount: 1, source: .state, on: day("2026-03-01"))
        }
        try t.store.reversePayment(order: "19-2025-0002", payment: 1, reason: "Sai nguồn", on: day("2026-03-01"))
        try t.store.recordPayment(
            order: "19-2025-0002", output: 1, amount: 150_000_000, source: .enterprise, on: day("2026-03-02"))
        try t.store.recordPayment(
            order: "19-2025-0002", output: 1, amount: 200_000_000, source: .state, on: day("2026-03-02"))
        #expect(try t.store.orderDetail(code: "19-2025-0002").paidTotal == 350_000_000)
        #expect(try t.store.verify().findings == [])
    }

    @Test func reversalRefusalsChangeNothing() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let s = t.store
        try s.reversePayment(order: "19-2025-0001", payment: 2, reason: "Nhập trùng", on: day("2026-01-15"))
        let before = try t.fingerprint()
        let refusals: [(STOrdersError, () throws -> Void)] = try [
            (
                .paymentAlreadyReversed(order: "19-2025-0001", number: 2, by: 3),
                { try s.reversePayment(order: "19-2025-0001", payment: 2, reason: "lần hai", on: day("2026-01-16")) }
            ),
            (
                .reversalOfReversal(order: "19-2025-0001", number: 3, reverses: 2),
                { try s.reversePayment(order: "19-2025-0001", payment: 3, reason: "đảo lại", on: day("2026-01-16")) }
            ),
            (
                .reversalExceedsPayment(order: "19-2025-0001", number: 1, amount: 1_200_000_001, paid: 1_200_000_000),
                {
                    try s.reversePayment(
                        order: "19-2025-0001", payment: 1, amount: 1_200_000_001, reason: "quá", on: day("2026-01-16"))
                }
            ),
            (
                .unknownPayment(order: "19-2025-0001", number: 9, count: 3),
                { try s.reversePayment(order: "19-2025-0001", payment: 9, reason: "không có", on: day("2026-01-16")) }
            ),
            (
                .unknownPayment(order: "48-2026-0001", number: 1, count: 0),
                { try s.reversePayment(order: "48-2026-0001", payment: 1, reason: "không có", on: day("2026-07-16")) }
            ),
            (
                .dateBefore(
                    what: "reversal", date: day("2025-01-01"), earlier: "the payment", earliest: day("2025-09-30")),
                { try s.reversePayment(order: "19-2025-0001", payment: 1, reason: "sớm", on: day("2025-01-01")) }
            ),
            (
                .invalidText(what: "reason", reason: "it is empty; expected some text"),
                { try s.reversePayment(order: "19-2025-0001", payment: 1, reason: "  ", on: day("2026-01-16")) }
            ),
            (
                .invalidAmount("0", reason: "must be greater than zero"),
                {
                    try s.reversePayment(
                        order: "19-2025-0001", payment: 1, amount: 0, reason: "không", on: day("2026-01-16"))
                }
            ),
        ]
        for (expected, attempt) in refusals {
            let error = #expect(throws: STOrdersError.self) { try attempt() }
            #expect(error == expected, "got \(String(reflecting: error))")
        }
        #expect(try t.fingerprint() == before)
    }

    @Test func retractingTheLastResultReturnsTheOrderToDelivered() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let s = t.store
        // 19-2025-0002 has one result (internal use, 2026-03-01).
        let (result, state) = try s.retractResult(
            order: "19-2025-0002", result: 1, reason: "Ghi nhầm đơn hàng", on: day("2026-03-10"))
        #expect(try state == .delivered && result.retractedOn == day("2026-03-10"))
        let d = try s.orderDetail(code: "19-2025-0002")
        #expect(d.order.state == .delivered && d.order.commercializedOn == nil)
        #expect(d.results.count == 1 && d.liveResults.isEmpty && d.revenueTotal == 0)
        #expect(
            d.events.last?.action == .resultRetracted && d.events.last?.details.contains("returns to delivered") == true
        )
        var listed: [String] = []
        try s.forEachResult { listed.append("\($0.orderCode)#\($0.resultNumber)") }
        #expect(!listed.contains("19-2025-0002#1"))
        // It can be commercialized again; the new result is numbered after the retracted one.
        let again = try s.commercialize(
            order: "19-2025-0002", channel: .sale, revenue: 90_000_000, on: day("2026-04-01"))
        #expect(again.result.number == 2 && again.orderState == .commercialized)
        #expect(try s.orderDetail(code: "19-2025-0002").order.commercializedOn == day("2026-04-01"))
        #expect(try s.verify().findings == [])
    }

    @Test func retractingOneOfTwoKeepsTheOrderCommercializedFromTheEarliestStanding() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let s = t.store
        // 01-2025-0001: results 1 (2026-03-05, 1.100.000.000) and 2 (2026-06-30, 320.000.000).
        let (_, state) = try s.retractResult(
            order: "01-2025-0001", result: 1, reason: "Hợp đồng cấp phép bị hủy", on: day("2026-07-01"))
        #expect(state == .commercialized)
        let d = try s.orderDetail(code: "01-2025-0001")
        #expect(try d.order.commercializedOn == day("2026-06-30") && d.revenueTotal == 320_000_000)
        let before = try t.fingerprint()
        let retractedOn = try day("2026-07-01")
        #expect(throws: STOrdersError.resultAlreadyRetracted(order: "01-2025-0001", number: 1, on: retractedOn)) {
            try s.retractResult(order: "01-2025-0001", result: 1, reason: "lần hai", on: day("2026-07-02"))
        }
        #expect(throws: STOrdersError.unknownResult(order: "01-2025-0001", number: 3, count: 2)) {
            try s.retractResult(order: "01-2025-0001", result: 3, reason: "không có", on: day("2026-07-02"))
        }
        let early = try day("2026-06-01")
        let resultDay = try day("2026-06-30")
        #expect(
            throws: STOrdersError.dateBefore(
                what: "retraction", date: early, earlier: "the result", earliest: resultDay)
        ) {
            try s.retractResult(order: "01-2025-0001", result: 2, reason: "sớm", on: early)
        }
        #expect(try t.fingerprint() == before)
        #expect(try s.verify().findings == [])
    }
}
