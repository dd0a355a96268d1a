import GRDB

/// The indicators' running totals (`tallies`, `tally_durations`, `tally_enterprises` in
/// schema.sql), kept by triggers as rows are written, and here computed a second, independent
/// way: from the records alone, in one set-wise pass. That second way fills the tables when a
/// file of schema version 1 is upgraded, and lets `storders verify` prove the kept totals equal
/// what the records say.
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
        var recomputed: String { recomputed(newOrdersOnly: false) }

        /// The same, for the orders whose id is above the bound parameter `:after` only.
        func recomputed(newOrdersOnly: Bool) -> String {
            let branches = sources.map { source in
                let values = key.map { source.key[$0]! } + counts.map { source.counts[$0] ?? "0" }
                let columns = zip(values, key + counts).map { "\($0) AS \($1)" }.joined(separator: ", ")
                let conditions = [source.condition, newOrdersOnly ? "o.id > :after" : nil].compactMap { $0 }
                let condition = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
                return "SELECT \(columns) FROM \(source.from)\(condition)"
            }
            return """
                SELECT \((key + counts.map { "sum(\($0))" }).joined(separator: ", "))
                FROM (\(branches.joined(separator: "\nUNION ALL ")))
                GROUP BY \(key.joined(separator: ", "))
                HAVING \(counts.map { "sum(\($0)) <> 0" }.joined(separator: " OR "))
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

    static func year(_ column: String) -> String { "CAST(substr(\(column), 1, 4) AS INTEGER)" }
    static func days(_ from: String, _ to: String) -> String {
        "CAST(julianday(\(to)) - julianday(\(from)) AS INTEGER)"
    }
    private static func key(_ date: String, _ o: String = "o") -> [String: String] {
        ["year": year(date), "province_code": "\(o).province_code", "field": "\(o).field"]
    }

    static let totals = Table(
        name: "tallies",
        key: ["year", "province_code", "field"],
        counts: [
            "registered", "decided", "registered_funded", "registered_delivered", "registered_commercialized",
            "registered_cancelled", "funded", "state_budget_committed", "enterprise_committed", "other_committed",
            "outputs_accepted", "new_outputs", "state_paid", "enterprise_paid", "other_paid", "results", "revenue",
            "delivered", "delivered_commercialized",
        ],
        sources: [
            Source(
                key: key("o.ordered_on"),
                counts: [
                    "registered": "1",
                    "decided": "substr(coalesce(o.funded_on, o.cancelled_on), 1, 4) IS substr(o.ordered_on, 1, 4)",
                    "registered_funded": "o.funded_on IS NOT NULL",
                    "registered_delivered": "o.delivered_on IS NOT NULL",
                    "registered_commercialized": "o.commercialized_on IS NOT NULL",
                    "registered_cancelled": "o.cancelled_on IS NOT NULL",
                ], from: "orders o"),
            Source(
                key: key("o.funded_on"), counts: ["funded": "1"], from: "orders o", condition: "o.funded_on IS NOT NULL"
            ),
            Source(
                key: key("o.delivered_on"),
                counts: ["delivered": "1", "delivered_commercialized": "o.commercialized_on IS NOT NULL"],
                from: "orders o", condition: "o.delivered_on IS NOT NULL"),
            Source(
                key: key("f.funded_on"),
                counts: [
                    "state_budget_committed": "f.state_budget", "enterprise_committed": "f.enterprise_funds",
                    "other_committed": "f.other",
                ], from: "fundings f JOIN orders o ON o.id = f.order_id"),
            Source(
                key: key("x.accepted_on"), counts: ["outputs_accepted": "1", "new_outputs": "x.novelty = 'new'"],
                from: "outputs x JOIN orders o ON o.id = x.order_id", condition: "x.accepted_on IS NOT NULL"),
            Source(
                key: key("p.paid_on"),
                counts: [
                    "state_paid": "CASE p.source WHEN 'state' THEN p.amount ELSE 0 END",
                    "enterprise_paid": "CASE p.source WHEN 'enterprise' THEN p.amount ELSE 0 END",
                    "other_paid": "CASE p.source WHEN 'other' THEN p.amount ELSE 0 END",
                ], from: "payments p JOIN orders o ON o.id = p.order_id"),
            Source(
                key: key("r.commercialized_on"), counts: ["results": "1", "revenue": "r.revenue"],
                from: "results_live r JOIN orders o ON o.id = r.order_id"),
        ])

    static let durations: Table = {
        func step(_ name: String, _ from: String, _ to: String) -> Source {
            var k = key("o.\(to)")
            k["step"] = "'\(name)'"
            k["days"] = days("o.\(from)", "o.\(to)")
            return Source(key: k, counts: ["orders": "1"], from: "orders o", condition: "o.\(to) IS NOT NULL")
        }
        return Table(
            name: "tally_durations", key: ["year", "province_code", "field", "step", "days"], counts: ["orders"],
            sources: [
                step("funded", "ordered_on", "funded_on"), step("delivered", "funded_on", "delivered_on"),
                step("commercialized", "delivered_on", "commercialized_on"),
            ])
    }()

    static let enterprises: Table = {
        func activity(_ date: String, _ from: String, _ condition: String? = nil) -> Source {
            var k = key(date)
            k["enterprise_id"] = "o.enterprise_id"
            return Source(key: k, counts: ["activities": "1"], from: from, condition: condition)
        }
        return Table(
            name: "tally_enterprises", key: ["year", "enterprise_id", "province_code", "field"], counts: ["activities"],
            sources: [
                activity("o.funded_on", "orders o", "o.funded_on IS NOT NULL"),
                activity("x.accepted_on", "outputs x JOIN orders o ON o.id = x.order_id", "x.accepted_on IS NOT NULL"),
                activity("p.paid_on", "payments p JOIN orders o ON o.id = p.order_id", "p.reverses IS NULL"),
                activity("r.commercialized_on", "results_live r JOIN orders o ON o.id = r.order_id"),
            ])
    }()

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
                    SELECT * FROM (\(table.recomputed(newOrdersOnly: true))) WHERE true
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
