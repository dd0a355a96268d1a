import PostgresNIO
import STOrders

/// The national reports: `report indicators` and `report provinces` computed by PostgreSQL from
/// the running totals the national store keeps over every source's published records (each
/// publish batch adjusts them for the orders it moves; `verifyTotals` proves they equal the
/// records). The three queries are the province's own (`FigureQuery`, read in the PostgreSQL
/// dialect, each value bound, never spliced); a few hundred aggregate rows come back, and the
/// library assembles them into the same `IndicatorReport` and `ProvinceIndicators` as the SQLite
/// reports (same keys, values, targets and notes). The advance figures are read from the
/// published advances and payments with `AdvanceQuery`, the province's own definition.
extension NationalConnection {
    /// The indicators of `request` over every published source: each year's figures, measured
    /// against the targets in force (the latest published for the province, else the latest
    /// national default; without a province, each count target is the sum of the 34 provinces').
    public func indicators(_ request: IndicatorRequest) async throws -> IndicatorReport {
        try await requireSchema()
        let asOf = request.asOf ?? Day.today()
        let read = try await snapshot(
            FigureQuery(
                grouping: .year, province: request.province, field: request.field, years: request.years,
                asOf: asOf),
            advances: request.years.map {
                AdvanceQuery(
                    year: $0, province: request.province, field: request.field, asOf: asOf, byProvince: false)
            })
        var report = try IndicatorReport(request, figures: read.figures, targets: read.targets)
        for (i, advances) in zip(report.years.indices, read.advances) {
            report.years[i].advances = AdvanceQuery.total(advances)
        }
        return report
    }

    /// One row per province (all 34) for `year`, each with its own targets, sorted by `sort`.
    /// `asOf`: the day the orders past their contract's end are counted as of (nil: today).
    public func provinceIndicators(
        year: Int, field: Field? = nil, sort: ProvinceSort = .province, descending: Bool = false, asOf: Day? = nil
    ) async throws -> [ProvinceIndicators] {
        let years = try IndicatorRequest.years(from: year, to: year)
        let asOf = asOf ?? Day.today()
        try await requireSchema()
        let read = try await snapshot(
            FigureQuery(grouping: .province, province: nil, field: field, years: years, asOf: asOf),
            advances: [AdvanceQuery(year: year, province: nil, field: field, asOf: asOf)])
        return try ProvinceIndicators.rows(
            figures: read.figures, advances: (read.advances.first ?? nil) ?? [:], field: field,
            targets: read.targets, sort: sort, descending: descending)
    }

    /// The figures, the advance figures of each of `advances` (nil for each when the store holds
    /// no advance) and the targets, read in one read-only snapshot, so that a publish running
    /// meanwhile is seen whole or not at all.
    func snapshot(_ slice: FigureQuery, advances: [AdvanceQuery]) async throws -> (
        figures: [String: FieldedFigures], advances: [[String: AdvanceFigures]?], targets: TargetTable
    ) {
        try await transaction(readOnly: true) {
            // A year's enterprise rows are grouped in memory rather than sorted on disk, and no
            // time goes to compiling the plans (settings of this transaction only).
            try await run("SET LOCAL work_mem = '64MB'")
            try await run("SET LOCAL jit = off")
            let figures = try await self.figures(slice.national)
            var byYear: [[String: AdvanceFigures]?] = []
            for query in advances { byYear.append(try await advanceFigures(query.national)) }
            let targets = try await targetTable()
            return (figures, byYear, targets)
        }
    }

    /// The values of a figure or advance query, bound in order.
    static func bindings(_ values: [FigureQuery.Value]) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values {
            switch value {
            case .integer(let n): binds.append(n)
            case .text(let s): binds.append(s)
            }
        }
        return binds
    }

    /// `AdvanceQuery`'s two queries, as the SQLite reports run them: the advance figures of each
    /// province that has any, or nil when the store holds no advance at all.
    func advanceFigures(_ slice: AdvanceQuery) async throws -> [String: AdvanceFigures]? {
        do {
            guard try await query(PostgresQuery(unsafeSQL: AdvanceQuery.anyAdvance)).first?.decode(Bool.self) == true
            else { return nil }
            var rows: [AdvanceQuery.Row] = []
            for sql in [slice.advances, slice.settlements] {
                for row in try await query(PostgresQuery(unsafeSQL: sql, binds: Self.bindings(slice.values))) {
                    rows.append(try row.decode((String, String, Int64, Int64).self))
                }
            }
            return AdvanceQuery.figures(rows)
        } catch {
            throw NationalConnection.refusal(error, url: url)
        }
    }

    func figures(_ slice: FigureQuery) async throws -> [String: FieldedFigures] {
        let binds = Self.bindings(slice.values)
        func bound(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
        var rows = FigureRows()
        do {
            // The orders past their contract's end: from the records, one query per year.
            for (year, day) in slice.pastContractEndDays {
                let query = PostgresQuery(
                    unsafeSQL: slice.pastContractEnd, binds: Self.bindings(slice.pastContractEndValues(day)))
                for row in try await self.query(query) {
                    let (group, field, orders) = try row.decode((String, String, Int64).self)
                    try rows.addPastContractEnd(
                        group: slice.grouping == .year ? String(year) : group, field: field, orders: orders)
                }
            }
            for row in try await query(bound(slice.totals)) {
                let cells = row.makeRandomAccess()
                try rows.addTotals(group: cells[0].decode(String.self), field: cells[1].decode(String.self)) {
                    try cells[$0].decode(Int64?.self) ?? 0
                }
            }
            for row in try await query(bound(slice.durations)) {
                let (group, field, step, days, orders) = try row.decode((String, String, String, Int64, Int64).self)
                try rows.addDuration(group: group, field: field, step: step, days: days, orders: orders)
            }
            for row in try await query(bound(slice.enterprises)) {
                let cells = row.makeRandomAccess()
                rows.addEnterprises(
                    group: try cells[0].decode(String.self),
                    counts: try (1...8).map { try cells[$0].decode(Int64?.self) ?? 0 })
            }
            return try rows.figures()
        } catch let error as STOrdersError {
            throw error
        } catch {
            throw NationalConnection.refusal(error, url: url)
        }
    }

    /// Per table of running totals, how many of its keys differ from the totals recomputed from
    /// the published records (all 0 when the store is sound), in one read-only snapshot.
    public func verifyTotals() async throws -> [(table: String, differences: Int64)] {
        try await requireSchema()
        return try await transaction(readOnly: true) {
            let pending = try await pendingTotals().flatMap(\.provinces)
            var found: [(table: String, differences: Int64)] = []
            for check in NationalFigureSQL.checks {
                var bindings = PostgresBindings()
                bindings.append(pending)
                let rows = try await query(PostgresQuery(unsafeSQL: check.sql, binds: bindings))
                found.append((check.table, try rows.first?.decode(Int64.self) ?? 0))
            }
            return found
        }
    }

    /// The sources whose catch-up has yet to recompute their provinces' running totals (a
    /// publish under way, or one cut off), by name, with those provinces: their figures are
    /// those from before the catch-up, and `verifyTotals` leaves them out.
    public func pendingTotals() async throws -> [(source: String, provinces: [String])] {
        let rows = try await query(
            """
            SELECT s.name || ' (' || s.id::text || ')', coalesce(array_agg(p.province_code ORDER BY p.province_code)
                FILTER (WHERE p.province_code IS NOT NULL), '{}')
            FROM sources s LEFT JOIN source_provinces p ON p.source_id = s.id
            WHERE s.totals_pending GROUP BY s.id, s.name ORDER BY s.name, s.id
            """)
        return try rows.map { try $0.decode((String, [String]).self) }.map { (source: $0.0, provinces: $0.1) }
    }

    /// The targets as published, oldest first, so the latest for a key and province is in force.
    func targetTable() async throws -> TargetTable {
        var table = TargetTable()
        do {
            for row in try await query(PostgresQuery(unsafeSQL: NationalFigureSQL.targets)) {
                let (key, province, value) = try row.decode((String, String?, Int64).self)
                try table.set(key: key, provinceCode: province, stored: value)
            }
        } catch let error as STOrdersError {
            throw error
        } catch {
            throw NationalConnection.refusal(error, url: url)
        }
        return table
    }
}
