/// The national store's running totals (national/schema.sql: `tallies`, `tally_durations`,
/// `tally_enterprises`, the same tables as a province's file keeps, over every source), and the
/// SQL that keeps and checks them, generated from the province's one definition of each
/// indicator (`Tallies`, in the PostgreSQL dialect).
///
/// A publish batch takes the orders it touches, province by province, runs
/// `adjustments(sign: -1)` before it writes them (their contributions as the store held them
/// are taken away; orders registered in the batch have none), writes the batch's rows, then runs
/// `adjustments(sign: 1)` (their contributions as they now are are added). Each statement is for
/// one province, with the province, the source and the orders' ids bound (`$1`, `$2`, `$3`):
/// PostgreSQL then plans it against that province's partitions alone and reaches the orders'
/// outputs, funding, payments and results through their indexes, so a small batch costs what it
/// sends, however large the store. A large catch-up instead leaves its provinces' totals aside
/// while it writes, and recomputes them once at the end (`recompute`, one province at a time).
/// The reports read the totals with `FigureQuery.national`; `checks` prove the totals equal what
/// the records say.
public enum NationalFigureSQL {
    /// The orders of the province `$1` and source `$2` whose ids are in the array `$3`.
    private static let touched = "o.province_code = $1 AND o.source_id = $2::uuid AND o.id = ANY($3::bigint[])"

    /// The three tables of totals, in the PostgreSQL dialect.
    private static let tables = [
        Tallies.totals(in: .postgres), Tallies.durations(in: .postgres), Tallies.enterprises(in: .postgres),
    ]

    /// One INSERT … ON CONFLICT per table of totals: the contributions of the orders `$3` of the
    /// province `$1` and source `$2`, added (`sign` 1) or taken away (-1).
    public static func adjustments(sign: Int) -> [String] {
        tables.map {
            $0.adjustment(sign: sign, orders: touched)
        }
    }

    /// The totals of the province bound as `$1`, recomputed from its records: per table of
    /// totals, a DELETE of the province's rows, then an INSERT of them as the records give them.
    public static var recompute: [String] {
        tables.flatMap {
            [
                "DELETE FROM \($0.name) WHERE province_code = $1",
                "INSERT INTO \($0.name) (\(($0.key + $0.counts).joined(separator: ", "))) \($0.recomputed(orders: "o.province_code = $1"))",
            ]
        }
    }

    /// Per table of totals: its name, and a query of one row and one column, the number of keys
    /// whose kept totals differ from those recomputed from the records (0 when they agree),
    /// leaving out the provinces in the text array bound as `$1`.
    public static var checks: [(table: String, sql: String)] {
        tables.map {
            ($0.name, $0.differenceCount)
        }
    }

    /// One INSERT per table of totals, filling it from the records (an upgrade from version 1).
    public static var fills: [String] {
        tables.map {
            "INSERT INTO \($0.name) (\(($0.key + $0.counts).joined(separator: ", "))) \($0.recomputed)"
        }
    }

    /// `key, province_code, value`, oldest first (by set_at, then source and id), so that the
    /// latest for a key and province is the one in force: rows for `TargetTable.set(key:provinceCode:stored:)`.
    public static let targets = "SELECT key, province_code, value FROM targets ORDER BY set_at, source_id, id"
}
