import Foundation
import GRDB

@testable import STOrders

/// What the downgrades of the upgrade tests share: taking version 8's `settled` column off the
/// payments, and version 9's `request_id` off the documents. SQLite drops a column only when no CHECK names it, so the table's CHECK on it is
/// taken out of its text first (by the writable_schema procedure the upgrade itself uses), then
/// the column is dropped; the caller sets the table's text to the older version's afterwards.
/// Every trigger naming the column must be dropped before.
enum Downgrade {
    static let settledCheck =
        "    CHECK (settled = 0 OR (source = 'state' AND settled BETWEEN min(amount, 0) AND max(amount, 0))),\n"

    static func dropSettledColumn(_ db: Database) throws {
        try dropColumn(db, "payments", "settled", textEdit: (settledCheck, ""))
    }

    /// Version 9's `request_id` of a document and the table CHECK naming it, as schema.sql has them.
    static let requestColumn =
        "    request_id   INTEGER REFERENCES payment_requests (id),\n    CHECK (output_id IS NULL OR request_id IS NULL),\n"

    /// Takes version 9's `request_id` off the documents: the column's reference and the CHECK
    /// naming it are taken out of the table's text first (SQLite drops neither a referencing
    /// column nor one a CHECK names), then the column is dropped. The trigger naming it
    /// (`documents_of_own_request`) must be dropped before; the caller sets the documents' and the
    /// checklist's texts to the older version's afterwards.
    static func dropRequestColumn(_ db: Database) throws {
        try dropColumn(db, "documents", "request_id", textEdit: (requestColumn, "    request_id   INTEGER,\n"))
    }

    /// Drops a column SQLite would not drop as the table's text stands: the text is edited first
    /// (`textEdit` replaces what names the column in a CHECK or a reference), then the column is
    /// dropped. Refuses a text that does not hold what is to be edited.
    static func dropColumn(_ db: Database, _ table: String, _ column: String, textEdit: (String, String)) throws {
        let text =
            try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])
            ?? ""
        precondition(text.contains(textEdit.0), "schema.sql's \(table) table is not as this downgrade expects")
        try setTableText(db, table, text.replacingOccurrences(of: textEdit.0, with: textEdit.1))
        try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN \(column)")
    }

    /// Drops every index and trigger whose text is not the older version's `frozen` one (those it
    /// lacks and those it words otherwise), the first step of each downgrade.
    static func dropIndexesAndTriggers(_ db: Database, notIn frozen: [String: Store.SchemaObject]) throws {
        for (key, object) in try Store.schemaObjects(db)
        where object.type != "table" && object.sql != nil && frozen[key]?.sql != object.sql {
            try db.execute(sql: "DROP \(object.type.uppercased()) IF EXISTS \(object.name)")
        }
    }

    /// Takes version 10 off a file whose triggers and indexes it added were dropped already: the
    /// advance balances' table dropped, the advance limit's `hash` dropped and its table's text set
    /// back to version 9's, and version 9's inbox index on the advances (`advances_by_date`) made
    /// again, each as schema-v9.sql has it, when the file has those tables.
    static func undoVersion10(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE advance_balances")
        let v9 = try frozenObjects(9)
        guard try db.tableExists("advances"), let index = v9["index advances_by_date"]?.sql else { return }
        try db.execute(sql: "ALTER TABLE advance_limits DROP COLUMN hash")
        try setTableText(db, "advance_limits", v9["table advance_limits"]?.sql)
        try db.execute(sql: index)
    }

    /// schema.sql as version `version` had it (Tests/Support/schema-v<version>.sql, copied from the
    /// commit before the next version).
    static func frozenSchema(_ version: Int) -> String {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Support/schema-v\(version).sql")
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    /// The schema objects of a new file made by `frozenSchema(version)`.
    static func frozenObjects(_ version: Int) throws -> [String: Store.SchemaObject] {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: frozenSchema(version)) }
        return try queue.read { db in try Store.schemaObjects(db) }
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
