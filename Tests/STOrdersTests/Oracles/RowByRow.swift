import Foundation
import GRDB

@testable import STOrders

/// Every column of every table of a database, read with plain SQL (no decoder of the product's),
/// with each row id replaced by what names the row outside this file: an enterprise by its tax
/// code, an order by its code, an output, payment or result by its order's code and number, an
/// event by its order's code and its place in that order's history. Two databases hold the same
/// records exactly when their `RowByRow.lines` are equal, whatever ids each happened to assign.
///
/// A table with ids it cannot name is an error, not a silent skip: a table schema.sql gains must
/// be named here before any comparison passes. The columns are read from the file itself.
enum RowByRow {
    enum Failure: Error, CustomStringConvertible {
        case unknownTable(String)
        case unknownReference(table: String, column: String, id: Int64)
        var description: String {
            switch self {
            case .unknownTable(let t): return "RowByRow does not know how to name the rows of table \(t)"
            case .unknownReference(let t, let c, let id): return "\(t).\(c) = \(id) names no row"
            }
        }
    }

    /// How each table with surrogate ids names its rows, as SQL returning (id, name).
    static let names: [String: String] = [
        "enterprises": "SELECT id, 'enterprise ' || tax_code FROM enterprises",
        "orders": "SELECT id, 'order ' || code FROM orders",
        // A funding's row id is its order's (order_id is its INTEGER PRIMARY KEY); events name it so.
        "fundings": "SELECT f.order_id, 'funding of ' || o.code FROM fundings f JOIN orders o ON o.id = f.order_id",
        "outputs":
            "SELECT x.id, 'output ' || o.code || '/' || x.number FROM outputs x JOIN orders o ON o.id = x.order_id",
        "payments":
            "SELECT p.id, 'payment ' || o.code || '/' || p.number FROM payments p JOIN orders o ON o.id = p.order_id",
        "results":
            "SELECT r.id, 'result ' || o.code || '/' || r.number FROM results r JOIN orders o ON o.id = r.order_id",
        "result_retractions": """
        SELECT t.id, 'retraction of result ' || o.code || '/' || r.number
        FROM result_retractions t JOIN results r ON r.id = t.result_id JOIN orders o ON o.id = r.order_id
        """,
        "events": """
        SELECT e.id, 'event ' || o.code || '#' || (SELECT count(*) FROM events f WHERE f.order_id = e.order_id AND f.id <= e.id)
        FROM events e JOIN orders o ON o.id = e.order_id
        """,
        "amendments":
            "SELECT a.id, 'amendment ' || o.code || '/' || a.number FROM amendments a JOIN orders o ON o.id = a.order_id",
        "targets": "SELECT id, 'target #' || (SELECT count(*) FROM targets u WHERE u.id <= t.id) FROM targets t",
        // A seal by its place in the seals' chain (the enterprises' and targets' history).
        "seals": "SELECT id, 'seal #' || (SELECT count(*) FROM seals u WHERE u.id <= s.id) FROM seals s",
        // Version 4's tables, outside the order records: an account by its login, a token and an
        // audit line by their place.
        "accounts": "SELECT id, 'account ' || login FROM accounts",
        "api_tokens":
            "SELECT id, 'token #' || (SELECT count(*) FROM api_tokens u WHERE u.id <= t.id) FROM api_tokens t",
        "audit_log": "SELECT id, 'audit #' || (SELECT count(*) FROM audit_log u WHERE u.id <= a.id) FROM audit_log a",
        // Version 6: a document by its order's code and number, a checklist row by its place.
        "documents":
            "SELECT d.id, 'document ' || o.code || '/' || d.number FROM documents d JOIN orders o ON o.id = d.order_id",
        "checklist":
            "SELECT id, 'checklist #' || (SELECT count(*) FROM checklist u WHERE u.id <= c.id) FROM checklist c",
        // Version 7: a payment request by its order's code and number.
        "payment_requests": """
        SELECT q.id, 'payment request ' || o.code || '/' || q.number FROM payment_requests q JOIN orders o ON o.id = q.order_id
        """,
        // Version 8: an advance or recovery by its order's code and number, a limit's setting by its place.
        "advances":
            "SELECT v.id, 'advance ' || o.code || '/' || v.number FROM advances v JOIN orders o ON o.id = v.order_id",
        "advance_limits":
            "SELECT id, 'advance limit #' || (SELECT count(*) FROM advance_limits u WHERE u.id <= l.id) FROM advance_limits l",
    ]

    /// Columns that hold another table's id without a declared foreign key.
    static let undeclared: [String: [String: String]] = [
        "tally_enterprises": ["enterprise_id": "enterprises"]
    ]

    /// The file's own identity (schema version 5), not a record: every database, a restored one
    /// included, is a source of its own for the national store (docs/national.md), so two files
    /// holding the same records differ here by design.
    static let fileIdentity: Set<String> = ["source.id", "source.name", "source.created_at"]

    /// Every row of every table, one line each, ids translated, sorted within each table; the
    /// columns named in `ignoring` ("table.column") and the file's identity are left out.
    static func lines(_ db: Database, ignoring: Set<String> = []) throws -> [String] {
        let ignoring = ignoring.union(fileIdentity)
        var idNames: [String: [Int64: String]] = [:]
        let tables = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
        for table in tables {
            let columns = try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?)", arguments: [table])
            let hasID = columns.contains { ($0["name"] as String) == "id" && ($0["pk"] as Int) == 1 }
            if hasID || names[table] != nil {
                guard let sql = names[table] else { throw Failure.unknownTable(table) }
                var map: [Int64: String] = [:]
                for row in try Row.fetchAll(db, sql: sql) { map[row[0]] = row[1] }
                idNames[table] = map
            }
        }
        var lines: [String] = []
        for table in tables {
            let columns = try String.fetchAll(
                db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
            var targets: [String: String] = undeclared[table] ?? [:]
            for fk in try Row.fetchAll(
                db, sql: "SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)", arguments: [table])
            {
                targets[fk["from"]] = fk["table"]
            }
            if idNames[table] != nil && columns.contains("id") { targets["id"] = table }
            var rows: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                var cells: [String] = []
                for (index, column) in columns.enumerated() where !ignoring.contains("\(table).\(column)") {
                    let value = row[index] as DatabaseValue
                    var referenced = targets[column]
                    // events.record_id and seals.record_id name a row of the table in record_table.
                    if (table == "events" || table == "seals") && column == "record_id" {
                        referenced = row["record_table"]
                    }
                    if let referenced, referenced != "provinces", let id = Int64.fromDatabaseValue(value) {
                        guard let name = idNames[referenced]?[id] else {
                            throw Failure.unknownReference(table: table, column: column, id: id)
                        }
                        cells.append("\(column)=<\(name)>")
                    } else {
                        cells.append("\(column)=\(value)")
                    }
                }
                rows.append("\(table): " + cells.joined(separator: " | "))
            }
            lines += rows.sorted()
        }
        return lines
    }

    /// The lines of `a` missing from `b` and those of `b` missing from `a`, the first few each.
    static func differences(_ a: [String], _ b: [String], limit: Int = 5) -> [String] {
        let left = Set(a)
        let right = Set(b)
        return a.filter { !right.contains($0) }.prefix(limit).map { "only in the first: \($0)" }
            + b.filter { !left.contains($0) }.prefix(limit).map { "only in the second: \($0)" }
    }
}
