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
    public var trend: [TrendYear]
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

/// The headline figures of one year, for the trend chart.
public struct TrendYear: Sendable, Equatable {
    public var year: Int
    public var ordersRegistered: Int64 = 0
    public var outputsAccepted: Int64 = 0
    public var stateBudgetPaid: Int64 = 0
    public var results: Int64 = 0
    public var revenue: Int64 = 0

    public init(year: Int) { self.year = year }
}

extension Store {
    /// The dashboard of `year` for `province` (nil: all provinces).
    public func dashboard(year: Int, province: Province? = nil) throws -> Dashboard {
        let report = try indicators(
            IndicatorRequest(province: province, years: try IndicatorRequest.years(from: year, to: year)))
        guard let current = report.years.first else {
            throw STOrdersError.invalidYearRange(from: year, to: year, reason: "no figures were computed")
        }
        let present = try yearsPresent()
        var first = min(present?.lowerBound ?? year, year)
        var last = max(present?.upperBound ?? year, year)
        if last - first >= IndicatorRequest.maxYears {
            // Keep the years nearest the report's.
            first = max(first, year - IndicatorRequest.maxYears / 2)
            last = min(last, first + IndicatorRequest.maxYears - 1)
        }
        let (trend, map) = try read { db in
            (try Store.trend(db, province: province, years: first...last), try Store.map(db, year: year))
        }
        var results: [ResultLine] = []
        try forEachResult(ResultFilter(province: province, year: year)) { results.append($0) }
        return Dashboard(
            year: year, province: province, current: current, trend: trend, map: map,
            results: results, notes: report.notes, generatedAt: Store.timestamp())
    }

    /// Per year: orders registered, outputs accepted, state budget paid, results and revenue,
    /// from the running totals (a few hundred rows per year).
    static func trend(_ db: Database, province: Province?, years: ClosedRange<Int>) throws -> [TrendYear] {
        var byYear: [Int: TrendYear] = [:]
        for y in years { byYear[y] = TrendYear(year: y) }
        var arguments: [String: (any DatabaseValueConvertible)?] = ["from": years.lowerBound, "to": years.upperBound]
        if let province { arguments["province"] = province.code }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT year, sum(registered), sum(outputs_accepted), sum(state_paid), sum(results), sum(revenue)
                FROM tallies WHERE year BETWEEN :from AND :to\(province == nil ? "" : " AND province_code = :province")
                GROUP BY year
                """, arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            var t = TrendYear(year: row[0])
            t.ordersRegistered = row[1]
            t.outputsAccepted = row[2]
            t.stateBudgetPaid = row[3]
            t.results = row[4]
            t.revenue = row[5]
            byYear[t.year] = t
        }
        return years.compactMap { byYear[$0] }
    }

    /// Orders registered in `year` by province (those with any) and field.
    static func map(_ db: Database, year: Int) throws -> [Dashboard.MapRow] {
        var counts: [String: [Field: Int64]] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT province_code, field, sum(registered) FROM tallies WHERE year = ? GROUP BY 1, 2 HAVING sum(registered) > 0
                """, arguments: [year])
        while let row = try rows.next() {
            counts[row[0], default: [:]][try vocabulary(Field.self, row[1])] = row[2]
        }
        return Province.all.compactMap { p in
            guard let c = counts[p.code] else { return nil }
            var orders: [Field: Int64] = [:]
            for field in Field.allCases { orders[field] = c[field] ?? 0 }
            return Dashboard.MapRow(province: p, orders: orders)
        }
    }
}
