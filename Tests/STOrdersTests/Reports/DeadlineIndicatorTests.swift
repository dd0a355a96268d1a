import Testing

@testable import STOrders

/// The deadlines' two indicators (docs/deadlines.md): the share of the year's accepted outputs
/// with a due date that were accepted on or before their due date in force, and the orders past
/// their contract's end (funded, neither delivered nor cancelled, the contract's end in force
/// before the year's last day, or the report's day if earlier). Every number worked out by hand.
@Suite struct DeadlineIndicatorTests {
    /// Four orders of the fixture's Thái Nguyên enterprise, all science but the last:
    /// A, due 2025-12-31 and 2026-03-31, contract to 2026-06-30: output 1 accepted 2025-12-20 (on
    /// time); output 2 extended to 2026-05-31 on 2026-03-01, accepted 2026-04-15 (late by its first
    /// date, on time by the one in force); so A is delivered 2026-04-15.
    /// B, the same dates: output 1 accepted 2026-01-10 (late); output 2 never: funded still.
    /// C, the same dates, nothing accepted; its contract's end extended to 2026-12-31 on 2026-06-01.
    /// D (the fixture's delivered order, innovation): no due dates, no contract period, its two
    /// outputs accepted in 2025: in neither figure.
    static func make() throws -> (Fixture, a: String, b: String, c: String) {
        let f = try Fixture()
        let a = try DeadlinesTests.orderWithDues(f, due2: try day("2026-03-31"))
        try DeadlinesTests.period(f, a)
        try f.store.acceptOutput(order: a, number: 1, on: try day("2025-12-20"))
        try f.store.amend(
            order: a, .output(2), to: try day("2026-05-31"), reason: "Chờ thiết bị nhập khẩu",
            on: try day("2026-03-01"))
        try f.store.acceptOutput(order: a, number: 2, on: try day("2026-04-15"))
        let b = try DeadlinesTests.orderWithDues(f, due2: try day("2026-03-31"))
        try DeadlinesTests.period(f, b)
        try f.store.acceptOutput(order: b, number: 1, on: try day("2026-01-10"))
        let c = try DeadlinesTests.orderWithDues(f, due2: try day("2026-03-31"))
        try DeadlinesTests.period(f, c)
        try f.store.amend(
            order: c, .contractEnd, to: try day("2026-12-31"), reason: "Gia hạn hợp đồng theo quyết định số 12",
            on: try day("2026-06-01"))
        _ = try f.delivered()
        return (f, a, b, c)
    }

    static func value(_ report: IndicatorReport, _ year: Int, _ key: IndicatorKey) -> IndicatorValue? {
        report.years.first { $0.year == year }?.total[key]?.value
    }

    @Test func theShareOfOutputsAcceptedOnTimeCountsTheExtendedDate() throws {
        let (f, a, _, _) = try Self.make()
        #expect(try f.store.orderDetail(code: a).order.state == .delivered)
        let report = try f.store.indicators(IndicatorRequest(years: 2025...2026, asOf: try day("2026-11-30")))
        // 2025: A's output 1, on time (D's outputs have no due date): 1 of 1.
        #expect(Self.value(report, 2025, .outputsOnTimeShare) == .ratio(try #require(Ratio(1, 1))))
        #expect(Self.value(report, 2025, .newOrImprovedOutputs) == .count(3))
        // 2026: A's output 2 on time by its extension, B's output 1 late: 1 of 2.
        #expect(Self.value(report, 2026, .outputsOnTimeShare) == .ratio(try #require(Ratio(1, 2))))
        let y2026 = try #require(report.years.last)
        #expect(y2026.total.figures.outputsWithDueDate == 2 && y2026.total.figures.outputsOnTime == 1)
        let science = try #require(y2026.byField.first { $0.field == .science }?.indicators)
        #expect(science[.outputsOnTimeShare]?.value == .ratio(try #require(Ratio(1, 2))))
        let innovation = try #require(y2026.byField.first { $0.field == .innovation }?.indicators)
        #expect(innovation[.outputsOnTimeShare]?.value == nil)
        // The kept totals equal the records.
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func ordersPastTheirContractsEndOnTheDayTheyAreCountedAsOf() throws {
        let (f, _, _, _) = try Self.make()
        func past(_ year: Int, asOf: String) throws -> IndicatorValue? {
            let report = try f.store.indicators(IndicatorRequest(years: year...year, asOf: try day(asOf)))
            return Self.value(report, year, .ordersPastContractEnd)
        }
        // 2025, as of its last day: every contract runs to 2026-06-30.
        #expect(try past(2025, asOf: "2026-11-30") == .count(0))
        // On the end day itself nothing is past it; the day after, B is (A is delivered, C extended).
        #expect(try past(2026, asOf: "2026-06-30") == .count(0))
        #expect(try past(2026, asOf: "2026-07-01") == .count(1))
        #expect(try past(2026, asOf: "2026-11-30") == .count(1))
        // After C's extended end, both B and C.
        #expect(try past(2027, asOf: "2027-01-05") == .count(2))
        // A year that starts after the day counted as of has nothing counted.
        #expect(try past(2027, asOf: "2026-11-30") == .count(0))
        // Cancelling B takes it out from its cancellation on, not before.
        let (g, _, b, _) = try Self.make()
        try g.store.cancel(order: b, reason: "Doanh nghiệp không tiếp tục", on: try day("2026-09-01"))
        let before = try g.store.indicators(IndicatorRequest(years: 2026...2026, asOf: try day("2026-08-31")))
        let after = try g.store.indicators(IndicatorRequest(years: 2026...2026, asOf: try day("2026-09-01")))
        #expect(Self.value(before, 2026, .ordersPastContractEnd) == .count(1))
        #expect(Self.value(after, 2026, .ordersPastContractEnd) == .count(0))
    }

    @Test func theProvincesReportCarriesBothForTheFixturesProvince() throws {
        let (f, _, _, _) = try Self.make()
        let rows = try f.store.provinceIndicators(year: 2026, asOf: try day("2026-11-30"))
        let thaiNguyen = try #require(rows.first { $0.province == (try Province.named("Thái Nguyên")) })
        #expect(thaiNguyen.indicators[.ordersPastContractEnd]?.value == .count(1))
        #expect(thaiNguyen.indicators[.outputsOnTimeShare]?.value == .ratio(try #require(Ratio(1, 2))))
        let haNoi = try #require(rows.first { $0.province == (try Province.named("Hà Nội")) })
        #expect(haNoi.indicators[.ordersPastContractEnd]?.value == .count(0))
        #expect(haNoi.indicators[.outputsOnTimeShare]?.value == nil)
    }
}
