import Testing

@testable import STOrders

/// `results list`'s filters and its state-budget column, against figures worked by hand.
@Suite struct ResultListTests {
    /// One order: outputs 1.2 and 0.8 billion, funded 1.2 billion by the state and 0.9 by the
    /// enterprise; paid 1.2 billion by the state and 0.5 by the enterprise; two results, a sale
    /// of 4.5 billion and a licence of 0.6 billion.
    func store() throws -> (Fixture, String) {
        let f = try Fixture()
        let code = try f.delivered()
        _ = try f.store.recordPayment(
            order: code, output: 1, amount: 1_200_000_000, source: .state, on: day("2025-12-01"))
        _ = try f.store.recordPayment(
            order: code, output: 2, amount: 500_000_000, source: .enterprise, on: day("2025-12-01"))
        _ = try f.store.commercialize(order: code, channel: .sale, revenue: 4_500_000_000, on: day("2026-02-10"))
        _ = try f.store.commercialize(order: code, channel: .license, revenue: 600_000_000, on: day("2026-05-01"))
        return (f, code)
    }

    func lines(_ store: Store, _ filter: ResultFilter = ResultFilter()) throws -> [ResultLine] {
        var lines: [ResultLine] = []
        try store.forEachResult(filter) { lines.append($0) }
        return lines
    }

    @Test func theChannelFilterKeepsOnlyThatChannel() throws {
        let (f, _) = try store()
        #expect(try lines(f.store).map(\.revenue) == [4_500_000_000, 600_000_000])
        #expect(try lines(f.store, ResultFilter(channel: .license)).map(\.revenue) == [600_000_000])
        #expect(try lines(f.store, ResultFilter(channel: .sale)).map(\.revenue) == [4_500_000_000])
        #expect(try lines(f.store, ResultFilter(channel: .transfer)).isEmpty)
    }

    @Test func theEnterpriseFilterKeepsOnlyItsOrders() throws {
        let (f, _) = try store()
        #expect(try lines(f.store, ResultFilter(enterprise: f.enterprise)).count == 2)
        #expect(try lines(f.store, ResultFilter(enterprise: f.startup)).isEmpty)
    }

    /// The column is the state budget's payments only: 1.2 billion, not the 1.7 billion paid in all.
    @Test func theStateBudgetPaidCountsTheStateSourceOnly() throws {
        let (f, _) = try store()
        #expect(try lines(f.store).map(\.stateBudgetPaid) == [1_200_000_000, 1_200_000_000])
        #expect(try lines(f.store).map(\.outputs) == [2, 2])
    }
}
