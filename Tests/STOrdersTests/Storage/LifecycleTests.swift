import Testing

@testable import STOrders

@Suite struct LifecycleTests {
    @Test func theSeedStoryFromOrderToCommercialization() throws {
        let f = try Fixture()
        let code = try f.ordered()
        #expect(code == "19-2025-0001")
        try f.store.fund(
            order: code,
            try Funding(
                stateBudget: 1_200_000_000, enterpriseFunds: 900_000_000,
                fundedOn: try day("2025-04-02")))
        let first = try f.store.acceptOutput(
            order: code, number: 1, evidence: "Biên bản nghiệm thu số 12", on: try day("2025-09-15"))
        #expect(first.orderState == .funded)
        try f.store.recordPayment(
            order: code, output: 1, amount: 1_200_000_000, source: .state, reference: "UNC 0142",
            on: try day("2025-09-30"))
        let last = try f.store.acceptOutput(order: code, number: 2, on: try day("2025-11-20"))
        #expect(last.orderState == .delivered)
        try f.store.recordPayment(
            order: code, output: 2, amount: 500_000_000, source: .enterprise, on: try day("2025-12-01"))
        let (result, state) = try f.store.commercialize(
            order: code, channel: .sale, revenue: 4_500_000_000,
            note: "Hợp đồng xuất khẩu", on: try day("2026-02-10"))
        #expect(state == .commercialized)
        #expect(result.number == 1)
        let again = try f.store.commercialize(
            order: code, channel: .license, revenue: 300_000_000, on: try day("2026-05-01"))
        #expect(again.result.number == 2)

        let d = try f.store.orderDetail(code: code)
        #expect(d.order.state == .commercialized)
        #expect(d.order.fundedOn == (try day("2025-04-02")))
        #expect(d.order.deliveredOn == (try day("2025-11-20")))
        #expect(d.order.commercializedOn == (try day("2026-02-10")))
        #expect(d.outputs.map(\.paid) == [1_200_000_000, 500_000_000])
        #expect(d.paidTotal == 1_700_000_000)
        #expect(d.funding?.total == 2_100_000_000)
        #expect(d.revenueTotal == 4_800_000_000)
        #expect(
            d.events.map(\.action) == [
                .registered, .outputAdded, .outputAdded, .funded, .outputAccepted,
                .paymentRecorded, .outputAccepted, .delivered, .paymentRecorded,
                .commercialized, .resultRecorded,
            ])
        #expect(d.events.allSatisfy { $0.actor == "kiểm thử" })
        #expect(d.outputs[0].evidence == "Biên bản nghiệm thu số 12")
    }

    @Test func deliveredOnIsTheLastAcceptanceEvenWhenEnteredOutOfOrder() throws {
        let f = try Fixture()
        let code = try f.funded()
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-10-10"))
        try f.store.acceptOutput(order: code, number: 2, on: try day("2025-06-01"))
        #expect(try f.store.orderDetail(code: code).order.deliveredOn == (try day("2025-10-10")))
    }

    @Test func generatedCodesCountPerProvinceAndYear() throws {
        let f = try Fixture()
        let a = try f.store.registerOrder(
            enterprise: f.enterprise, title: "A", field: .science, on: try day("2025-01-05"))
        let b = try f.store.registerOrder(
            enterprise: f.enterprise, title: "B", field: .science, on: try day("2025-02-05"))
        let c = try f.store.registerOrder(
            enterprise: f.enterprise, title: "C", field: .science, on: try day("2026-01-05"))
        let d = try f.store.registerOrder(
            enterprise: f.enterprise, title: "D", field: .digital,
            province: try Province.named("hcmc"), on: try day("2026-01-05"))
        let e = try f.store.registerOrder(enterprise: f.startup, title: "E", field: .digital, on: try day("2026-01-05"))
        #expect(
            [a, b, c, d, e].map(\.code) == [
                "19-2025-0001", "19-2025-0002", "19-2026-0001", "79-2026-0001", "01-2026-0001",
            ])
        #expect(a.province.name == "Thái Nguyên")
        #expect(d.province.name == "Thành phố Hồ Chí Minh")
        let custom = try f.store.registerOrder(
            enterprise: f.enterprise, title: "F", field: .science, code: "TN-2026-001",
            on: try day("2026-01-05"))
        #expect(custom.code == "TN-2026-001")
        #expect(try f.store.orderDetail(code: "tn-2026-001").order.code == "TN-2026-001")
    }

    @Test func cancelFromOrderedAndFunded() throws {
        let f = try Fixture()
        let a = try f.ordered()
        let b = try f.funded()
        for code in [a, b] {
            let o = try f.store.cancel(order: code, reason: "Thay đổi kế hoạch", on: try day("2025-06-01"))
            #expect(o.state == .cancelled)
            #expect(o.cancelReason == "Thay đổi kế hoạch")
        }
        #expect(try f.store.orderDetail(code: b).order.fundedOn != nil)
    }

    @Test func paymentsFromEachSourceWithinWhatItCommitted() throws {
        let f = try Fixture()
        let code = try f.ordered()
        try f.store.fund(
            order: code,
            try Funding(
                stateBudget: 1_000_000_000, enterpriseFunds: 700_000_000, other: 300_000_000,
                otherSource: "Quỹ đầu tư mạo hiểm", fundedOn: try day("2025-04-02")))
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-05-01"))
        try f.store.recordPayment(
            order: code, output: 1, amount: 1_000_000_000, source: .state, on: try day("2025-05-02"))
        try f.store.recordPayment(
            order: code, output: 1, amount: 200_000_000, source: .other, on: try day("2025-05-02"))
        try f.expectRefusal(.paymentExceedsOutput(order: code, number: 1, amount: 1, remaining: 0)) {
            try f.store.recordPayment(order: code, output: 1, amount: 1, source: .enterprise, on: try day("2025-05-03"))
        }
        try f.store.acceptOutput(order: code, number: 2, on: try day("2025-05-01"))
        try f.expectRefusal(.paymentExceedsFunding(order: code, source: .state, amount: 1, remaining: 0)) {
            try f.store.recordPayment(order: code, output: 2, amount: 1, source: .state, on: try day("2025-05-03"))
        }
        try f.expectRefusal(
            .paymentExceedsFunding(order: code, source: .other, amount: 100_000_001, remaining: 100_000_000)
        ) {
            try f.store.recordPayment(
                order: code, output: 2, amount: 100_000_001, source: .other, on: try day("2025-05-03"))
        }
        try f.store.recordPayment(
            order: code, output: 2, amount: 100_000_000, source: .other, on: try day("2025-05-03"))
        try f.store.recordPayment(
            order: code, output: 2, amount: 700_000_000, source: .enterprise, on: try day("2025-05-03"))
        #expect(try f.store.orderDetail(code: code).paidTotal == 2_000_000_000)
    }
}
