import Foundation
import GRDB
import Testing

@testable import STOrders

/// export → restore, checked against the source database itself rather than against a second
/// export: every column of every table of both files, read with plain SQL (`RowByRow`), so a
/// field that the export drops and the restore never asks for is a difference here, where an
/// export → restore → export comparison sees the same bytes twice.
@Suite struct RestoreOracleTests {
    /// The demo (written by the commands, with real timestamps) with a payment reversed and two
    /// results retracted, so every kind of record is there.
    func corrected() throws -> Store { try Store.correctedDemo() }

    func generated() throws -> Store {
        let store = try Store.inMemory()
        _ = try store.generate(GeneratorOptions(orders: 300, seed: 8))
        return store
    }

    @Test(arguments: ExportFormat.allCases)
    func aRestoreHoldsEveryColumnOfEveryRowOfTheSource(format: ExportFormat) throws {
        let files = try TempFiles()
        defer { files.remove() }
        for (name, source) in [("demo", try corrected()), ("generated", try generated())] {
            let restored = try Store.inMemory()
            _ = try restored.restore(file: try files.write("\(name).\(format)", bytes: try source.exportBytes(format)))
            // Every column, the events' and seals' hashes included: a restore reproduces both chains.
            let a = try source.read { db in try RowByRow.lines(db) }
            let b = try restored.read { db in try RowByRow.lines(db) }
            #expect(a.count > 100, "\(name)")
            #expect(RowByRow.differences(a, b) == [], "\(name)")
            #expect(a.count == b.count, "\(name)")
        }
    }

    /// The oracle itself can fail: one column of one row changed by hand in the restored file
    /// (a field a restore could drop or mistype) is a difference.
    @Test func theComparisonSeesOneChangedField() throws {
        let store = try corrected()
        var before = try store.read { db in try RowByRow.lines(db) }
        let edits = [
            "UPDATE outputs SET evidence = NULL WHERE id = (SELECT min(id) FROM outputs WHERE evidence IS NOT NULL)",
            "UPDATE results SET note = note || '.' WHERE id = (SELECT min(id) FROM results WHERE note IS NOT NULL)",
            "UPDATE enterprises SET registered_on = '2024-01-11' WHERE tax_code = '0100233488'",
            "UPDATE payments SET reference = NULL WHERE id = (SELECT min(id) FROM payments WHERE reference IS NOT NULL)",
            "UPDATE events SET recorded_at = recorded_at || ' ' WHERE id = 1",
            "UPDATE payments SET paid_on = '2026-07-02' WHERE id = (SELECT max(id) FROM payments)",
        ]
        try store.writer.writeWithoutTransaction { db in
            for trigger in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                try db.execute(sql: "DROP TRIGGER \"\(trigger)\"")
            }
        }
        for sql in edits {
            try store.writer.writeWithoutTransaction { db in
                try db.execute(sql: sql)
                #expect(db.changesCount == 1, "\(sql)")
            }
            let after = try store.read { db in try RowByRow.lines(db) }
            #expect(RowByRow.differences(before, after).count == 2, "\(sql)")
            before = after
        }
    }
}
