import GRDB

/// The raw counts and sums behind the indicators, for one slice of the records: one year (or
/// one province in one year), all fields or one. Every figure is a transition or an amount dated
/// in the year, read from the records alone.
public struct Figures: Sendable, Equatable {
    /// Outputs accepted in the year, and of them the `new` ones (the rest are `improved`).
    public var outputsAccepted: Int64 = 0
    public var newOutputs: Int64 = 0
    /// Distinct enterprises whose orders had a funding, an acceptance, a payment or a result in
    /// the year, and of them the innovative startups.
    public var enterprisesInnovating: Int64 = 0
    public var innovativeStartups: Int64 = 0
    /// Orders registered in the year, and of them those funded or cancelled in the same year.
    public var ordersRegistered: Int64 = 0
    public var ordersDecided: Int64 = 0
    /// Of the orders registered in the year, how many have reached each stage by now.
    public var registeredFunded: Int64 = 0
    public var registeredDelivered: Int64 = 0
    public var registeredCommercialized: Int64 = 0
    public var registeredCancelled: Int64 = 0
    /// Fundings decided in the year and their commitments by source.
    public var ordersFunded: Int64 = 0
    public var stateBudgetCommitted: Int64 = 0
    public var counterpartCommitted: Int64 = 0
    public var otherCommitted: Int64 = 0
    /// Payments dated in the year, by source, net: a reversal is a payments row with a negative
    /// amount dated when it was made, so it is subtracted in its own year.
    public var stateBudgetPaid: Int64 = 0
    public var counterpartPaid: Int64 = 0
    public var otherPaid: Int64 = 0
    /// Commercialization results dated in the year and their revenue (retracted results excluded).
    public var results: Int64 = 0
    public var revenue: Int64 = 0
    /// Orders delivered in the year, and of them those commercialized (by now).
    public var ordersDelivered: Int64 = 0
    public var deliveredCommercialized: Int64 = 0
    /// Days each transition of the year took: ordered→funded (fundings of the year),
    /// funded→delivered (deliveries of the year), delivered→commercialized (first results of the year).
    public var orderedToFunded = DayCounts()
    public var fundedToDelivered = DayCounts()
    public var deliveredToCommercialized = DayCounts()
    /// Of the outputs accepted in the year, those with a due date, and of them those accepted on or
    /// before their due date in force (extended, if extended).
    public var outputsWithDueDate: Int64 = 0
    public var outputsOnTime: Int64 = 0
    /// Orders past their contract's end as of the year's last day (or the report's day, if that
    /// is earlier): funded by then, neither delivered nor cancelled by then, the contract's end
    /// in force (extended, if extended) before that day.
    public var ordersPastContractEnd: Int64 = 0

    public init() {}

    static func add(_ total: inout Int64, _ amount: Int64) throws {
        let (s, overflow) = total.addingReportingOverflow(amount)
        if overflow { throw STOrdersError.amountOverflow }
        total = s
    }

    /// Adds another slice's additive figures (not the distinct enterprise counts).
    mutating func addAdditive(_ o: Figures) throws {
        func add(_ a: Int64, _ b: Int64) throws -> Int64 {
            var t = a
            try Figures.add(&t, b)
            return t
        }
        outputsAccepted = try add(outputsAccepted, o.outputsAccepted)
        newOutputs = try add(newOutputs, o.newOutputs)
        ordersRegistered = try add(ordersRegistered, o.ordersRegistered)
        ordersDecided = try add(ordersDecided, o.ordersDecided)
        registeredFunded = try add(registeredFunded, o.registeredFunded)
        registeredDelivered = try add(registeredDelivered, o.registeredDelivered)
        registeredCommercialized = try add(registeredCommercialized, o.registeredCommercialized)
        registeredCancelled = try add(registeredCancelled, o.registeredCancelled)
        ordersFunded = try add(ordersFunded, o.ordersFunded)
        stateBudgetCommitted = try add(stateBudgetCommitted, o.stateBudgetCommitted)
        counterpartCommitted = try add(counterpartCommitted, o.counterpartCommitted)
        otherCommitted = try add(otherCommitted, o.otherCommitted)
        stateBudgetPaid = try add(stateBudgetPaid, o.stateBudgetPaid)
        counterpartPaid = try add(counterpartPaid, o.counterpartPaid)
        otherPaid = try add(otherPaid, o.otherPaid)
        results = try add(results, o.results)
        revenue = try add(revenue, o.revenue)
        ordersDelivered = try add(ordersDelivered, o.ordersDelivered)
        deliveredCommercialized = try add(deliveredCommercialized, o.deliveredCommercialized)
        orderedToFunded.add(o.orderedToFunded)
        fundedToDelivered.add(o.fundedToDelivered)
        deliveredToCommercialized.add(o.deliveredToCommercialized)
        outputsWithDueDate = try add(outputsWithDueDate, o.outputsWithDueDate)
        outputsOnTime = try add(outputsOnTime, o.outputsOnTime)
        ordersPastContractEnd = try add(ordersPastContractEnd, o.ordersPastContractEnd)
    }
}

/// How many transitions took each number of days: enough for an exact median without holding
/// one row per order (there are at most a few hundred distinct durations).
public struct DayCounts: Sendable, Equatable {
    public private(set) var counts: [Int64: Int64] = [:]

    public init() {}

    public var total: Int64 { counts.values.reduce(0, +) }

    public mutating func add(days: Int64, count: Int64) { counts[days, default: 0] += count }

    mutating func add(_ other: DayCounts) {
        for (d, n) in other.counts { counts[d, default: 0] += n }
    }

    /// The median number of days (the mean of the two middle ones for an even count, so it may
    /// end in .5), or nil when nothing happened.
    public var median: Ratio? {
        let n = total
        guard n > 0 else { return nil }
        // 0-based positions of the middle value(s).
        let lowIndex = (n - 1) / 2
        let highIndex = n / 2
        var low: Int64? = nil
        var high: Int64? = nil
        var seen: Int64 = 0
        for d in counts.keys.sorted() {
            seen += counts[d] ?? 0
            if low == nil && seen > lowIndex { low = d }
            if high == nil && seen > highIndex {
                high = d
                break
            }
        }
        guard let low, let high else { return nil }
        return Ratio(low + high, 2)
    }
}

/// One slice's figures for all fields together and for each field.
public struct FieldedFigures: Sendable, Equatable {
    public var total = Figures()
    public var byField: [Field: Figures] = [:]

    public init() {}

    public func figures(_ field: Field) -> Figures { byField[field] ?? Figures() }
}

/// Computes figures grouped by year or by province from the running totals (`tallies`,
/// `tally_durations`, `tally_enterprises`): a few hundred rows per year instead of every row
/// dated in it. In a province's file, schema.sql's triggers keep them and `storders verify`
/// proves they equal the records; in the national store (national/schema.sql) each publish
/// batch keeps them and `storders-national verify` proves the same. The three queries are
/// written once, for both engines (`SQLDialect` spells what differs); the values are bound, in
/// the order of `values` (placeholders 1, 2, … of the dialect).
public struct FigureQuery: Sendable {
    public enum Grouping: Sendable { case year, province }

    public var grouping: Grouping
    public var province: Province?
    public var field: Field?
    public var years: ClosedRange<Int>
    /// The day `pastContractEnd` counts as of in its year (today, for a report); each earlier
    /// year counts as of its last day. Nil: that figure is not read (it stays 0).
    public var asOf: Day?
    var dialect: SQLDialect = .sqlite

    public init(grouping: Grouping, province: Province?, field: Field?, years: ClosedRange<Int>, asOf: Day? = nil) {
        self.grouping = grouping
        self.province = province
        self.field = field
        self.years = years
        self.asOf = asOf
    }

    /// The same slice, for the national store's PostgreSQL.
    public var national: FigureQuery {
        var query = self
        query.dialect = .postgres
        return query
    }

    /// One bound value.
    public enum Value: Sendable, Equatable {
        case integer(Int)
        case text(String)
    }

    /// The bound values, in the order of the placeholders: the first and last years, then the
    /// province's code and the field when the slice has them.
    public var values: [Value] {
        [.integer(years.lowerBound), .integer(years.upperBound)]
            + [province?.code, field?.rawValue].compactMap {
                $0.map(Value.text)
            }
    }

    /// The group key of a row: its year (`2025`) or its province code (`19`).
    private var group: String { grouping == .year ? "CAST(t.year AS TEXT)" : "t.province_code" }

    /// The years, and the province and field scope.
    private var scope: String {
        var sql = "t.year BETWEEN \(dialect.placeholder(1)) AND \(dialect.placeholder(2))"
        var next = 3
        if province != nil {
            sql += " AND t.province_code = \(dialect.placeholder(next))"
            next += 1
        }
        if field != nil { sql += " AND t.field = \(dialect.placeholder(next))" }
        return sql
    }

    private func sum(_ expression: String) -> String { dialect.sum(expression) }

    /// `group, field` then the dialect's `Tallies.totals(in:).counts` by name: rows for
    /// `FigureRows.addTotals`.
    public var totals: String {
        let counts = Tallies.totals(in: dialect).counts
        return """
            SELECT \(group), t.field, \(counts.map { sum("t.\($0)") + " AS \($0)" }.joined(separator: ", "))
            FROM tallies t WHERE \(scope) GROUP BY 1, 2
            HAVING \(counts.map { "sum(t.\($0)) <> 0" }.joined(separator: " OR "))
            """
    }

    /// `group, field, step, days, orders`: rows for `FigureRows.addDuration`.
    public var durations: String {
        """
        SELECT \(group), t.field, t.step, CAST(t.days AS BIGINT), \(sum("t.orders"))
        FROM tally_durations t WHERE \(scope) GROUP BY 1, 2, 3, 4 HAVING sum(t.orders) <> 0
        """
    }

    /// `group` and 8 counts: rows for `FigureRows.addEnterprises`.
    ///
    /// Enterprises are counted once per slice even when active in several fields, so the total
    /// is its own aggregate, not the sum of the fields'. One row per (group, enterprise) says
    /// whether it is a startup and in which fields it was active; then one row per group with
    /// every count. An enterprise is its id in a province's file; nationally, its tax code (the
    /// same enterprise published by two sources counts once), a startup when a record of it
    /// says so. For the years in a file, the inner grouping follows tally_enterprises' primary
    /// key (year, enterprise_id, …), so SQLite needs no sort. (The three fields are the ones
    /// schema.sql allows: orders.field.)
    public var enterprises: String {
        let enterprise = dialect == .sqlite ? "t.enterprise_id" : "t.enterprise_tax_code"
        let inner = (grouping == .year ? "t.year, " : "t.province_code, ") + enterprise
        // Nationally only the startups are joined (a small hash, not every enterprise): a row
        // with no match is an enterprise that is not one.
        let (join, startup) =
            dialect == .sqlite
            ? ("JOIN enterprises e ON e.id = t.enterprise_id", "e.innovative_startup")
            : (
                "LEFT JOIN enterprises e ON e.source_id = t.source_id AND e.id = t.enterprise_id AND e.innovative_startup",
                "e.id IS NOT NULL"
            )
        let flag = dialect.flag
        return """
            SELECT g, count(*), \(sum("startup")), \(sum("science")), \(sum("science * startup")), \(sum("innovation")),
                   \(sum("innovation * startup")), \(sum("digital")), \(sum("digital * startup"))
            FROM (SELECT \(group) AS g, max(\(flag(startup))) AS startup,
                         max(\(flag("t.field = 'science'"))) AS science,
                         max(\(flag("t.field = 'innovation'"))) AS innovation,
                         max(\(flag("t.field = 'digital'"))) AS digital
                  FROM tally_enterprises t \(join)
                  WHERE \(scope) AND t.activities > 0
                  GROUP BY \(inner)) x
            GROUP BY g
            """
    }

    /// `group, field, orders`: the orders past their contract's end as of the day bound first
    /// (placeholder 1), in the slice's province and field (bound next: `pastContractEndValues`),
    /// for `FigureRows.addPastContractEnd`. Read from the records, not the running totals (the
    /// figure is a state on a day, not a count of steps in a year), through the index of the
    /// contracts by their end in force (`fundings_by_end` in both stores), so only the contracts
    /// ended before that day are read.
    public var pastContractEnd: String {
        let dateBound = dialect.day(1)
        let fundingsWithOrders = dialect.withOrder("fundings", "f")
        var sql = """
            SELECT \(grouping == .year ? "'year'" : "o.province_code"), o.field, count(*)
            FROM \(fundingsWithOrders)
            WHERE f.ends_on IS NOT NULL AND coalesce(f.ends_extended_to, f.ends_on) < \(dateBound)
              AND f.funded_on <= \(dateBound)
              AND (o.delivered_on IS NULL OR o.delivered_on > \(dateBound))
              AND (o.cancelled_on IS NULL OR o.cancelled_on > \(dateBound))
            """
        var next = 2
        if province != nil {
            sql += " AND o.province_code = \(dialect.placeholder(next))"
            next += 1
        }
        if field != nil { sql += " AND o.field = \(dialect.placeholder(next))" }
        return sql + " GROUP BY 1, 2"
    }

    /// The values `pastContractEnd` binds for `day`: the day, then the province's code and the
    /// field when the slice has them.
    public func pastContractEndValues(_ day: Day) -> [Value] {
        [.text(day.description)] + [province?.code, field?.rawValue].compactMap { $0.map(Value.text) }
    }

    /// The day each year of the slice counts `pastContractEnd` as of: its last day, or `asOf` if
    /// that is earlier; a year that starts after `asOf` has none (its figure stays 0).
    public var pastContractEndDays: [(year: Int, day: Day)] {
        guard let asOf else { return [] }
        return years.compactMap { year in
            guard year <= asOf.year, let last = Day(year: year, month: 12, day: 31) else { return nil }
            return (year, year == asOf.year ? asOf : last)
        }
    }

    func run(_ db: Database) throws -> [String: FieldedFigures] {
        let arguments = Value.arguments(values)
        var rows = FigureRows()
        func each(_ sql: String, _ body: (Row) throws -> Void) throws {
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() { try body(row) }
        }
        for (year, day) in pastContractEndDays {
            let cursor = try Row.fetchCursor(
                db, sql: pastContractEnd, arguments: Value.arguments(pastContractEndValues(day)))
            while let row = try cursor.next() {
                let group: String = grouping == .year ? String(year) : row[0]
                try rows.addPastContractEnd(group: group, field: row[1], orders: row[2])
            }
        }
        try each(totals) { row in try rows.addTotals(group: row[0], field: row[1]) { row[$0] } }
        try each(durations) { row in
            try rows.addDuration(group: row[0], field: row[1], step: row[2], days: row[3], orders: row[4])
        }
        try each(enterprises) { row in rows.addEnterprises(group: row[0], counts: (1...8).map { row[$0] }) }
        return try rows.figures()
    }
}

/// Assembles the figures of a slice from the rows of the figure queries, whichever engine ran
/// them (the province's running totals, or the national store's records): one definition of
/// which column is which figure, and of how the fields add up to the total.
public struct FigureRows: Sendable {
    private var perField: [String: [Field: Figures]] = [:]
    /// Per group: engaged and startups, in total then per field (science, innovation, digital).
    private var enterprises: [String: [Int64]] = [:]
    public init() {}

    /// The totals' columns of one (group, field) row, read by name (`Tallies.totals.counts`).
    public mutating func addTotals(group: String, field: String, _ column: (String) throws -> Int64) throws {
        let field = try Store.vocabulary(Field.self, field)
        var f = perField[group, default: [:]][field, default: Figures()]
        f.ordersRegistered = try column("registered")
        f.ordersDecided = try column("decided")
        f.registeredFunded = try column("registered_funded")
        f.registeredDelivered = try column("registered_delivered")
        f.registeredCommercialized = try column("registered_commercialized")
        f.registeredCancelled = try column("registered_cancelled")
        f.ordersFunded = try column("funded")
        f.stateBudgetCommitted = try column("state_budget_committed")
        f.counterpartCommitted = try column("enterprise_committed")
        f.otherCommitted = try column("other_committed")
        f.outputsAccepted = try column("outputs_accepted")
        f.newOutputs = try column("new_outputs")
        f.stateBudgetPaid = try column("state_paid")
        f.counterpartPaid = try column("enterprise_paid")
        f.otherPaid = try column("other_paid")
        f.results = try column("results")
        f.revenue = try column("revenue")
        f.ordersDelivered = try column("delivered")
        f.deliveredCommercialized = try column("delivered_commercialized")
        f.outputsWithDueDate = try column("outputs_due")
        f.outputsOnTime = try column("outputs_on_time")
        perField[group, default: [:]][field] = f
    }

    /// `orders` of a group and field past their contract's end (`FigureQuery.pastContractEnd`).
    public mutating func addPastContractEnd(group: String, field: String, orders: Int64) throws {
        let field = try Store.vocabulary(Field.self, field)
        perField[group, default: [:]][field, default: Figures()].ordersPastContractEnd = orders
    }

    /// `orders` transitions of `step` (funded, delivered, commercialized) that took `days`.
    public mutating func addDuration(group: String, field: String, step: String, days: Int64, orders: Int64) throws {
        let field = try Store.vocabulary(Field.self, field)
        var f = perField[group, default: [:]][field, default: Figures()]
        switch step {
        case "funded": f.orderedToFunded.add(days: days, count: orders)
        case "delivered": f.fundedToDelivered.add(days: days, count: orders)
        default: f.deliveredToCommercialized.add(days: days, count: orders)
        }
        perField[group, default: [:]][field] = f
    }

    /// The enterprises of a group: engaged, startups, then engaged and startups in science,
    /// innovation and digital (8 counts).
    public mutating func addEnterprises(group: String, counts: [Int64]) {
        enterprises[group] = counts
    }

    public func figures() throws -> [String: FieldedFigures] {
        var result: [String: FieldedFigures] = [:]
        for (key, fields) in perField {
            var fielded = FieldedFigures()
            for (field, figures) in fields {
                fielded.byField[field] = figures
                try fielded.total.addAdditive(figures)
            }
            result[key] = fielded
        }
        for (key, counts) in enterprises where counts.count == 8 {
            result[key, default: FieldedFigures()].total.enterprisesInnovating = counts[0]
            result[key, default: FieldedFigures()].total.innovativeStartups = counts[1]
            for (i, field) in [Field.science, .innovation, .digital].enumerated() {
                let engaged = counts[2 + 2 * i]
                let startups = counts[3 + 2 * i]
                // A field with no activity in the slice has no entry, as for the additive figures.
                guard engaged > 0 || result[key]?.byField[field] != nil else { continue }
                result[key, default: FieldedFigures()].byField[field, default: Figures()].enterprisesInnovating =
                    engaged
                result[key, default: FieldedFigures()].byField[field, default: Figures()].innovativeStartups = startups
            }
        }
        return result
    }
}

extension Store {
    /// The first and last years any registration, funding, delivery, acceptance, payment or
    /// result is dated in, or nil for an empty database: read from the running totals (a few
    /// hundred rows), not from the records.
    public func yearsPresent() throws -> ClosedRange<Int>? {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT min(year), max(year) FROM (\(Tallies.totals.kept))")
            guard let row, let first: Int = row[0], let last: Int = row[1] else { return nil }
            return first...last
        }
    }
}

extension Store {
    /// Lets SQLite map the file into memory and keep more pages cached before a report reads a
    /// year of a large database (a tuning of this connection only; it changes no data).
    func prepareForLargeReads() throws {
        guard path != ":memory:" else { return }
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -65536")
        }
    }
}

extension FigureQuery.Value {
    /// `values` as SQLite's bound arguments.
    static func arguments(_ values: [FigureQuery.Value]) -> StatementArguments {
        StatementArguments(
            values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .integer(let n): return n
                case .text(let s): return s
                }
            })
    }
}
