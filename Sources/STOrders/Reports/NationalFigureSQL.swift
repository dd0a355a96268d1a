/// The national store's running totals (national/schema.sql: `tallies`, `tally_durations`,
/// `tally_enterprises`, the same tables as a province's file keeps, over every source), and the
/// SQL that keeps and checks them, generated from the province's one definition of each
/// indicator (`Tallies`, in the PostgreSQL dialect).
///
/// A publish batch lists the orders it touches in the temporary table `touched_orders`
/// (province_code, source_id, id), runs `adjustments(sign: -1)` before it writes them (their
/// contributions as the store held them are taken away), writes the batch's rows, then runs
/// `adjustments(sign: 1)` (their contributions as they now are are added). The reports read the
/// totals with `FigureQuery.national`; `checks` prove the totals equal what the records say.
public enum NationalFigureSQL {
    /// The temporary table of a batch's orders, made by the publisher in its transaction.
    public static let touchedOrders = """
        CREATE TEMP TABLE IF NOT EXISTS touched_orders (
            province_code text NOT NULL, source_id uuid NOT NULL, id bigint NOT NULL,
            PRIMARY KEY (province_code, source_id, id)) ON COMMIT DELETE ROWS
        """

    private static let touched =
        "EXISTS (SELECT 1 FROM touched_orders u WHERE u.province_code = o.province_code AND u.source_id = o.source_id AND u.id = o.id)"

    /// The three tables of totals, in the PostgreSQL dialect.
    private static let tables = [
        Tallies.totals(in: .postgres), Tallies.durations(in: .postgres), Tallies.enterprises(in: .postgres),
    ]

    /// One INSERT … ON CONFLICT per table of totals: the contributions of the touched orders,
    /// added (`sign` 1) or taken away (-1).
    public static func adjustments(sign: Int) -> [String] {
        tables.map {
            $0.adjustment(sign: sign, orders: touched)
        }
    }

    /// Per table of totals: its name, and a query of one row and one column, the number of keys
    /// whose kept totals differ from those recomputed from the records (0 when they agree).
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
