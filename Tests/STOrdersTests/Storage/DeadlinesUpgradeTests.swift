import Foundation
import GRDB
import Testing

@testable import STOrders

/// Version 5 → 6: outputs and fundings gain their dates (NULL for the rows there), the amendments
/// table and the deadlines' triggers arrive, the file then has exactly schema.sql's schema, no
/// record is rewritten, and `verify` finds the old history intact.
@Suite struct DeadlinesUpgradeTests {
    /// schema.sql as version 5 had it (Tests/Support/schema-v5.sql, copied from the commit before 6).
    static let schemaV5 = Downgrade.frozenSchema(5)

    static func schemaV5Objects() throws -> [String: Store.SchemaObject] {
        try Downgrade.frozenObjects(5)
    }

    /// Turns a file of version 6 whose orders have no dates (as every order of version 5) into the
    /// file version 5 wrote: version 6's objects dropped, its columns dropped, the changed texts set
    /// back. Checked against schema-v5.sql, object by object.
    static func downgradeToVersion5(_ t: TempStore) throws {
        let v5 = try schemaV5Objects()
        let queue = try t.raw()
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            let present = try Store.schemaObjectsInOrder(db)
            for object in present.reversed() where object.sql != nil && object.type != "table" {
                if let old = v5[object.key], old.sql == object.sql { continue }
                try db.execute(sql: "DROP \(object.type.uppercased()) \(object.name)")
                if let sql = v5[object.key]?.sql { try db.execute(sql: sql) }
            }
            // Every table version 5 lacks (the amendments, and the documents' blobs, documents, checklist).
            for object in present.reversed() where object.type == "table" && v5[object.key] == nil {
                try db.execute(sql: "DROP TABLE \(object.name)")
            }
            try Downgrade.dropSettledColumn(db)
            for (table, column) in [
                ("outputs", "extended_to"), ("outputs", "due_on"), ("fundings", "ends_extended_to"),
                ("fundings", "ends_on"), ("fundings", "starts_on"), ("tallies", "outputs_on_time"),
                ("tallies", "outputs_due"), ("accounts", "email"),
            ] {
                try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN \(column)")
            }
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            for table in ["outputs", "fundings", "events", "tallies", "payments", "accounts"] {
                try db.execute(
                    sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                    arguments: [v5["table \(table)"]?.sql, table])
            }
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
            try db.execute(sql: "PRAGMA user_version = 5")
        }
    }

    @Test func aVersion5FileGetsItsDatesAsNullAndKeepsItsHistory() throws {
        #expect(!Self.schemaV5.isEmpty)
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let f = try Fixture(store: t.store)
        let funded = try f.funded()
        let delivered = try f.delivered()
        try f.store.recordPayment(
            order: delivered, output: 1, amount: 1_000_000_000, source: .state, reference: "UNC 0142/KBNN-TN",
            on: try day("2025-12-01"))
        _ = try f.ordered()
        try Self.downgradeToVersion5(t)
        let (before, events) = try t.raw().read { db in
            (
                try Store.schemaObjects(db),
                try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY id").map(\.description)
            )
        }
        #expect(before == (try Self.schemaV5Objects()))

        let store = try Store.open(path: t.path, actor: "nâng cấp")
        let (version, schema, eventsAfter, dated) = try t.raw().read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version"), try Store.schemaObjects(db),
                try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY id").map(\.description),
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT count(*) FROM outputs WHERE due_on IS NOT NULL OR extended_to IS NOT NULL)
                             + (SELECT count(*) FROM fundings WHERE starts_on IS NOT NULL OR ends_on IS NOT NULL
                                                                 OR ends_extended_to IS NOT NULL)
                        """)
            )
        }
        #expect(version == Store.schemaVersion)
        #expect(schema == (try Store.expectedSchema()))
        #expect(eventsAfter == events)  // the history is not rewritten
        #expect(dated == 0)
        #expect(try store.verify().findings.isEmpty)

        // What an upgraded funded order shows: no due dates, no period, nothing due, nothing to amend.
        let d = try store.orderDetail(code: funded)
        #expect(d.outputs.allSatisfy { $0.dueOn == nil } && d.funding?.startsOn == nil && d.funding?.endsOn == nil)
        var due: [DueLine] = []
        try store.forEachDue(DueFilter(asOf: try day("2030-01-01"), withinDays: 365)) { due.append($0) }
        #expect(due.isEmpty)
        #expect(throws: STOrdersError.amendmentNoDate(order: funded, what: "the contract's end")) {
            try store.amend(
                order: funded, .contractEnd, to: try day("2027-01-01"), reason: "Gia hạn", on: try day("2025-06-01"))
        }
        // It still takes the old steps; a new order gets deadlines.
        try store.acceptOutput(order: funded, number: 1, on: try day("2025-10-01"))
        let fresh = try DeadlinesTests.orderWithDues(
            Fixture(store: store, enterprisesExist: true), due2: try day("2026-03-31"))
        try DeadlinesTests.period(Fixture(store: store, enterprisesExist: true), fresh)
        // The same step made the documents' tables: a document is attached to the old order's output and
        // to the new order, and the checklist, set, refuses an acceptance without minutes.
        let minutes = try store.attachDocument(
            order: funded, content: try DocumentContent(bytes: Array("Biên bản nghiệm thu".utf8), name: "bb.pdf"),
            fileName: "Biên bản nghiệm thu.pdf", kind: .minutes, output: 1, on: try day("2025-10-01"))
        #expect(try store.documents(order: funded) == [minutes])
        try store.setChecklist(.accept, kinds: [.minutes])
        let unchanged = try t.fingerprint()
        #expect(throws: STOrdersError.checklistUnmet(order: fresh, step: .accept, target: 1, missing: [.minutes])) {
            try store.acceptOutput(order: fresh, number: 1, on: try day("2025-10-01"))
        }
        #expect(try t.fingerprint() == unchanged)
        #expect(try store.verify().findings.isEmpty)
        // Opening again changes nothing more.
        let again = try t.fingerprint()
        _ = try Store.open(path: t.path, actor: "nâng cấp")
        #expect(try t.fingerprint() == again)
    }

    @Test func schemaSQLDeclaresVersion10() {
        #expect(Store.schemaVersion == 10)
        #expect(Store.schemaSQL.contains("PRAGMA user_version = 10;"))
        #expect(Self.schemaV5.contains("PRAGMA user_version = 5;"))
    }
}
