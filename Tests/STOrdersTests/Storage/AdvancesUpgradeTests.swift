import Foundation
import GRDB
import Testing

@testable import STOrders

/// Version 7 → 8 (docs/advances.md, docs/notices.md): payments gain `settled` (0) and accounts
/// `email` (NULL), the notices get their index by day, the events table's CHECKs learn
/// the advances' vocabulary, the `advances` and `advance_limits` tables arrive with their index and
/// triggers, and the triggers on orders and payments that keep the settlement are added; the file
/// then has exactly schema.sql's schema, no record is rewritten, and the old history verifies.
@Suite struct AdvancesUpgradeTests {
    /// schema.sql as version 7 had it (Tests/Support/schema-v7.sql, copied from the commit before 8).
    static let schemaV7 = Downgrade.frozenSchema(7)

    static func schemaV7Objects() throws -> [String: Store.SchemaObject] {
        try Downgrade.frozenObjects(7)
    }

    /// Turns a file of version 8 without advances into the file version 7 wrote: every index and
    /// trigger version 8 added or reworded dropped, the advances' tables dropped, the payments'
    /// `settled` column and the accounts' `email` dropped, the events', payments' and accounts'
    /// texts set back to version 7's, and
    /// version 7's own indexes and triggers made again. Checked against schema-v7.sql.
    static func downgradeToVersion7(_ t: TempStore) throws {
        let v7 = try schemaV7Objects()
        let queue = try t.raw()
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try Downgrade.dropIndexesAndTriggers(db, notIn: v7)
            try Downgrade.dropRequestColumn(db)
            try Downgrade.undoVersion10(db)
            try db.execute(sql: "DROP TABLE advances; DROP TABLE advance_limits")
            try Downgrade.dropSettledColumn(db)
            try db.execute(sql: "ALTER TABLE accounts DROP COLUMN email")
            for table in ["events", "payments", "accounts", "documents", "checklist"] {
                try Downgrade.setTableText(db, table, v7["table \(table)"]?.sql)
            }
            let present = try Store.schemaObjects(db)
            for (key, object) in v7 where object.type != "table" && present[key] == nil {
                guard let sql = object.sql else { continue }
                try db.execute(sql: sql)
            }
            try db.execute(sql: "PRAGMA user_version = 7")
        }
    }

    @Test func aVersion7FileGetsTheAdvancesAndKeepsItsHistory() throws {
        #expect(Self.schemaV7.contains("PRAGMA user_version = 7;"))
        let t = try TempStore()
        defer { t.cleanUp() }
        try Self.downgradeToVersion7(t)
        let (before, rows) = try t.raw().read { db in (try Store.schemaObjects(db), try everyRow(db)) }
        #expect(before == (try Self.schemaV7Objects()))
        // A version 7 events table refuses the new actions.
        #expect(throws: DatabaseError.self) {
            try t.tamper(
                "INSERT INTO events SELECT NULL, order_id, occurred_on, recorded_at, 'advanced', details, actor, NULL, NULL, NULL, hash FROM events LIMIT 1"
            )
        }

        let store = try Store.open(path: t.path, actor: "nâng cấp")
        let (version, schema, after, integrity) = try t.raw().read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version"), try Store.schemaObjects(db), try everyRow(db),
                try String.fetchAll(db, sql: "PRAGMA integrity_check")
            )
        }
        #expect(version == Store.schemaVersion)
        #expect(schema == (try Store.expectedSchema()))
        // No record rewritten: every row as it was, each payment with nothing settled and each
        // account without an address.
        let widened = { (line: String) in
            line.hasPrefix("payments: ") || line.hasPrefix("accounts: ") || line.hasPrefix("documents: ")
        }
        #expect(after.filter { !widened($0) } == rows.filter { !widened($0) })
        #expect(after.filter(widened).count == rows.filter(widened).count)
        #expect(
            try t.raw().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM payments WHERE settled <> 0") }
                == 0)
        #expect(
            try t.raw().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts WHERE email IS NOT NULL")
            }
                == 0)
        #expect(integrity == ["ok"])
        #expect(try store.verify().findings.isEmpty)
        #expect(try store.advanceLimit() == nil)

        // The upgraded file takes advances on an old funded order once a limit is set.
        let nano = "79-2025-0001"
        #expect(throws: STOrdersError.advanceLimitUnset(order: nano)) {
            try store.makeAdvance(order: nano, amount: 1, reference: "UNC 1", on: try day("2026-09-01"))
        }
        try store.setAdvanceLimit(basisPoints: 5000)
        try store.makeAdvance(
            order: nano, amount: 100_000_000, reference: "UNC 0901/KBNN-HCM", on: try day("2026-09-01"))
        let p = try store.recordPayment(order: nano, output: 1, amount: 100_000_000, on: try day("2026-09-02"))
        #expect(p.settled == 100_000_000)
        #expect(try store.verify().findings.isEmpty)
        // Opening again changes nothing more.
        let again = try t.fingerprint()
        _ = try Store.open(path: t.path, actor: "nâng cấp")
        #expect(try t.fingerprint() == again)
    }
}
