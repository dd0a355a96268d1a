/// The national reports' queries: the figures of `report indicators` and `report provinces`
/// computed by PostgreSQL from the published records (national/schema.sql), aggregated in the
/// database. They are the province's own definitions (`Tallies`, the set-wise recomputation
/// `storders verify` checks the running totals against) in the PostgreSQL dialect, restricted to
/// the slice's dates, so that each branch reads only the rows dated in the years asked for (the
/// indexes on each date column), and grouped by year or by province.
///
/// Every query takes the same four bound parameters: `$1` the first day (`YYYY-01-01`) and `$2`
/// the day after the last (`YYYY+1-01-01`), as text; `$3` a province code and `$4` a field, or
/// NULL for all. Their rows go to `FigureRows` in the order of `FigureRows`' methods.
public enum NationalFigureSQL {
    public enum Grouping: Sendable { case year, province }

    private static let from = "CAST($1 AS date)"
    private static let to = "CAST($2 AS date)"
    private static let province = "CAST($3 AS text)"
    private static let field = "CAST($4 AS text)"

    private static func sum(_ expression: String) -> String { SQLDialect.postgres.sum(expression) }

    private static func group(_ grouping: Grouping) -> String {
        grouping == .year ? "CAST(c.year AS text)" : "c.province_code"
    }

    /// `group, field` then `Tallies.totals.counts` by name: rows for `FigureRows.addTotals`.
    public static func totals(_ grouping: Grouping) -> String {
        let table = Tallies.totals(in: .postgres)
        let sums = table.counts.map { sum("c." + $0) + " AS " + $0 }.joined(separator: ", ")
        let g = group(grouping)
        let contributions = table.contributions(from: from, to: to, province: province, field: field)
        return """
            SELECT \(g) AS g, c.field, \(sums)
            FROM (\(contributions)) c
            GROUP BY 1, 2
            """
    }

    /// The names of the totals' columns, in the order of `totals`' columns after the first two.
    public static let totalsColumns = Tallies.totals.counts

    /// `group, field, step, days, orders`: rows for `FigureRows.addDuration`.
    public static func durations(_ grouping: Grouping) -> String {
        let g = group(grouping)
        let contributions = Tallies.durations(in: .postgres).contributions(
            from: from, to: to, province: province, field: field)
        return """
            SELECT \(g) AS g, c.field, c.step, CAST(c.days AS bigint), \(sum("c.orders"))
            FROM (\(contributions)) c
            GROUP BY 1, 2, 3, 4
            """
    }

    /// `group` and 8 counts: rows for `FigureRows.addEnterprises`. An enterprise is one tax code
    /// (the same enterprise published by two sources counts once), counted once per group however
    /// many fields it was active in; a startup when its record says so.
    public static func enterprises(_ grouping: Grouping) -> String {
        let g = group(grouping)
        let contributions = Tallies.enterprises(in: .postgres).contributions(
            from: from, to: to, province: province, field: field)
        return """
            SELECT g, count(*), \(sum("startup")), \(sum("science")), \(sum("science * startup")),
                   \(sum("innovation")), \(sum("innovation * startup")), \(sum("digital")),
                   \(sum("digital * startup"))
            FROM (SELECT \(g) AS g, max(CAST(e.innovative_startup AS integer)) AS startup,
                         max(CAST(c.field = 'science' AS integer)) AS science,
                         max(CAST(c.field = 'innovation' AS integer)) AS innovation,
                         max(CAST(c.field = 'digital' AS integer)) AS digital
                  FROM (\(contributions)) c
                  JOIN enterprises e ON e.source_id = c.source_id AND e.id = c.enterprise_id
                  GROUP BY 1, c.enterprise_tax_code) x
            GROUP BY g
            """
    }

    /// `key, province_code, value`, oldest first (by set_at, then source and id), so that the
    /// latest for a key and province is the one in force: rows for `TargetTable.set(key:provinceCode:stored:)`.
    public static let targets = "SELECT key, province_code, value FROM targets ORDER BY set_at, source_id, id"

    /// The four bound values of a slice: the years, and the province and field or nil.
    public static func parameters(years: ClosedRange<Int>, province: Province?, field: Field?) -> [String?] {
        [
            "\(years.lowerBound)-01-01", "\(years.upperBound + 1)-01-01",
            province?.code, field?.rawValue,
        ]
    }
}
