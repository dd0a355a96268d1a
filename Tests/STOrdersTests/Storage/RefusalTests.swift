import Testing

@testable import STOrders

/// Every refusal of docs/domain.md and the core issue: the right error, one line, and no change.
@Suite struct RefusalTests {
    @Test func unknownOrderEnterpriseAndOutput() throws {
        let f = try Fixture()
        let code = try f.funded()
        try f.expectRefusal({ $0 == .unknownOrder(code: "NO-SUCH") }) {
            try f.store.fund(order: "NO-SUCH", try Funding(stateBudget: 1, fundedOn: try day("2025-01-01")))
        }
        try f.expectRefusal({ $0 == .unknownEnterprise(taxCode: "0312345673") }) {
            try f.store.registerOrder(
                enterprise: try TaxCode(parsing: "0312345673"), title: "X", field: .science,
                on: try day("2025-01-01"))
        }
        try f.expectRefusal({ $0 == .unknownOutput(order: code, number: 3, count: 2) }) {
            try f.store.acceptOutput(order: code, number: 3, on: try day("2025-06-01"))
        }
        try f.expectRefusal({ $0 == .unknownOutput(order: code, number: 0, count: 2) }) {
            try f.store.recordPayment(order: code, output: 0, amount: 5, on: try day("2025-06-01"))
        }
    }

    @Test func duplicateTaxCodeAndOrderCode() throws {
        let f = try Fixture()
        try f.expectRefusal(.duplicateTaxCode("4601234560", existing: "Công ty TNHH Quang học Yên Bình")) {
            try f.store.addEnterprise(
                name: "Trùng mã", taxCode: try TaxCode(parsing: "46.0123.4560"),
                province: try Province.named("19"), on: try day("2025-01-01"))
        }
        _ = try f.ordered(code: "TN-2026-001")
        try f.expectRefusal(.duplicateOrderCode("tn-2026-001")) {
            try f.store.registerOrder(
                enterprise: f.enterprise, title: "Y", field: .science, code: "tn-2026-001",
                on: try day("2025-01-01"))
        }
    }

    @Test func badOrderCodesAndText() throws {
        let f = try Fixture()
        let letters = "expected letters A-Z, digits and . _ / - only (e.g. TN-2026-001)"
        for (bad, reason) in [
            ("", "expected 1 to 40 characters"), ("có dấu", letters), ("A B", letters),
            (String(repeating: "X", count: 41), "expected 1 to 40 characters"), ("x;drop", letters),
        ] {
            try f.expectRefusal(.invalidOrderCode(bad, reason: reason)) {
                try f.store.registerOrder(
                    enterprise: f.enterprise, title: "Y", field: .science, code: bad, on: try day("2025-01-01"))
            }
        }
        let empty = "it is empty; expected some text"
        for (bad, reason) in [
            ("", empty), ("   ", empty),
            ("tab\tinside", "it contains the control character U+0009; expected printable text"),
            ("line\nbreak", "it contains the control character U+000A; expected printable text"),
            (String(repeating: "ơ", count: 501), "it has 501 characters; at most 500 are accepted"),
        ] {
            try f.expectRefusal(.invalidText(what: "order title", reason: reason)) {
                try f.store.registerOrder(
                    enterprise: f.enterprise, title: bad, field: .science, on: try day("2025-01-01"))
            }
        }
    }

    @Test func outputsAreFixedOnceFunded() throws {
        let f = try Fixture()
        let code = try f.funded()
        try f.expectRefusal({
            $0
                == .transitionRefused(
                    code: code, from: .funded, action: "add an output",
                    needs: "ordered (outputs are fixed once an order is funded)")
        }) {
            try f.store.addOutput(
                order: code, NewOutput(title: "Muộn", type: .service, novelty: .new, value: 1),
                on: try day("2025-06-01"))
        }
    }

    @Test func fundingNeedsOutputsAndMustCoverThem() throws {
        let f = try Fixture()
        let bare = try f.store.registerOrder(
            enterprise: f.enterprise, title: "Chưa có sản phẩm", field: .science,
            on: try day("2025-01-01"))
        try f.expectRefusal({ $0 == .noOutputs(order: bare.code) }) {
            try f.store.fund(order: bare.code, try Funding(stateBudget: 5, fundedOn: try day("2025-02-01")))
        }
        let code = try f.ordered()
        try f.expectRefusal({ $0 == .fundingInsufficient(order: code, funding: 1_999_999_999, outputs: 2_000_000_000) })
        {
            try f.store.fund(
                order: code,
                try Funding(
                    stateBudget: 1_000_000_000, enterpriseFunds: 999_999_999,
                    fundedOn: try day("2025-04-01")))
        }
        #expect(throws: STOrdersError.otherSourceMissing) {
            try Funding(other: 5, fundedOn: try day("2025-04-01"))
        }
        #expect(throws: STOrdersError.otherSourceWithoutAmount) {
            try Funding(stateBudget: 5, otherSource: "PPP", fundedOn: try day("2025-04-01"))
        }
        #expect(throws: STOrdersError.amountOverflow) {
            try Funding(stateBudget: Int64.max, enterpriseFunds: 1, fundedOn: try day("2025-04-01"))
        }
    }

    @Test func acceptanceOnlyWhileFundedAndOnlyOnce() throws {
        let f = try Fixture()
        let ordered = try f.ordered()
        try f.expectRefusal({
            $0 == .transitionRefused(code: ordered, from: .ordered, action: "accept an output", needs: "funded")
        }) {
            try f.store.acceptOutput(order: ordered, number: 1, on: try day("2025-06-01"))
        }
        let funded = try f.funded()
        try f.store.acceptOutput(order: funded, number: 1, on: try day("2025-06-01"))
        try f.expectRefusal({ $0 == .outputAlreadyAccepted(order: funded, number: 1, on: try! day("2025-06-01")) }) {
            try f.store.acceptOutput(order: funded, number: 1, on: try day("2025-06-02"))
        }
    }

    @Test func paymentsNeedAnAcceptedOutputAndStayWithinItsValue() throws {
        let f = try Fixture()
        let code = try f.funded()
        try f.expectRefusal({ $0 == .outputNotAccepted(order: code, number: 1) }) {
            try f.store.recordPayment(order: code, output: 1, amount: 1, on: try day("2025-06-01"))
        }
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-06-01"))
        try f.store.recordPayment(order: code, output: 1, amount: 1_000_000_000, on: try day("2025-06-02"))
        try f.expectRefusal({
            $0 == .paymentExceedsOutput(order: code, number: 1, amount: 200_000_001, remaining: 200_000_000)
        }) {
            try f.store.recordPayment(
                order: code, output: 1, amount: 200_000_001, source: .enterprise, on: try day("2025-06-03"))
        }
        // Within the output's value but beyond what the state budget committed (1.2 billion, 1.0 paid).
        try f.store.acceptOutput(order: code, number: 2, on: try day("2025-06-01"))
        try f.expectRefusal({
            $0 == .paymentExceedsFunding(order: code, source: .state, amount: 300_000_000, remaining: 200_000_000)
        }) {
            try f.store.recordPayment(
                order: code, output: 2, amount: 300_000_000, source: .state, on: try day("2025-06-03"))
        }
        let ordered = try f.ordered()
        try f.expectRefusal(
            .transitionRefused(
                code: ordered, from: .ordered, action: "record a payment",
                needs: "funded, delivered or commercialized")
        ) {
            try f.store.recordPayment(order: ordered, output: 1, amount: 1, on: try day("2025-06-03"))
        }
    }

    @Test func transitionsTheStateMachineRefuses() throws {
        let f = try Fixture()
        let funded = try f.funded()
        try f.expectRefusal({
            $0
                == .transitionRefused(
                    code: funded, from: .funded, action: "commercialize",
                    needs: "delivered (or commercialized, to record a further result)")
        }) {
            try f.store.commercialize(order: funded, channel: .sale, revenue: 1, on: try day("2026-01-01"))
        }
        try f.expectRefusal({ $0 == .transitionRefused(code: funded, from: .funded, action: "fund", needs: "ordered") })
        {
            try f.store.fund(order: funded, try Funding(stateBudget: 5_000_000_000, fundedOn: try day("2025-05-01")))
        }
        for (code, state) in [(try f.delivered(), OrderState.delivered), (try f.commercialized(), .commercialized)] {
            try f.expectRefusal(
                .transitionRefused(
                    code: code, from: state, action: "cancel",
                    needs: "ordered or funded (a delivered order is never cancelled)")
            ) {
                try f.store.cancel(order: code, reason: "Thử hủy", on: try day("2026-06-01"))
            }
        }
        let cancelled = try f.cancelled()
        for (action, needs, attempt) in [
            (
                "cancel", "ordered or funded (it is already cancelled)",
                { try f.store.cancel(order: cancelled, reason: "Lần nữa", on: try day("2026-06-01")) }
            ),
            (
                "fund", "ordered",
                {
                    try f.store.fund(
                        order: cancelled, try Funding(stateBudget: 5_000_000_000, fundedOn: try day("2026-06-01")))
                }
            ),
            (
                "commercialize", "delivered (or commercialized, to record a further result)",
                { try f.store.commercialize(order: cancelled, channel: .sale, revenue: 1, on: try day("2026-06-01")) }
            ),
            (
                "accept an output", "funded",
                { try f.store.acceptOutput(order: cancelled, number: 1, on: try day("2026-06-01")) }
            ),
            (
                "add an output", "ordered (outputs are fixed once an order is funded)",
                {
                    _ = try f.store.addOutput(
                        order: cancelled, NewOutput(title: "X", type: .model, novelty: .new, value: 1),
                        on: try day("2026-06-01"))
                }
            ),
        ] as [(String, String, () throws -> Void)] {
            try f.expectRefusal(
                .transitionRefused(code: cancelled, from: .cancelled, action: action, needs: needs),
                { try attempt() })
        }
    }

    @Test func datesCannotPrecedeWhatTheyFollow() throws {
        let f = try Fixture()
        let code = try f.ordered()
        try f.expectRefusal(
            .dateBefore(
                what: "funding", date: try day("2025-03-09"), earlier: "the order's registration",
                earliest: try day("2025-03-10"))
        ) {
            try f.store.fund(order: code, try Funding(stateBudget: 2_000_000_000, fundedOn: try day("2025-03-09")))
        }
        let funded = try f.funded()
        try f.expectRefusal(
            .dateBefore(
                what: "acceptance", date: try day("2025-04-01"), earlier: "the order's funding",
                earliest: try day("2025-04-02"))
        ) {
            try f.store.acceptOutput(order: funded, number: 1, on: try day("2025-04-01"))
        }
        try f.store.acceptOutput(order: funded, number: 1, on: try day("2025-07-01"))
        try f.expectRefusal(
            .dateBefore(
                what: "payment", date: try day("2025-06-30"), earlier: "the output's acceptance",
                earliest: try day("2025-07-01"))
        ) {
            try f.store.recordPayment(order: funded, output: 1, amount: 1, on: try day("2025-06-30"))
        }
        let delivered = try f.delivered()
        try f.expectRefusal(
            .dateBefore(
                what: "commercialization", date: try day("2025-11-19"), earlier: "the order's delivery",
                earliest: try day("2025-11-20"))
        ) {
            try f.store.commercialize(order: delivered, channel: .sale, revenue: 1, on: try day("2025-11-19"))
        }
        try f.expectRefusal(
            .dateBefore(
                what: "cancellation", date: try day("2025-03-09"), earlier: "the order's registration",
                earliest: try day("2025-03-10"))
        ) {
            try f.store.cancel(order: code, reason: "Quá sớm", on: try day("2025-03-09"))
        }
        // Its output was accepted on 2025-07-01: a cancellation follows every step, not only the funding.
        try f.expectRefusal(
            .dateBefore(
                what: "cancellation", date: try day("2025-04-01"),
                earlier: "the acceptance of output 1", earliest: try day("2025-07-01"))
        ) {
            try f.store.cancel(order: funded, reason: "Trước khi cấp kinh phí", on: try day("2025-04-01"))
        }
        try f.expectRefusal(
            .dateBefore(
                what: "output", date: try day("2025-03-01"), earlier: "the order's registration",
                earliest: try day("2025-03-10"))
        ) {
            try f.store.addOutput(
                order: code, NewOutput(title: "Sớm", type: .model, novelty: .new, value: 1), on: try day("2025-03-01"))
        }
    }

    /// The running totals add orders up: two orders' revenue in one year, province and field may
    /// pass Int64.max although each order's stays below it. The write is refused (nothing
    /// changes), and a report adding totals across provinces refuses rather than trapping or
    /// naming SQL.
    @Test func totalsThatOverflowAcrossOrdersAreRefused() throws {
        let f = try Fixture()
        let half = Int64.max / 2 + 1
        let a = try f.delivered()
        let b = try f.delivered()
        try f.store.commercialize(order: a, channel: .sale, revenue: half, on: try day("2026-03-01"))
        try f.expectRefusal({ $0 == .amountOverflow }) {
            try f.store.commercialize(order: b, channel: .sale, revenue: half, on: try day("2026-03-01"))
        }
        // The same revenue in another province, same field: each total holds, their sum does not.
        let c = try f.store.registerOrder(
            enterprise: f.startup, title: "Nền tảng số", field: .innovation, on: try day("2025-03-10")
        ).code
        try f.store.addOutput(
            order: c, NewOutput(title: "Nền tảng", type: .product, novelty: .new, value: 1_000_000),
            on: try day("2025-03-10"))
        try f.store.fund(
            order: c, try Funding(stateBudget: 1_000_000, enterpriseFunds: 0, fundedOn: try day("2025-04-01")))
        try f.store.acceptOutput(order: c, number: 1, on: try day("2025-05-01"))
        try f.store.commercialize(order: c, channel: .license, revenue: half, on: try day("2026-03-02"))
        #expect(throws: STOrdersError.amountOverflow) { try f.store.indicators(IndicatorRequest(years: 2026...2026)) }
        #expect(
            try f.store.indicators(IndicatorRequest(province: try Province.named("Hà Nội"), years: 2026...2026))
                .years.first?.total.figures.revenue == half)
    }

    @Test func amountsThatOverflowAreRefused() throws {
        let f = try Fixture()
        let code = try f.store.registerOrder(
            enterprise: f.enterprise, title: "Lớn", field: .science, on: try day("2025-01-01")
        ).code
        try f.store.addOutput(
            order: code, NewOutput(title: "A", type: .model, novelty: .new, value: Int64.max), on: try day("2025-01-01")
        )
        try f.expectRefusal({ $0 == .amountOverflow }) {
            try f.store.addOutput(
                order: code, NewOutput(title: "B", type: .model, novelty: .new, value: 1), on: try day("2025-01-01"))
        }
        let c = try f.commercialized()
        try f.store.commercialize(
            order: c, channel: .sale, revenue: Int64.max - 4_500_000_000, on: try day("2026-03-01"))
        try f.expectRefusal({ $0 == .amountOverflow }) {
            try f.store.commercialize(order: c, channel: .sale, revenue: 1, on: try day("2026-03-02"))
        }
    }
}
