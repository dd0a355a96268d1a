import GRDB

/// Everything the HTML dashboard shows for one year and one province (or all): the indicators
/// against their targets (with the figures behind the funnel and the money chart), the trend
/// over the years present, the orders of the year by province and field (the technology map)
/// and the year's commercialized results.
public struct Dashboard: Sendable {
    public var year: Int
    public var province: Province?
    public var current: YearIndicators
    /// Every year from the first dated record to the last (and the report's year).
    public var trend: [YearIndicators]
    /// Orders registered in the year, per province (every province with at least one) and field.
    public var map: [MapRow]
    public var results: [ResultLine]
    public var notes: [String]
    /// When it was made (UTC, ISO-8601).
    public var generatedAt: String

    public struct MapRow: Sendable, Equatable {
        public var province: Province
        public var orders: [Field: Int64]
        public var total: Int64 { orders.values.reduce(0, +) }
    }
}

extension Store {
    /// The dashboard of `year` for `province` (nil: all provinces).
    public func dashboard(year: Int, province: Province? = nil) throws -> Dashboard {
        _ = try IndicatorRequest.years(from: year, to: year)
        let present = try yearsPresent()
        var first = min(present?.lowerBound ?? year, year), last = max(present?.upperBound ?? year, year)
        if last - first >= IndicatorRequest.maxYears {
            // Keep the years nearest the report's.
            first = max(first, year - IndicatorRequest.maxYears / 2)
            last = min(last, first + IndicatorRequest.maxYears - 1)
        }
        let report = try indicators(IndicatorRequest(province: province, years: first...last))
        guard let current = report.years.first(where: { $0.year == year }) else {
            throw STOrdersError.invalidYearRange(from: first, to: last, reason: "the report's year is outside them")
        }
        let map = try read { db -> [Dashboard.MapRow] in
            let figures = try FigureQuery(grouping: .province, province: nil, field: nil, years: year...year).run(db)
            return Province.all.compactMap { p in
                guard let f = figures[p.code], f.total.ordersRegistered > 0 else { return nil }
                var orders: [Field: Int64] = [:]
                for field in Field.allCases { orders[field] = f.figures(field).ordersRegistered }
                return Dashboard.MapRow(province: p, orders: orders)
            }
        }
        var results: [ResultLine] = []
        try forEachResult(ResultFilter(province: province, year: year)) { results.append($0) }
        return Dashboard(year: year, province: province, current: current, trend: report.years, map: map,
                         results: results, notes: report.notes, generatedAt: Store.timestamp())
    }
}
