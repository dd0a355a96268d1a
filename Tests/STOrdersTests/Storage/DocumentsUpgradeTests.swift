import GRDB
import Testing

@testable import STOrders

/// Version 5 → 6: the events table's CHECKs learn the document vocabulary and the documents,
/// contents and checklist tables are added; the file then has exactly schema.sql's schema, and
/// no record is touched.
@Suite struct DocumentsUpgradeTests {
    /// A version 5 file, made from a fresh one: the version 6 tables dropped and the events
    /// table's text put back as version 5 wrote it (by the same writable_schema procedure).
    static func makeVersion5(_ t: TempStore) throws {
        let events = try t.raw().read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'") ?? ""
        }
        let version5 =
            (Store.eventsVocabularyAddedInVersion6 + Store.eventsVocabularyAddedInVersion7
            + Store.eventsVocabularyAddedInVersion8).reduce(events) {
                $0.replacingOccurrences(of: $1, with: "")
            }
        #expect(version5 != events)
        let queue = try t.raw()
        try queue.writeWithoutTransaction { db in
            try db.execute(
                sql:
                    "DROP TABLE advances; DROP TABLE advance_limits; DROP TABLE payment_requests; DROP TABLE documents; DROP TABLE blobs; DROP TABLE checklist;"
            )
            let cookie = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(
                sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'events'", arguments: [version5])
            try db.execute(sql: "PRAGMA schema_version = \(cookie + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        try queue.close()
    }

    @Test func aVersion5FileGetsTheDocumentTablesAndNothingElseChanges() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try Self.makeVersion5(t)
        let (names, rows) = try t.raw().read { db in
            (
                try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE tbl_name IN ('documents', 'blobs', 'checklist')"),
                try everyRow(db)
            )
        }
        #expect(names.isEmpty)
        // A version 5 events table refuses the new action.
        #expect(throws: DatabaseError.self) {
            try t.tamper(
                "INSERT INTO events SELECT NULL, order_id, occurred_on, recorded_at, 'document_attached', details, actor, NULL, NULL, NULL, hash FROM events LIMIT 1"
            )
        }

        let store = try Store.open(path: t.path, actor: "nâng cấp")
        let (version, now, schema, integrity) = try t.raw().read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version"), try everyRow(db), try Store.schemaObjects(db),
                try String.fetchAll(db, sql: "PRAGMA integrity_check")
            )
        }
        #expect(version == Store.schemaVersion)
        #expect(schema == (try Store.expectedSchema()))
        #expect(now == rows)
        #expect(integrity == ["ok"])
        #expect(try store.verify().findings.isEmpty)
        // The new tables work: a document is attached, the checklist set and consulted.
        let d = try store.attachDocument(
            order: "79-2025-0001",
            content: try DocumentContent(bytes: Array("Biên bản".utf8), name: "biên bản.pdf"),
            fileName: "Biên bản.pdf", kind: .minutes, on: try day("2026-12-01"))
        #expect(try store.documents(order: "79-2025-0001") == [d])
        try store.setChecklist(.commercialize, kinds: [.report])
        #expect(try store.verify().findings.isEmpty)
        // Opening again changes nothing more.
        let again = try t.fingerprint()
        _ = try Store.open(path: t.path, actor: "nâng cấp")
        #expect(try t.fingerprint() == again)
    }

    /// An events table that is neither version 5's nor version 6's is not rewritten: the upgrade
    /// is refused and the file left as it was.
    @Test func anUnexpectedEventsTableIsRefused() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        try Self.makeVersion5(t)
        try t.tamper(
            "DROP INDEX events_by_record; ALTER TABLE events ADD COLUMN extra TEXT; CREATE INDEX events_by_record ON events (record_table, record_id, id) WHERE record_table IS NOT NULL;"
        )
        let before = try t.fingerprint()
        #expect(
            throws: STOrdersError.constraintViolated(
                "the events table is not as schema version 5, 6 or 7 defines it, so it cannot be upgraded; restore a backup or an export"
            )
        ) { _ = try Store.open(path: t.path, actor: "nâng cấp") }
        let version = try t.raw().read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == 5)
        #expect(try t.fingerprint() == before)
    }
}
