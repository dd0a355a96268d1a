import GRDB

@testable import STOrders

/// What the downgrades of the upgrade tests share: taking version 8's `settled` column off the
/// payments. SQLite drops a column only when no CHECK names it, so the table's CHECK on it is
/// taken out of its text first (by the writable_schema procedure the upgrade itself uses), then
/// the column is dropped; the caller sets the table's text to the older version's afterwards.
/// Every trigger naming the column must be dropped before.
enum Downgrade {
    static let settledCheck =
        "    CHECK (settled = 0 OR (source = 'state' AND settled BETWEEN min(amount, 0) AND max(amount, 0))),\n"

    static func dropSettledColumn(_ db: Database) throws {
        let text =
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'payments'")
            ?? ""
        try setTableText(db, "payments", text.replacingOccurrences(of: settledCheck, with: ""))
        try db.execute(sql: "ALTER TABLE payments DROP COLUMN settled")
    }

    /// Sets a table's CREATE text, as `Store.widenTableTexts` does.
    static func setTableText(_ db: Database, _ table: String, _ sql: String?) throws {
        let cookie = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        try db.execute(
            sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", arguments: [sql, table])
        try db.execute(sql: "PRAGMA schema_version = \(cookie + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
    }
}
