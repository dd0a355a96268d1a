import Testing

@testable import STOrders

/// The state budget paid per accepted output is rounded to the nearest đồng, a half upwards,
/// worked by hand: the Fixture's order has two outputs accepted in 2025.
@Suite struct PerOutputRoundingTests {
    func perOutput(stateBudgetPaid: Int64) throws -> IndicatorValue? {
        let f = try Fixture()
        let code = try f.delivered()
        _ = try f.store.recordPayment(
            order: code, output: 1, amount: stateBudgetPaid, source: .state, on: day("2025-12-01"))
        let report = try f.store.indicators(IndicatorRequest(years: 2025...2025))
        let year = try #require(report.years.first)
        #expect(year.total[.newOrImprovedOutputs]?.value == .count(2))
        return year.total[.stateBudgetPaidPerOutput]?.value
    }

    @Test func aHalfDongRoundsUp() throws {
        // 600.000.001 / 2 = 300.000.000,5 → 300.000.001
        #expect(try perOutput(stateBudgetPaid: 600_000_001) == .money(300_000_001))
    }

    @Test func anExactShareIsKept() throws {
        #expect(try perOutput(stateBudgetPaid: 600_000_000) == .money(300_000_000))
    }
}
