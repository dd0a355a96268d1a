import Foundation
import GRDB
import Testing

@testable import STOrders

/// The advance limit's rows are hash-chained (schema version 10, export format 7; docs/advances.md):
/// each row after the one before, like the checklist's, so `verify` names a row added or edited
/// outside storders, an export carries each row's hash and the chain's end, and a restore refuses
/// a file whose rows or chain were changed.
@Suite struct AdvanceLimitChainTests {
    /// Three settings: 30 %, none, 12.5 %.
    static func settings(_ f: Fixture) throws {
        try f.store.setAdvanceLimit(basisPoints: 3000)
        try f.store.setAdvanceLimit(basisPoints: nil)
        try f.store.setAdvanceLimit(basisPoints: 1250)
    }

    @Test func eachRowIsChainedAfterTheOneBeforeAndVerifyNamesARowAddedOrEdited() throws {
        let f = try Fixture()
        try Self.settings(f)
        let rows = try f.store.read { db in
            try Row.fetchAll(db, sql: "SELECT share, set_at, set_by, hash FROM advance_limits ORDER BY id")
        }
        var prev = HistoryChain.genesis
        for row in rows {
            let fields = (0...2).map { row[$0] as DatabaseValue }
            #expect(row[3] as String == HistoryChain.advanceLimitHash(prev: prev, fields: fields))
            prev = row[3]
        }
        #expect(rows.count == 3)
        #expect(try f.store.verify().findings.isEmpty)

        // A row added by raw SQL, which the trigger cannot refuse (the table is insert-only), is named.
        try f.store.writer.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    INSERT INTO advance_limits (share, set_at, set_by, hash)
                    VALUES (10000, '2026-11-30T08:00:00Z', 'kẻ lạ', '\(String(repeating: "ab", count: 32))')
                    """)
        }
        let added = try f.store.verify().findings
        #expect(
            added.map(\.message) == [
                "advance limit row #4 (set at 2026-11-30T08:00:00Z) does not match its hash: it was edited, or a row before it was deleted, inserted or moved"
            ])
        #expect(added.map(\.check) == [.chain])
        // The raw row is taken back out.
        try f.store.writer.writeWithoutTransaction { db in
            try db.execute(
                sql: "DROP TRIGGER advance_limits_never_deleted; DELETE FROM advance_limits WHERE id = 4")
        }
        // A row edited behind the trigger's back is named, and so is the one after it.
        try f.store.writer.writeWithoutTransaction { db in
            try db.execute(
                sql: "DROP TRIGGER advance_limits_never_changed; UPDATE advance_limits SET share = 5000 WHERE id = 1")
        }
        // (The dropped triggers are named too, under the schema's check.)
        let edited = try f.store.verify().findings.filter { $0.check == .chain }.map(\.message)
        #expect(edited.count == 1)
        #expect(edited.first?.hasPrefix("advance limit row #1 (set at ") == true)
    }

    @Test func theExportCarriesTheChainAndARestoreRefusesItChanged() throws {
        let f = try Fixture()
        try Self.settings(f)
        let files = try TempFiles()
        defer { files.remove() }
        let text = String(decoding: try f.store.exportBytes(.jsonl), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        let head = try f.store.read { db in
            try String.fetchOne(db, sql: "SELECT hash FROM advance_limits ORDER BY id DESC LIMIT 1")
        }
        #expect(lines.filter { $0.hasPrefix("{\"type\":\"advance_limit\",") }.count == 3)
        #expect(lines.last?.hasSuffix(",\"advance_limit_rows\":3,\"advance_limit_head\":\"\(head ?? "")\"}") == true)
        for format in ExportFormat.allCases {
            let bytes = try f.store.exportBytes(format)
            let restored = try Store.inMemory(actor: "khôi phục")
            try restored.restore(file: try files.write("dump-\(format).\(format)", bytes: bytes))
            #expect(try restored.exportBytes(format) == bytes)
            #expect(try restored.verify().findings.isEmpty)
        }

        /// The reason a restore of `damaged` is refused with; the new database is left as it was.
        func refusal(_ damaged: String, _ name: String) throws -> String {
            let restored = try Store.inMemory(actor: "khôi phục")
            let fresh = try restored.exportBytes()
            let error = try #require(throws: STOrdersError.self) {
                try restored.restore(file: try files.write(name, bytes: Array(damaged.utf8)))
            }
            #expect(try restored.exportBytes() == fresh, "\(name)")
            guard case .dumpInvalid(_, _, let reason) = error else {
                Issue.record("\(name): \(error)")
                return ""
            }
            return reason
        }
        // A setting changed in the file: its row no longer matches its hash.
        let edited = try refusal(
            text.replacingOccurrences(of: "\"share\":1250", with: "\"share\":10000"), "edited.jsonl")
        #expect(edited.contains("advance limit row #3"), "\(edited)")
        #expect(edited.contains("the dump was edited or is damaged"), "\(edited)")
        // The last setting removed: the chain still holds, its end does not.
        let removed = try refusal(
            lines.filter { !$0.contains("\"share\":1250") }.joined(separator: "\n") + "\n", "removed.jsonl")
        #expect(removed.contains("the advance limit holds 2 rows ending in hash "), "\(removed)")
        #expect(removed.contains("but the end of the file says 3 ending in \(head ?? "")"), "\(removed)")
        // The end's count taken out of a version 7 file.
        let unended = try refusal(
            text.replacingOccurrences(of: ",\"advance_limit_rows\":3", with: ""), "unended.jsonl")
        #expect(unended.contains("the end of the file says"), "\(unended)")
    }

    @Test func aVersion6ExportWithoutTheChainIsChainedAsItIsRestored() throws {
        let f = try Fixture()
        try Self.settings(f)
        let files = try TempFiles()
        defer { files.remove() }
        // The same settings as format 6 wrote them: no hash, no chain end.
        var text = String(decoding: try f.store.exportBytes(.jsonl), as: UTF8.self)
        text = text.replacingOccurrences(of: #""version":7"#, with: #""version":6"#)
        text =
            text.split(separator: "\n").map { line in
                guard line.hasPrefix("{\"type\":\"advance_limit\",") else { return String(line) }
                return line.replacingOccurrences(
                    of: #",\"hash\":\"[0-9a-f]{64}\""#, with: "", options: .regularExpression)
            }.joined(separator: "\n") + "\n"
        text = text.replacingOccurrences(
            of: #",\"advance_limit_rows\":[0-9]+,\"advance_limit_head\":\"[0-9a-f]{64}\""#, with: "",
            options: .regularExpression)
        #expect(!text.contains("advance_limit_head"))
        #expect(
            text.split(separator: "\n").filter { $0.hasPrefix("{\"type\":\"advance_limit\",") }.allSatisfy {
                !$0.contains("\"hash\"")
            })
        let restored = try Store.inMemory(actor: "khôi phục")
        try restored.restore(file: try files.write("v6.jsonl", bytes: Array(text.utf8)))
        #expect(try restored.advanceLimitHistory() == (try f.store.advanceLimitHistory()))
        #expect(try restored.verify().findings.isEmpty)
        // Chained as the original was: the same hashes.
        let hashes = { (store: Store) in
            try store.read { db in try String.fetchAll(db, sql: "SELECT hash FROM advance_limits ORDER BY id") }
        }
        #expect(try hashes(restored) == hashes(f.store))
    }
}
