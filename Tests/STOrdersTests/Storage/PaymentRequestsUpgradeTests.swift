import Foundation
import GRDB
import Testing

@testable import STOrders

/// Version 6 → 7: the events table's CHECKs learn the payment requests' vocabulary and the
/// `payment_requests` table arrives with its indexes and triggers; the file then has exactly
/// schema.sql's schema, no record is rewritten, and the old history verifies.
@Suite struct PaymentRequestsUpgradeTests {
    /// schema.sql as version 6 had it (Tests/Support/schema-v6.sql, copied from the commit before 7).
    static let schemaV6 = Downgrade.frozenSchema(6)

    static func schemaV6Objects() throws -> [String: Store.SchemaObject] {
        try Downgrade.frozenObjects(6)
    }

    /// Turns a file of version 7 or later without payment requests into the file version 6 wrote:
    /// every index and trigger version 7 added or reworded dropped, the requests' table dropped, the
    /// running totals' two deadline columns and the accounts' e-mail (version 8) dropped, the events' and tallies' texts set back to
    /// version 6's, and version 6's own indexes and triggers made again. Checked against
    /// schema-v6.sql, object by object.
    static func downgradeToVersion6(_ t: TempStore) throws {
        let v6 = try schemaV6Objects()
        let queue = try t.raw()
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try Downgrade.dropIndexesAndTriggers(db, notIn: v6)
            try Downgrade.dropRequestColumn(db)
            try Downgrade.undoVersion10(db)
            try db.execute(sql: "DROP TABLE payment_requests; DROP TABLE advances; DROP TABLE advance_limits")
            try Downgrade.dropSettledColumn(db)
            try db.execute(sql: "ALTER TABLE tallies DROP COLUMN outputs_on_time")
            try db.execute(sql: "ALTER TABLE tallies DROP COLUMN outputs_due")
            try db.execute(sql: "ALTER TABLE accounts DROP COLUMN email")
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            for table in ["events", "tallies", "payments", "accounts", "documents", "checklist"] {
                try db.execute(
                    sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                    arguments: [v6["table \(table)"]?.sql, table])
            }
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
            let present = try Store.schemaObjects(db)
            for (key, object) in v6 where object.type != "table" && present[key] == nil {
                guard let sql = object.sql else { continue }
                try db.execute(sql: sql)
            }
            try db.execute(sql: "PRAGMA user_version = 6")
        }
    }

    @Test func aVersion6FileGetsThePaymentRequestsAndKeepsItsHistory() throws {
        #expect(Self.schemaV6.contains("PRAGMA user_version = 6;"))
        let t = try TempStore()
        defer { t.cleanUp() }
        try Self.downgradeToVersion6(t)
        let (before, rows) = try t.raw().read { db in (try Store.schemaObjects(db), try everyRow(db)) }
        #expect(before == (try Self.schemaV6Objects()))
        // A version 6 events table refuses the new actions.
        #expect(throws: DatabaseError.self) {
            try t.tamper(
                "INSERT INTO events SELECT NULL, order_id, occurred_on, recorded_at, 'payment_requested', details, actor, NULL, NULL, NULL, hash FROM events LIMIT 1"
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
        // No record touched, the history not rewritten; the running totals gain their two
        // deadline counts, recomputed from the records (verify compares every total).
        // (Version 8's payments' `settled` is 0 and version 9's documents' `request_id` NULL in
        // every row the file had.)
        let totals = { (lines: [String]) in
            lines.filter { !$0.hasPrefix("tallies: ") }.map {
                $0.replacingOccurrences(of: " settled:0]", with: "]").replacingOccurrences(
                    of: " request_id:NULL]", with: "]")
            }
        }
        #expect(totals(after) == totals(rows))
        let (due, onTime, accepted) = try t.raw().read { db in
            (
                try Int.fetchOne(db, sql: "SELECT sum(outputs_due) FROM tallies"),
                try Int.fetchOne(db, sql: "SELECT sum(outputs_on_time) FROM tallies"),
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM outputs WHERE accepted_on IS NOT NULL AND due_on IS NOT NULL")
            )
        }
        #expect(due == accepted && (accepted ?? 0) > 0)
        #expect((onTime ?? 0) > 0 && (onTime ?? 0) <= (due ?? 0))
        #expect(integrity == ["ok"])
        #expect(try store.verify().findings.isEmpty)

        // The upgraded file takes requests on an old order, and a direct payment counts them.
        let nano = "79-2025-0001"
        let r = try store.requestPayment(
            order: nano, output: 1, amount: 300_000_000, source: .enterprise, on: try day("2026-09-01"))
        #expect(r.number == 1)
        #expect(
            throws: STOrdersError.paymentExceedsOutput(
                order: nano, number: 1, amount: 1, remaining: 0, reserved: 300_000_000)
        ) { try store.recordPayment(order: nano, output: 1, amount: 1, source: .other, on: try day("2026-09-01")) }
        try store.approvePaymentRequest(order: nano, number: 1, on: try day("2026-09-02"))
        try store.disbursePaymentRequest(order: nano, number: 1, reference: "UNC 0902/KBNN", on: try day("2026-09-03"))
        #expect(try store.verify().findings.isEmpty)
        // Opening again changes nothing more.
        let again = try t.fingerprint()
        _ = try Store.open(path: t.path, actor: "nâng cấp")
        #expect(try t.fingerprint() == again)
    }

    @Test func aVersion6EventsTableOfAnotherShapeIsRefusedAndLeftAsItWas() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        try Self.downgradeToVersion6(t)
        let odd = try t.raw().read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'") ?? ""
        }.replacingOccurrences(of: " OR action = 'cancelled'", with: "")
        let queue = try t.raw()
        try queue.writeWithoutTransaction { db in
            let cookie = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(
                sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'events'", arguments: [odd])
            try db.execute(sql: "PRAGMA schema_version = \(cookie + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        }
        try queue.close()
        let before = try t.fingerprint()
        let schemaBefore = try t.raw().read { db in try Store.schemaObjects(db) }
        #expect {
            _ = try Store.open(path: t.path, actor: "nâng cấp")
        } throws: { error in
            (error as? STOrdersError)?.code == "constraint_violated"
        }
        #expect(try t.fingerprint() == before)
        #expect(try t.raw().read { db in try Store.schemaObjects(db) } == schemaBefore)
        #expect(try t.raw().read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == 6)
    }
}
