import Foundation
import GRDB
import Testing

@testable import STOrders

@Suite struct ExportRestoreTests {
    /// export → restore into a new database → export gives the same bytes, in both formats,
    /// for generated data and for the demo (written by the commands, with real timestamps).
    @Test(arguments: ExportFormat.allCases)
    func roundTripIsExact(format: ExportFormat) throws {
        let files = try TempFiles()
        defer { files.remove() }
        for source in [try generated(orders: 400, seed: 3), try demo()] {
            let first = try source.exportBytes(format)
            let path = try files.write("dump.\(format)", bytes: first)
            let restored = try Store.inMemory()
            let summary = try restored.restore(file: path)
            #expect(summary.orders == (try source.count("orders")))
            #expect(try restored.exportBytes(format) == first)
            #expect(try restored.invariantViolations().isEmpty && restored.verify().findings.isEmpty)
        }
    }

    @Test func theExportIsVersionedAndCarriesEverything() throws {
        let store = try demo()
        let text = String(decoding: try store.exportBytes(.jsonl), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.first == #"{"format":"storders-export","version":7,"schema_version":10}"#)
        let (events, head, seals, sealHead) = try store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
                try String.fetchOne(db, sql: "SELECT hash FROM events ORDER BY id DESC LIMIT 1") ?? "",
                try Int.fetchOne(db, sql: "SELECT count(*) FROM seals") ?? 0,
                try String.fetchOne(db, sql: "SELECT hash FROM seals ORDER BY id DESC LIMIT 1") ?? ""
            )
        }
        #expect(seals == 9)
        #expect(
            lines.last
                == Substring(
                    "{\"type\":\"end\",\"enterprises\":5,\"targets\":4,\"orders\":6,\"contents\":0,\"events\":\(events),\"head\":\"\(head)\",\"seals\":\(seals),\"seal_head\":\"\(sealHead)\",\"checklist_rows\":0,\"checklist_head\":\"\(String(repeating: "0", count: 64))\",\"advance_limit_rows\":0,\"advance_limit_head\":\"\(String(repeating: "0", count: 64))\"}"
                ))
        #expect(lines.filter { $0.hasPrefix(#"{"type":"target","id":"#) }.count == 4)
        let story = try #require(lines.first { $0.contains(#""code":"19-2025-0001""#) })
        for key in [
            "\"outputs\":[{\"number\":1,", "\"funding\":{\"state_budget\":1200000000,", "\"payments\":[{",
            "\"results\":[{\"number\":1,\"channel\":\"sale\"", "\"events\":[{\"occurred_on\":\"2025-03-10\"",
            "\"record_id\":1,\"hash\":\"",
        ] {
            #expect(story.contains(key), "missing \(key)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(try store.exportBytes(.json))) as? [String: Any]
        #expect((json?["orders"] as? [Any])?.count == 6)
        #expect((json?["enterprises"] as? [Any])?.count == 5)
        #expect((json?["targets"] as? [Any])?.count == 4)
        #expect(json?["head"] as? String == head && json?["events"] as? Int == events)
    }

    @Test func generatorIsDeterministic() throws {
        let a = try generated(orders: 300, seed: 42).exportBytes()
        let b = try generated(orders: 300, seed: 42).exportBytes()
        let c = try generated(orders: 300, seed: 43).exportBytes()
        #expect(a == b)
        #expect(a != c)
    }

    @Test func generatedDataCoversEveryStateAndProvinceAndKeepsTheInvariants() throws {
        let store = try generated(orders: 3000, seed: 1)
        #expect(try store.invariantViolations().isEmpty && store.verify().findings.isEmpty)
        let states = try store.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT state FROM orders ORDER BY 1")
        }
        #expect(states == ["cancelled", "commercialized", "delivered", "funded", "ordered"])
        let provinces = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(DISTINCT province_code) FROM orders")
        }
        #expect(provinces == 34)
        #expect(try store.count("payments") > 0 && store.count("results") > 0)
        // Every tax code is valid by the domain's own parser, and unique (the schema's UNIQUE).
        let codes = try store.read { db in try String.fetchAll(db, sql: "SELECT tax_code FROM enterprises") }
        for code in codes { #expect(throws: Never.self) { try TaxCode(parsing: code) } }
    }

    @Test func generatedCSVImportsCleanly() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let options = GeneratorOptions(orders: 500, seed: 9)
        _ = try Store.generateCSV(options, directory: files.directory)
        let store = try Store.inMemory()
        #expect(try store.importEnterprises(file: files.path("enterprises.csv")).enterprises == 100)
        let summary = try store.importOrders(file: files.path("orders.csv"), outputs: files.path("outputs.csv"))
        #expect(summary.orders == 500)
        #expect(try store.invariantViolations().isEmpty && store.verify().findings.isEmpty)
    }

    /// The CSV import writes each order whole and computes its events' records from the values
    /// it wrote; a restore of its export replays the same history step by step under the
    /// triggers and reads each record back. Both must give the same events, records and hashes.
    @Test func importedHistoryMatchesAStepByStepReplay() throws {
        let files = try TempFiles()
        defer { files.remove() }
        _ = try Store.generateCSV(GeneratorOptions(orders: 600, seed: 11), directory: files.directory)
        let store = try Store.inMemory()
        _ = try store.importEnterprises(file: files.path("enterprises.csv"))
        _ = try store.importOrders(file: files.path("orders.csv"), outputs: files.path("outputs.csv"))
        let restored = try Store.inMemory()
        _ = try restored.restore(file: try files.write("dump.jsonl", bytes: try store.exportBytes(.jsonl)))
        let sql = "SELECT action, record_table, record_id, record, hash FROM events ORDER BY id"
        let imported = try store.read { db in try Row.fetchAll(db, sql: sql) }
        let replayed = try restored.read { db in try Row.fetchAll(db, sql: sql) }
        #expect(imported.count > 600 * 3)
        #expect(imported == replayed)
        #expect(try store.verify().findings.isEmpty && restored.verify().findings.isEmpty)
        let actions = Set(imported.map { $0["action"] as String })
        #expect(
            actions.isSuperset(of: [
                "registered", "output_added", "funded", "output_accepted", "delivered",
                "commercialized", "cancelled",
            ]))
    }

    @Test func restoreRefusesANonEmptyDatabase() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try demo()
        let path = try files.write("dump.jsonl", bytes: try source.exportBytes())
        let before = try source.exportBytes()
        #expect(throws: STOrdersError.databaseNotEmpty(path: ":memory:")) { try source.restore(file: path) }
        #expect(try source.exportBytes() == before)
    }

    @Test func restoreRefusesDamagedAndInconsistentFilesAndWritesNothing() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let text = String(decoding: try demo().exportBytes(), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        let title = #""title":"Cải tiến quy trình sản xuất mô-đun camera tại KCN Yên Bình""#
        let enterprise = lines.first { $0.contains(#""type":"enterprise""#) }!
        let end = lines.last!
        // Each damaged file, and the reason its refusal must give.
        let cases: [(String, String, String)] = [
            ("cut", lines.dropLast().joined(separator: "\n") + "\n", "ends without its end record"),
            (
                "newer", text.replacingOccurrences(of: #""version":7"#, with: #""version":8"#),
                "newer than this storders reads"
            ),
            (
                "overpaid", text.replacingOccurrences(of: #""amount":1200000000"#, with: #""amount":1300000000"#),
                "order 19-2025-0001"
            ),
            ("badjson", text.replacingOccurrences(of: #""type":"order","#, with: #""type":"order""#), "line"),
            (
                "province", text.replacingOccurrences(of: #""province_code":"19""#, with: #""province_code":"99""#),
                "is not one of the 34 province codes"
            ),
            (
                "lone-surrogate", text.replacingOccurrences(of: title, with: #""title":"\ud800\u0041""#),
                "lone surrogate"
            ),
            (
                "surrogate-too-high", text.replacingOccurrences(of: title, with: #""title":"\ud800\ue000""#),
                "lone surrogate"
            ),
            ("twice", text.replacingOccurrences(of: enterprise, with: enterprise + "\n" + enterprise), "appears twice"),
            ("after-end", text + end + "\n", "more after the end"),
            (
                "unknown-type", text.replacingOccurrences(of: #""type":"end""#, with: #""type":"fin""#),
                "unknown record type 'fin'"
            ),
            ("no-version", text.replacingOccurrences(of: #""version":7,"#, with: ""), "the header has no version"),
            (
                "bad-action", text.replacingOccurrences(of: #""action":"registered""#, with: #""action":"invented""#),
                "unknown event action 'invented'"
            ),
            ("counts", text.replacingOccurrences(of: #""orders":6,"#, with: #""orders":7,"#), "counts do not match"),
            // The same length limits as the commands: a payment reference is at most 200 characters.
            (
                "long-reference",
                text.replacingOccurrences(
                    of: #""reference":"UNC 0142/KBNN-TN""#,
                    with: "\"reference\":\"\(String(repeating: "chứng từ ", count: 23))\""),
                "at most 200 are accepted"
            ),
            // A history that does not fit the order it comes with (BulkWriter.replay's checks).
            (
                "registered-twice",
                text.replacingOccurrences(of: #""action":"output_added""#, with: #""action":"registered""#),
                "registered twice"
            ),
            (
                "not-registered-first",
                text.replacingOccurrences(of: #""action":"registered""#, with: #""action":"output_added""#),
                "does not start with registered"
            ),
            (
                "extra-output-event",
                text.replacingOccurrences(of: #""action":"funded""#, with: #""action":"output_added""#),
                "more output_added events than outputs"
            ),
        ]
        for (name, body, reason) in cases {
            let store = try Store.inMemory()
            let error = try #require(throws: STOrdersError.self, "\(name)") {
                try store.restore(file: try files.write(name, body))
            }
            guard case .dumpInvalid = error else {
                Issue.record("\(name): \(error)")
                continue
            }
            #expect("\(error)".contains(reason), "\(name): \(error)")
            #expect(try store.count("orders") == 0 && store.count("enterprises") == 0, "\(name)")
        }
    }

    func generated(orders: Int, seed: UInt64) throws -> Store {
        let store = try Store.inMemory()
        _ = try store.generate(GeneratorOptions(orders: orders, seed: seed))
        return store
    }

    func demo() throws -> Store {
        let store = try Store.inMemory()
        try DemoData.populate(store)
        return store
    }

    /// The demo with a payment reversed and results retracted, so every kind of record is there.
    func corrected() throws -> Store { try Store.correctedDemo() }

    @Test func roundTripKeepsReversalsAndRetractions() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try corrected()
        let first = try source.exportBytes()
        let text = String(decoding: first, as: UTF8.self)
        #expect(
            text.contains(
                #""amount":-200000000,"source":"state","reference":null,"paid_on":"2026-07-01","reverses":1,"reason":"Chi trùng chứng từ""#
            ))
        #expect(text.contains(#""retracted_on":"2026-07-01","retract_reason":"Ghi nhầm""#))
        let restored = try Store.inMemory()
        try restored.restore(file: try files.write("dump.jsonl", bytes: first))
        #expect(try restored.exportBytes() == first)
        #expect(try restored.verify().findings.isEmpty)
        #expect(try restored.orderDetail(code: "19-2025-0002").order.state == .delivered)
    }
}
