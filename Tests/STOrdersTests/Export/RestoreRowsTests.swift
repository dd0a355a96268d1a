import Foundation
import GRDB
import Testing

@testable import STOrders

/// export → restore, checked against the source database row by row (an independent oracle: an
/// export → restore → export equality passes when a field is lost or written wrong on both sides).
@Suite struct RestoreRowsTests {
    static let tables = [
        "enterprises", "orders", "outputs", "fundings", "payments", "results", "result_retractions",
        "events",
    ]

    static func rows(_ store: Store, _ table: String) throws -> [[DatabaseValue]] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { Array($0.databaseValues) }
        }
    }

    @Test(arguments: ExportFormat.allCases)
    func aRestoredDemoHoldsTheSourceRowsColumnByColumn(format: ExportFormat) throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try Store.inMemory()
        try DemoData.populate(source)
        // The demo has what a lost field would hide: a startup among non-startups.
        let startups = try source.read { db in
            try Int.fetchOne(db, sql: "SELECT sum(innovative_startup) FROM enterprises")
        }
        #expect(startups == 2)
        let path = try files.write("dump.\(format)", bytes: try source.exportBytes(format))
        let restored = try Store.inMemory()
        _ = try restored.restore(file: path)
        for table in Self.tables {
            let expected = try Self.rows(source, table)
            #expect(!expected.isEmpty || table == "result_retractions", "\(table) is empty in the demo")
            let got = try Self.rows(restored, table)
            #expect(got.count == expected.count, "\(table): \(got.count) rows restored of \(expected.count)")
            for (a, b) in zip(expected, got) where a != b {
                Issue.record("\(table): restored \(b), source \(a)")
                break
            }
        }
    }

    /// A negative revenue in a dump is refused by name, on its line, and nothing is restored.
    @Test func aNegativeRevenueInADumpIsRefusedByName() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try Store.inMemory()
        try DemoData.populate(source)
        let text = String(decoding: try source.exportBytes(.jsonl), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.contains(#""code":"19-2025-0001""#) })
        let edited = lines[index].replacingOccurrences(of: #""revenue":4500000000"#, with: #""revenue":-4500000000"#)
        #expect(edited != lines[index])
        var changed = lines
        changed[index] = Substring(edited)
        let path = try files.write("sửa.jsonl", bytes: Array(changed.joined(separator: "\n").utf8))
        let restored = try Store.inMemory()
        let before = try Self.tables.map { try Self.rows(restored, $0) }
        #expect(
            throws: STOrdersError.dumpInvalid(
                file: "sửa.jsonl", line: index + 1,
                reason: "order 19-2025-0001: a revenue cannot be negative")
        ) {
            try restored.restore(file: path)
        }
        #expect(try Self.tables.map { try Self.rows(restored, $0) } == before)
    }
}
