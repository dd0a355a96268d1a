import Foundation
import GRDB
import Testing

@testable import STOrders

/// Version 8 → 9 (docs/documents.md): documents gain `request_id` (NULL), the documents' table
/// learns that a document has at most one target, the checklist the step `request`, and the trigger
/// keeping a request's papers on a request of their own order arrives; the file then has exactly
/// schema.sql's schema, no record is rewritten, and the old history verifies.
@Suite struct RequestDocumentsUpgradeTests {
    /// schema.sql as version 8 had it (Tests/Support/schema-v8.sql, copied from the commit before 9).
    static let schemaV8 = Downgrade.frozenSchema(8)

    static func schemaV8Objects() throws -> [String: Store.SchemaObject] {
        try Downgrade.frozenObjects(8)
    }

    /// Turns a file of version 9 whose documents name no request into the file version 8 wrote:
    /// every index and trigger version 9 added dropped, the documents' `request_id` dropped, the
    /// documents' and the checklist's texts set back to version 8's. Checked against schema-v8.sql.
    static func downgradeToVersion8(_ t: TempStore) throws {
        let v8 = try schemaV8Objects()
        let queue = try t.raw()
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try Downgrade.dropIndexesAndTriggers(db, notIn: v8)
            try Downgrade.undoVersion10(db)
            try Downgrade.dropRequestColumn(db)
            for table in ["documents", "checklist"] {
                try Downgrade.setTableText(db, table, v8["table \(table)"]?.sql)
            }
            try db.execute(sql: "PRAGMA user_version = 8")
        }
    }

    @Test func aVersion8FileGetsRequestPapersAndKeepsItsHistory() throws {
        #expect(Self.schemaV8.contains("PRAGMA user_version = 8;"))
        let t = try TempStore()
        defer { t.cleanUp() }
        // Documents on an order and on an output, and a checklist setting, before the upgrade.
        try t.store.setChecklist(.accept, kinds: [.minutes])
        for output in [nil, 1] {
            try t.store.attachDocument(
                order: "79-2025-0001",
                content: try DocumentContent(bytes: Array("Báo cáo \(output ?? 0)".utf8), name: "báo cáo"),
                fileName: "Báo cáo.pdf", kind: .report, output: output, on: try day("2026-08-20"))
        }
        try Self.downgradeToVersion8(t)
        let (before, rows) = try t.raw().read { db in (try Store.schemaObjects(db), try everyRow(db)) }
        #expect(before == (try Self.schemaV8Objects()))
        #expect(rows.contains { $0.hasPrefix("documents: ") })
        // A version 8 checklist refuses the new step.
        #expect(throws: DatabaseError.self) {
            try t.tamper(
                "INSERT INTO checklist (step, kinds, set_at, set_by, hash) SELECT 'request', kinds, set_at, set_by, hash FROM checklist LIMIT 1"
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
        // No record rewritten: every document as it was, naming no request.
        #expect(after.map { $0.replacingOccurrences(of: " request_id:NULL]", with: "]") } == rows)
        #expect(after.filter { $0.hasPrefix("documents: ") }.allSatisfy { $0.hasSuffix(" request_id:NULL]") })
        #expect(integrity == ["ok"])
        #expect(try store.verify().findings.isEmpty)
        #expect(try store.checklist().kinds(for: .request).isEmpty)

        // The upgraded file takes a request's papers and the step `request`.
        let nano = "79-2025-0001"
        let request = try store.requestPayment(order: nano, output: 1, amount: 1_000_000, on: try day("2026-09-01"))
        try store.setChecklist(.request, kinds: [.invoice])
        #expect(
            throws: STOrdersError.checklistUnmet(
                order: nano, step: .request, target: request.number, missing: [.invoice])
        ) {
            try store.approvePaymentRequest(order: nano, number: request.number, on: try day("2026-09-02"))
        }
        try store.attachDocument(
            order: nano, content: try DocumentContent(bytes: Array("Hóa đơn GTGT số 0012".utf8), name: "hoá đơn"),
            fileName: "Hóa đơn GTGT.pdf", kind: .invoice, request: request.number, on: try day("2026-09-02"))
        #expect(
            try store.approvePaymentRequest(order: nano, number: request.number, on: try day("2026-09-02")).state
                == .approved)
        #expect(try store.verify().findings.isEmpty)
        // Opening again changes nothing more.
        let again = try t.fingerprint()
        _ = try Store.open(path: t.path, actor: "nâng cấp")
        #expect(try t.fingerprint() == again)
    }
}
