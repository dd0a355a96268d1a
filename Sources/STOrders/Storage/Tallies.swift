import GRDB

/// The SQL dialect a definition is written in: the province's SQLite file, or the national store
/// on PostgreSQL (national/schema.sql). The indicators' definitions (`Tallies`) are written once;
/// where the two engines need different SQL for the same meaning (a date's year, days between
/// dates, a condition counted as 0 or 1, a record joined to its order), the two spellings stand
/// side by side here, and the national equality test proves they agree.
enum SQLDialect: Sendable {
    case sqlite, postgres

    /// The calendar year of a date column, as an integer.
    func year(_ column: String) -> String {
        switch self {
        case .sqlite: return "CAST(substr(\(column), 1, 4) AS INTEGER)"
        case .postgres: return "CAST(extract(year FROM \(column)) AS integer)"
        }
    }

    /// Whole days from one date column to another.
    func days(_ from: String, _ to: String) -> String {
        switch self {
        case .sqlite: return "CAST(julianday(\(to)) - julianday(\(from)) AS INTEGER)"
        case .postgres: return "(\(to) - \(from))"
        }
    }

    /// A condition counted as 1 when true, else 0 (SQLite's comparisons already are integers).
    func flag(_ condition: String) -> String {
        switch self {
        case .sqlite: return condition
        case .postgres: return "CAST(\(condition) AS integer)"
        }
    }

    /// 1 when date `a` (possibly NULL) falls in the same year as date `b`, else 0.
    func sameYear(_ a: String, _ b: String) -> String {
        switch self {
        case .sqlite: return "substr(\(a), 1, 4) IS substr(\(b), 1, 4)"
        case .postgres: return "CAST(extract(year FROM \(a)) IS NOT DISTINCT FROM extract(year FROM \(b)) AS integer)"
        }
    }

    /// `table alias`, read in its stored order when `inTableOrder`: SQLite then reads every row
    /// rather than going through an index of `table` (a partial index read in its key's order
    /// visits the table at random, slower than the whole scan once a tenth of the rows match).
    /// PostgreSQL's planner picks its own.
    func records(_ table: String, _ alias: String, inTableOrder: Bool = false) -> String {
        inTableOrder && self == .sqlite ? "\(table) \(alias) NOT INDEXED" : "\(table) \(alias)"
    }

    /// `table alias` joined to its order `o`: by the order's id in a province's file; by
    /// (province, source, id) nationally, where ids are each source's own and the province is the
    /// partition key. `inTableOrder`: as `records`, and SQLite looks each order up from there
    /// (`CROSS JOIN` keeps `table` outside, so that a province filter does not turn the plan into
    /// a scan of `table` per order).
    func withOrder(_ table: String, _ alias: String, inTableOrder: Bool = false) -> String {
        let from = records(table, alias, inTableOrder: inTableOrder)
        switch self {
        case .sqlite:
            return "\(from) \(inTableOrder ? "CROSS JOIN" : "JOIN") orders o ON o.id = \(alias).order_id"
        case .postgres:
            return
                "\(from) JOIN orders o ON o.province_code = \(alias).province_code AND o.source_id = \(alias).source_id AND o.id = \(alias).order_id"
        }
    }

    /// The `n`th bound parameter (from 1): `?n` in SQLite, `$n` in PostgreSQL.
    func placeholder(_ n: Int) -> String {
        switch self {
        case .sqlite: return "?\(n)"
        case .postgres: return "$\(n)"
        }
    }

    /// The `n`th bound parameter as a date (bound as `YYYY-MM-DD` text): SQLite compares the
    /// text; PostgreSQL casts it to compare with its date columns.
    func day(_ n: Int) -> String {
        switch self {
        case .sqlite: return "?\(n)"
        case .postgres: return "$\(n)::date"
        }
    }

    /// A sum as a 64-bit integer (PostgreSQL sums bigints as numeric).
    func sum(_ expression: String) -> String {
        switch self {
        case .sqlite: return "sum(\(expression))"
        case .postgres: return "CAST(sum(\(expression)) AS bigint)"
        }
    }
}

/// The indicators' running totals (`tallies`, `tally_durations`, `tally_enterprises` in
/// schema.sql), kept by triggers as rows are written, and here computed a second, independent
/// way: from the records alone, in one set-wise pass. That second way fills the tables when a
/// file of schema version 1 is upgraded, lets `storders verify` prove the kept totals equal
/// what the records say, and, in the PostgreSQL dialect, is how the national store keeps the
/// same totals as provinces publish (each batch takes away and adds back the contributions of
/// the orders it touches) and checks them (`NationalFigureSQL`).
enum Tallies {
    /// A table of totals: its key columns and its counts, and where each count comes from.
    struct Table {
        var name: String
        var key: [String]
        var counts: [String]
        /// One SELECT per kind of contributing row, giving the key and some counts (a count a
        /// source does not give is 0 for it).
        var sources: [Source]

        /// The totals recomputed from the records, one row per key, the counts summed, rows
        /// whose counts are all 0 left out (the kept table may hold such rows; they count for nothing).
        var recomputed: String { recomputed(orders: nil) }

        /// The same, for the orders that `orders` admits only (a condition on the order `o`, its
        /// values bound: `o.id > :after` for a bulk load's new orders, `o.province_code = $1` for
        /// one province of the national store).
        func recomputed(orders: String?) -> String {
            let branches = sources.map { source in
                let values = key.map { source.key[$0] ?? "NULL" } + counts.map { source.counts[$0] ?? "0" }
                let columns = zip(values, key + counts).map { "\($0) AS \($1)" }.joined(separator: ", ")
                let conditions = [source.condition, orders].compactMap { $0 }
                let condition = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
                return "SELECT \(columns) FROM \(source.from)\(condition)"
            }
            return """
                SELECT \((key + counts.map { "sum(\($0))" }).joined(separator: ", "))
                FROM (\(branches.joined(separator: "\nUNION ALL "))) c
                GROUP BY \(key.joined(separator: ", "))
                HAVING \(counts.map { "sum(\($0)) <> 0" }.joined(separator: " OR "))
                """
        }

        /// PostgreSQL: adds (`sign` 1) or takes away (-1) the contributions of the orders that
        /// `orders` admits (a condition on the order `o`) to the kept totals, set-wise, each key
        /// once: what a national publish batch runs before and after it moves the orders it
        /// touches, so the totals follow the records with the one definition above.
        func adjustment(sign: Int, orders: String) -> String {
            let branches = sources.map { source in
                let values = key.map { source.key[$0] ?? "NULL" } + counts.map { source.counts[$0] ?? "0" }
                let columns = zip(values, key + counts).map { "\($0) AS \($1)" }.joined(separator: ", ")
                let condition = [source.condition, orders].compactMap { $0 }.joined(separator: " AND ")
                return "SELECT \(columns) FROM \(source.from) WHERE \(condition)"
            }
            let keys = key.map { "c.\($0)" }.joined(separator: ", ")
            let sums = counts.map { "\(sign) * sum(c.\($0))" }.joined(separator: ", ")
            let add = counts.map { "\($0) = \(name).\($0) + EXCLUDED.\($0)" }.joined(separator: ", ")
            return """
                INSERT INTO \(name) (\((key + counts).joined(separator: ", ")))
                SELECT \(keys), \(sums)
                FROM (\(branches.joined(separator: "\nUNION ALL "))) c
                GROUP BY \(keys)
                HAVING \(counts.map { "sum(c.\($0)) <> 0" }.joined(separator: " OR "))
                ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(add)
                """
        }

        /// How many keys of the kept totals differ from the totals recomputed from the records
        /// (missing, extra or different), both computed by the database: `storders verify`'s
        /// comparison, for the national store. The provinces in the bound text array `$1` are
        /// left out (those whose totals a publish under way has yet to recompute).
        var differenceCount: String {
            """
            WITH r AS MATERIALIZED (SELECT * FROM (\(recomputed)) r0 WHERE province_code <> ALL($1::text[])),
                 k AS MATERIALIZED (SELECT * FROM (\(kept)) k0 WHERE province_code <> ALL($1::text[]))
            SELECT count(*) FROM (SELECT DISTINCT \(key.joined(separator: ", ")) FROM (
                SELECT * FROM (SELECT * FROM r EXCEPT SELECT * FROM k) a
                UNION ALL SELECT * FROM (SELECT * FROM k EXCEPT SELECT * FROM r) b) d) x
            """
        }

        /// The kept rows that count for something.
        var kept: String {
            "SELECT \((key + counts).joined(separator: ", ")) FROM \(name) WHERE \(counts.map { "\($0) <> 0" }.joined(separator: " OR "))"
        }
    }

    struct Source {
        var key: [String: String]
        var counts: [String: String]
        /// The tables, `orders o` among them.
        var from: String
        /// Which of their rows contribute (nil: all).
        var condition: String? = nil
    }

    private static func key(_ d: SQLDialect, _ date: String, _ o: String = "o") -> [String: String] {
        ["year": d.year(date), "province_code": "\(o).province_code", "field": "\(o).field"]
    }

    static let totals = totals(in: .sqlite)
    static let durations = durations(in: .sqlite)
    static let enterprises = enterprises(in: .sqlite)

    static func totals(in d: SQLDialect) -> Table {
        Table(
            name: "tallies",
            key: ["year", "province_code", "field"],
            counts: [
                "registered", "decided", "registered_funded", "registered_delivered", "registered_commercialized",
                "registered_cancelled", "funded", "state_budget_committed", "enterprise_committed", "other_committed",
                "outputs_accepted", "new_outputs", "state_paid", "enterprise_paid", "other_paid", "results", "revenue",
                "delivered", "delivered_commercialized",
                // The deadlines (docs/deadlines.md; schema version 6 of a file, version 4 of the
                // national store): of the outputs accepted in the year, those with a due date and
                // those accepted on or before their due date in force.
                "outputs_due", "outputs_on_time",
            ],
            sources: [
                Source(
                    key: key(d, "o.ordered_on"),
                    counts: [
                        "registered": "1",
                        "decided": d.sameYear("coalesce(o.funded_on, o.cancelled_on)", "o.ordered_on"),
                        "registered_funded": d.flag("o.funded_on IS NOT NULL"),
                        "registered_delivered": d.flag("o.delivered_on IS NOT NULL"),
                        "registered_commercialized": d.flag("o.commercialized_on IS NOT NULL"),
                        "registered_cancelled": d.flag("o.cancelled_on IS NOT NULL"),
                    ], from: "orders o"),
                Source(
                    key: key(d, "o.funded_on"), counts: ["funded": "1"], from: "orders o",
                    condition: "o.funded_on IS NOT NULL"),
                Source(
                    key: key(d, "o.delivered_on"),
                    counts: ["delivered": "1", "delivered_commercialized": d.flag("o.commercialized_on IS NOT NULL")],
                    from: "orders o", condition: "o.delivered_on IS NOT NULL"),
                Source(
                    key: key(d, "f.funded_on"),
                    counts: [
                        "state_budget_committed": "f.state_budget", "enterprise_committed": "f.enterprise_funds",
                        "other_committed": "f.other",
                    ], from: d.withOrder("fundings", "f")),
                Source(
                    key: key(d, "x.accepted_on"),
                    counts: [
                        "outputs_accepted": "1", "new_outputs": d.flag("x.novelty = 'new'"),
                        "outputs_due": d.flag("x.due_on IS NOT NULL"),
                        "outputs_on_time": d.flag(
                            "x.due_on IS NOT NULL AND x.accepted_on <= coalesce(x.extended_to, x.due_on)"),
                    ],
                    from: d.withOrder("outputs", "x"), condition: "x.accepted_on IS NOT NULL"),
                Source(
                    key: key(d, "p.paid_on"),
                    counts: [
                        "state_paid": "CASE p.source WHEN 'state' THEN p.amount ELSE 0 END",
                        "enterprise_paid": "CASE p.source WHEN 'enterprise' THEN p.amount ELSE 0 END",
                        "other_paid": "CASE p.source WHEN 'other' THEN p.amount ELSE 0 END",
                    ], from: d.withOrder("payments", "p")),
                Source(
                    key: key(d, "r.commercialized_on"), counts: ["results": "1", "revenue": "r.revenue"],
                    from: d.withOrder("results_live", "r")),
            ])
    }

    static func durations(in d: SQLDialect) -> Table {
        func step(_ name: String, _ from: String, _ to: String) -> Source {
            var k = key(d, "o.\(to)")
            k["step"] = "'\(name)'"
            k["days"] = d.days("o.\(from)", "o.\(to)")
            return Source(
                key: k, counts: ["orders": "1"], from: "orders o", condition: "o.\(to) IS NOT NULL")
        }
        return Table(
            name: "tally_durations", key: ["year", "province_code", "field", "step", "days"], counts: ["orders"],
            sources: [
                step("funded", "ordered_on", "funded_on"), step("delivered", "funded_on", "delivered_on"),
                step("commercialized", "delivered_on", "commercialized_on"),
            ])
    }

    /// One row per activity of an enterprise (`enterprise_id`; nationally also its source and
    /// tax code, which identifies it across sources).
    static func enterprises(in d: SQLDialect) -> Table {
        func activity(_ date: String, _ from: String, _ condition: String? = nil) -> Source {
            var k = key(d, date)
            k["enterprise_id"] = "o.enterprise_id"
            if d == .postgres {
                k["source_id"] = "o.source_id"
                k["enterprise_tax_code"] = "o.enterprise_tax_code"
            }
            return Source(key: k, counts: ["activities": "1"], from: from, condition: condition)
        }
        return Table(
            name: "tally_enterprises",
            key: ["year", "enterprise_id", "province_code", "field"]
                + (d == .postgres ? ["source_id", "enterprise_tax_code"] : []),
            counts: ["activities"],
            sources: [
                activity("o.funded_on", "orders o", "o.funded_on IS NOT NULL"),
                activity("x.accepted_on", d.withOrder("outputs", "x"), "x.accepted_on IS NOT NULL"),
                activity("p.paid_on", d.withOrder("payments", "p"), "p.reverses IS NULL"),
                activity("r.commercialized_on", d.withOrder("results_live", "r")),
            ])
    }

    static let all = [totals, durations, enterprises]

    /// Empties the three tables and fills them from the records (an upgrade from schema 1).
    static func rebuild(_ db: Database) throws {
        for table in all {
            try db.execute(sql: "DELETE FROM \(table.name)")
            try db.execute(
                sql:
                    "INSERT INTO \(table.name) (\((table.key + table.counts).joined(separator: ", "))) \(table.recomputed)"
            )
        }
    }

    /// The triggers of schema.sql that keep the totals row by row: every trigger that writes
    /// to one of the three tables (read from schema.sql, so one added there is set aside too).
    static func triggers() throws -> [String] {
        try Store.expectedSchemaInOrder().filter { object in
            object.type == "trigger" && all.contains { (object.sql ?? "").contains("INTO \($0.name) ") }
        }.map(\.name)
    }

    /// Adds the contributions of the orders with an id above `after` (and of their outputs,
    /// funding, payments and results) to the totals, set-wise: what a bulk load does instead of
    /// running `triggers` row by row (it sets them aside while it writes only new orders).
    static func addOrders(after: Int64, _ db: Database) throws {
        for table in all {
            let columns = (table.key + table.counts).joined(separator: ", ")
            let sums = table.counts.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
            try db.execute(
                sql: """
                    INSERT INTO \(table.name) (\(columns))
                    SELECT * FROM (\(table.recomputed(orders: "o.id > :after"))) WHERE true
                    ON CONFLICT (\(table.key.joined(separator: ", "))) DO UPDATE SET \(sums)
                    """, arguments: ["after": after])
        }
    }

    /// Where a kept total differs from the records: the key of each such row (at most `limit`
    /// per table) as a person reads it, and how many there are in all. The totals are
    /// recomputed once per table (materialized), then compared both ways.
    static func differences(_ db: Database, limit: Int = 10) throws -> [(table: Table, shown: [String], count: Int)] {
        var found: [(Table, [String], Int)] = []
        for table in all {
            // Keys whose row is missing, extra or different, each once.
            let keys = table.key.joined(separator: ", ")
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    WITH r AS MATERIALIZED (\(table.recomputed)), k AS MATERIALIZED (\(table.kept))
                    SELECT DISTINCT \(keys) FROM (
                        SELECT * FROM (SELECT * FROM r EXCEPT SELECT * FROM k)
                        UNION ALL SELECT * FROM (SELECT * FROM k EXCEPT SELECT * FROM r))
                    ORDER BY \(keys)
                    """)
            var shown: [String] = []
            var count = 0
            while let row = try rows.next() {
                count += 1
                if shown.count < limit {
                    shown.append(
                        zip(table.key, row.databaseValues).map { "\($0) \(Store.shown($1))" }.joined(separator: ", "))
                }
            }
            if count > 0 { found.append((table, shown, count)) }
        }
        return found
    }
}
