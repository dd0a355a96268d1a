import GRDB

/// A year's advance figures (`AdvanceFigures`) by province over the orders a province and a
/// field select: what was advanced, settled by payments and recovered in the year, and what was
/// outstanding at its end (or on `asOf`, if earlier). Read from the records (`advances` and the
/// payments' `settled`), which both stores keep: a province's file (schema.sql) and the national
/// store (national/schema.sql, from version 5). The two queries are written once, for both
/// engines (`SQLDialect` spells what differs), their values bound in the order of `values`
/// (placeholders 1, 2, … of the dialect), and `figures(_:)` assembles what they return: the
/// SQLite reports (`Store.advanceFiguresByProvince`) and the national ones run one definition.
public struct AdvanceQuery: Sendable {
    public var year: Int
    public var province: Province?
    public var field: Field?
    /// The day what is outstanding is counted as of when it falls in the year (nothing after it is read).
    public var asOf: Day
    var dialect: SQLDialect = .sqlite
    /// Whether the rows tell the provinces apart (each record joined to its order for the
    /// order's province). False for a whole store's total (`report indicators` without a province
    /// or a field): the records are then read alone, as one row per kind keyed by "" (the order
    /// adds nothing to select or group by), which at 1,000,000 orders reads the year in about
    /// half the time (BENCHMARKS.md). With a province or a field the orders are joined anyway.
    public var byProvince: Bool

    public init(year: Int, province: Province?, field: Field?, asOf: Day, byProvince: Bool = true) {
        self.year = year
        self.province = province
        self.field = field
        self.asOf = asOf
        self.byProvince = byProvince
    }

    /// The same slice, for the national store's PostgreSQL.
    public var national: AdvanceQuery {
        var query = self
        query.dialect = .postgres
        return query
    }

    /// Whether the store holds an advance at all (one row, true or false): without one, the
    /// reports carry no advance figures and the two queries are not run.
    public static let anyAdvance = "SELECT EXISTS (SELECT 1 FROM advances)"

    /// The bound values, in the order of the placeholders: the year's first day, the day after
    /// the last one counted (the next year's first day, or the day after `asOf` if earlier), then
    /// the province's code and the field when the slice has them.
    public var values: [FigureQuery.Value] {
        let next = min("\(year + 1)-01-01", asOf.adding(days: 1).description)
        return [.text("\(year)-01-01"), .text(next)]
            + [province?.code, field?.rawValue].compactMap { $0.map(FigureQuery.Value.text) }
    }

    /// The province and field scope, on the order `o`.
    private var scope: String {
        var sql = ""
        var next = 3
        if province != nil {
            sql += " AND o.province_code = \(dialect.placeholder(next))"
            next += 1
        }
        if field != nil { sql += " AND o.field = \(dialect.placeholder(next))" }
        return sql
    }

    /// `province_code, kind, in the year, up to its end`: the advances (kind `advance`) and the
    /// recoveries (`recovery`) of each province, made in the year and made at all up to the
    /// year's end, for `figures(_:)`.
    public var advances: String {
        sums(
            advanceKind: "v.kind", advanceTable: "advances", advanceAlias: "v", advanceAmount: "v.amount",
            advanceDate: "v.made_on", advanceOnly: "", advanceGroup: "v.kind")
    }

    /// `province_code, 'settlement', in the year, up to its end`: the parts of the payments that
    /// settled advances (a reversal's negative part undoing one), for `figures(_:)`. SQLite reads
    /// the payments in table order: at 1,000,000 orders an eighth of them settle, and reading
    /// those through `payments_settling` took twice as long as the scan (BENCHMARKS.md).
    public var settlements: String {
        sums(
            advanceKind: "'settlement'", advanceTable: "payments", advanceAlias: "p", advanceAmount: "p.settled",
            advanceDate: "p.paid_on", advanceOnly: "p.settled <> 0 AND ", advanceGroup: nil, inTableOrder: true)
    }

    /// Whether the records are joined to their orders: to tell the provinces apart, or to select
    /// the slice's province or field.
    private var joinsOrders: Bool { byProvince || province != nil || field != nil }

    /// The one shape of both queries, each argument a literal of this file: the records of
    /// `advanceTable` (as `advanceAlias`, joined to their order when `joinsOrders`; SQLite reads
    /// them in table order when `inTableOrder`), `advanceAmount` summed over the year (dated by
    /// `advanceDate` from placeholder 1) and up to its end (before placeholder 2), in the slice's
    /// province and field, grouped by province (when `joinsOrders`) and `advanceGroup`. A query
    /// with no group left gives no row when it read none (`HAVING`), as a grouped one does.
    private func sums(
        advanceKind: String, advanceTable: String, advanceAlias: String, advanceAmount: String, advanceDate: String,
        advanceOnly: String, advanceGroup: String?, inTableOrder: Bool = false
    ) -> String {
        let advanceInYear = dialect.sum(
            "CASE WHEN \(advanceDate) >= \(dialect.day(1)) THEN \(advanceAmount) ELSE 0 END")
        let advanceUpToEnd = dialect.sum(advanceAmount)
        let advanceYearEnd = dialect.day(2)
        let advanceRecords: String
        let advanceProvince: String
        var groups: [String] = []
        if joinsOrders {
            advanceRecords = dialect.withOrder(advanceTable, advanceAlias, inTableOrder: inTableOrder)
            advanceProvince = "o.province_code"
            groups.append(advanceProvince)
        } else {
            advanceRecords = dialect.records(advanceTable, advanceAlias, inTableOrder: inTableOrder)
            advanceProvince = "CAST('' AS text)"
        }
        if let advanceGroup { groups.append(advanceGroup) }
        let advanceGroups = groups.isEmpty ? "HAVING count(*) > 0" : "GROUP BY \(groups.joined(separator: ", "))"
        return """
            SELECT \(advanceProvince), \(advanceKind), \(advanceInYear), \(advanceUpToEnd)
            FROM \(advanceRecords) WHERE \(advanceOnly)\(advanceDate) < \(advanceYearEnd)\(scope)
            \(advanceGroups)
            """
    }

    /// One row of `advances` or `settlements`.
    public typealias Row = (province: String, kind: String, inYear: Int64, upToEnd: Int64)

    /// The figures of each province the rows name (a province absent has none: zeros):
    /// outstanding is what was advanced up to the end less what was recovered and settled.
    public static func figures(_ rows: [Row]) -> [String: AdvanceFigures] {
        var figures: [String: AdvanceFigures] = [:]
        for row in rows {
            var f = figures[row.province] ?? .zero
            switch row.kind {
            case AdvanceKind.advance.rawValue:
                f.advanced += row.inYear
                f.outstanding += row.upToEnd
            case AdvanceKind.recovery.rawValue:
                f.recovered += row.inYear
                f.outstanding -= row.upToEnd
            default:  // 'settlement': the payments' settled parts (`settlements`)
                f.settled += row.inYear
                f.outstanding -= row.upToEnd
            }
            figures[row.province] = f
        }
        return figures
    }

    /// The provinces' figures added up: the slice's own (nil stays nil: no advance at all).
    public static func total(_ byProvince: [String: AdvanceFigures]?) -> AdvanceFigures? {
        byProvince.map { $0.values.reduce(.zero, +) }
    }
}
