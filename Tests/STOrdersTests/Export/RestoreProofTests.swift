import Foundation
import GRDB
import Testing

@testable import STOrders

/// A restore reproduces the history exactly or refuses: an export edited by hand (a figure, a
/// name, a date) no longer hashes to what it says, and the refusal names the dump's line, the
/// order (or enterprise, target) and the event (or seal). A refused restore writes nothing and,
/// into a file, leaves no file behind.
@Suite struct RestoreProofTests {
    /// The demo's export (JSON Lines), and what it says, read with Foundation's JSON parser (not
    /// the product's reader).
    struct Dump {
        let text: String
        let lines: [String]

        init() throws {
            let store = try Store.inMemory()
            try DemoData.populate(store)
            text = String(decoding: try store.exportBytes(.jsonl), as: UTF8.self)
            lines = text.split(separator: "\n").map(String.init)
        }

        /// The 1-based line of the record containing `fragment`.
        func line(_ fragment: String) throws -> Int {
            try #require(lines.firstIndex { $0.contains(fragment) }) + 1
        }

        func record(_ fragment: String) throws -> [String: Any] {
            let line = lines[try self.line(fragment) - 1]
            return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }

        /// The dump with `from` replaced by `to` once, in the record containing `fragment`.
        func edited(_ fragment: String, _ from: String, _ to: String) throws -> String {
            let i = try line(fragment) - 1
            let range = try #require(lines[i].range(of: from), "\(from) is not in line \(i + 1)")
            var copy = lines
            copy[i].replaceSubrange(range, with: to)
            return copy.joined(separator: "\n") + "\n"
        }

        /// The reason a refusal gives for the order's first event of `action`.
        func eventFragments(order code: String, action: String) throws -> (line: Int, prefix: String, suffix: String) {
            let events = try #require(try record("\"code\":\"\(code)\"")["events"] as? [[String: Any]])
            let index = try #require(events.firstIndex { $0["action"] as? String == action })
            let e = events[index]
            let day = try #require(e["occurred_on"] as? String)
            let hash = try #require(e["hash"] as? String)
            return (
                try line("\"code\":\"\(code)\""), "order \(code)'s event \(index + 1) (\(action) on \(day)) hashes to ",
                " but the dump says \(hash); the dump was edited or is damaged"
            )
        }
    }

    /// Restores `text` into a fresh store and returns the refusal; the store must be left as new.
    func refusal(_ text: String, _ files: TempFiles, _ name: String) throws -> (line: Int, reason: String) {
        let store = try Store.inMemory()
        let fresh = try store.exportBytes()
        let path = try files.write(name, text)
        let error = try #require(throws: STOrdersError.self) { try store.restore(file: path) }
        #expect(try store.exportBytes() == fresh, "\(name): a refused restore changed the database")
        guard case .dumpInvalid(let file, let line, let reason) = error else {
            Issue.record("\(name): \(error)")
            return (0, "")
        }
        #expect(file == name)
        return (line, reason)
    }

    func expectHashRefusal(_ got: (line: Int, reason: String), _ want: (line: Int, prefix: String, suffix: String)) {
        #expect(got.line == want.line, "\(got.reason)")
        #expect(got.reason.hasPrefix(want.prefix) && got.reason.hasSuffix(want.suffix), "\(got.reason)")
        let computed = got.reason.dropFirst(want.prefix.count).dropLast(want.suffix.count)
        #expect(computed.count == 64 && computed.allSatisfy { $0.isHexDigit }, "\(got.reason)")
    }

    /// Each edit the issue lists: the figure changed in the file is refused at the event that
    /// recorded it.
    @Test func everyListedEditIsRefusedAtItsEvent() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let dump = try Dump()
        let cases: [(String, String, String, String, String)] = [
            // (name, order, from, to, the event that recorded it)
            ("revenue", "19-2025-0001", #""revenue":4500000000"#, #""revenue":4000000000"#, "commercialized"),
            ("output-value", "92-2025-0001", #""value":700000000"#, #""value":600000000"#, "output_added"),
            ("funding", "79-2025-0001", #""state_budget":700000000"#, #""state_budget":800000000"#, "funded"),
            (
                "title", "19-2025-0002", #""title":"Ứng dụng thị giác máy kiểm tra lỗi ống kính""#,
                #""title":"Ứng dụng thị giác máy kiểm tra lỗi ống kính (bản sửa)""#, "registered"
            ),
            ("province", "01-2025-0001", #""province_code":"01""#, #""province_code":"19""#, "registered"),
        ]
        for (name, code, from, to, action) in cases {
            let text = try dump.edited("\"code\":\"\(code)\"", from, to)
            expectHashRefusal(try refusal(text, files, name), try dump.eventFragments(order: code, action: action))
        }
    }

    @Test func anEditedCancelReasonOrDateIsRefused() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let dump = try Dump()
        let code = "92-2025-0001"
        let fragment = "\"code\":\"92-2025-0001\""
        let reason = try refusal(
            try dump.edited(
                fragment, #""cancel_reason":"Doanh nghiệp rút đề xuất đặt hàng""#,
                #""cancel_reason":"Lý do khác""#), files, "reason")
        #expect(reason.line == (try dump.line(fragment)))
        #expect(
            reason.reason
                == "refused by the database's rules: order \(code): its cancel reason 'Lý do khác' is not the one its history records ('cancelled from ordered: Doanh nghiệp rút đề xuất đặt hàng')"
        )
        let date = try refusal(
            try dump.edited(fragment, #""cancelled_on":"2025-12-01""#, #""cancelled_on":"2025-12-02""#),
            files, "date")
        #expect(date.line == (try dump.line(fragment)))
        #expect(
            date.reason
                == "refused by the database's rules: order \(code): it is cancelled on 2025-12-02 but its history says 2025-12-01"
        )
    }

    @Test func anEditedEventIsRefused() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let dump = try Dump()
        let code = "79-2025-0001"
        let event = try #require((try dump.record("\"code\":\"\(code)\"")["events"] as? [[String: Any]])?.first)
        let actor = try #require(event["actor"] as? String)
        let text = try dump.edited("\"code\":\"\(code)\"", "\"actor\":\"\(actor)\"", #""actor":"người khác""#)
        expectHashRefusal(try refusal(text, files, "actor"), try dump.eventFragments(order: code, action: "registered"))
    }

    /// Enterprises and targets are proven by their seals.
    @Test func anEditedEnterpriseOrTargetIsRefusedAtItsSeal() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let dump = try Dump()
        for (name, fragment, from, to, what) in [
            (
                "startup", #""tax_code":"4601234560""#, #""innovative_startup":false"#, #""innovative_startup":true"#,
                "enterprise 4601234560 (province 19)"
            ),
            (
                "target", #""key":"innovative_startups","province_code":null"#, #""value":5"#, #""value":1"#,
                "target innovative_startups (national)"
            ),
        ] {
            let record = try dump.record(fragment)
            let seal = try #require((record["seals"] as? [[String: Any]])?.first)
            let id = try #require(seal["id"] as? Int)
            let hash = try #require(seal["hash"] as? String)
            let action = try #require(seal["action"] as? String)
            expectHashRefusal(
                try refusal(try dump.edited(fragment, from, to), files, name),
                (
                    try dump.line(fragment), "\(what)'s seal #\(id) (\(action)) hashes to ",
                    " but the dump says \(hash); the dump was edited or is damaged"
                ))
        }
    }

    @Test func aChangedHeadOrAnOldVersionIsRefused() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let dump = try Dump()
        let end = try dump.record(#""type":"end""#)
        let head = try #require(end["head"] as? String)
        let events = try #require(end["events"] as? Int)
        let other = String(repeating: "ab", count: 32)
        let changed = try refusal(try dump.edited(#""type":"end""#, head, other), files, "head")
        #expect(
            changed.reason
                == "the history holds \(events) events ending in hash \(head), but the end of the file says \(events) ending in \(other); events were removed, added or the file is damaged"
        )
        let old = try refusal(dump.text.replacingOccurrences(of: #""version":7"#, with: #""version":1"#), files, "old")
        #expect(
            old == (
                1,
                "export format version 1 carries no hashes, so nothing proves its history was not edited; restore it with the storders that wrote it, open that database with this storders (which upgrades and seals it) and export it again"
            ))
    }

    /// The summary's counts are what the file holds, counted from the file.
    @Test func theSummaryCountsWhatTheFileHolds() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let dump = try Dump()
        let records = try dump.lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let orders = records.filter { $0["type"] as? String == "order" }
        let outputs = orders.reduce(0) { $0 + (($1["outputs"] as? [Any])?.count ?? 0) }
        #expect(outputs == 8)
        let store = try Store.inMemory()
        let summary = try store.restore(file: try files.write("dump.jsonl", dump.text))
        #expect(summary.enterprises == records.filter { $0["type"] as? String == "enterprise" }.count)
        #expect(summary.orders == orders.count)
        #expect(summary.outputs == outputs)
        #expect(summary.dryRun == false)
    }

    /// Into a file: a refused restore leaves no file (not even an empty one), and an existing
    /// file at the destination untouched; a restore that succeeds puts a whole database there.
    @Test func aRefusedRestoreLeavesNoFile() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let dump = try Dump()
        let bad = [
            ("cut", dump.lines.dropLast().joined(separator: "\n") + "\n"),
            ("newer", dump.text.replacingOccurrences(of: #""version":7"#, with: #""version":8"#)),
            ("edited", try dump.edited(#""code":"19-2025-0001""#, #""revenue":4500000000"#, #""revenue":4000000000"#)),
        ]
        let paths = try bad.map { try files.write("\($0.0).jsonl", $0.1) }
        let listing = { try FileManager.default.contentsOfDirectory(atPath: files.directory).sorted() }
        let before = try listing()
        for path in paths {
            #expect(throws: STOrdersError.self) {
                try Store.restore(file: path, into: files.path("restored.sqlite"), actor: "khôi phục")
            }
            #expect(try listing() == before, "\(path)")
        }
        // An existing database at the destination, freshly initialised: a refusal leaves its bytes.
        let target = files.path("existing.sqlite")
        try Store.open(path: target, mode: .createIfNeeded, actor: "khôi phục").closeConnection()
        let bytes = try #require(FileManager.default.contents(atPath: target))
        let withTarget = try listing()
        for path in paths {
            #expect(throws: STOrdersError.self) { try Store.restore(file: path, into: target, actor: "khôi phục") }
            #expect(FileManager.default.contents(atPath: target) == bytes)
            #expect(try listing() == withTarget)
        }
        // A database holding records is refused before anything is built.
        let full = files.path("full.sqlite")
        let store = try Store.open(path: full, mode: .createIfNeeded, actor: "khôi phục")
        try DemoData.populate(store)
        store.closeConnection()
        let good = try files.write("good.jsonl", dump.text)
        #expect(throws: STOrdersError.databaseNotEmpty(path: full)) {
            try Store.restore(file: good, into: full, actor: "x")
        }
        // And the whole file restores, into the empty existing database as into a new file.
        for destination in [target, files.path("new.sqlite")] {
            let summary = try Store.restore(file: good, into: destination, actor: "khôi phục")
            #expect(summary.orders == 6)
            let restored = try Store.open(path: destination, actor: "khôi phục")
            #expect(String(decoding: try restored.exportBytes(), as: UTF8.self) == dump.text)
            #expect(try restored.verify().findings.isEmpty)
            restored.closeConnection()
        }
        #expect(try listing().filter { $0.contains("restoring") }.isEmpty)
    }

    /// An unedited export of generated data (orders interleaved in the chain) and of the demo
    /// after corrections restores to the same chain: same events, ids, records and hashes.
    @Test func theRestoredChainIsTheSourceChain() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try Store.inMemory()
        _ = try source.generate(GeneratorOptions(orders: 300, seed: 21))
        try source.setTarget(.innovativeStartups, .count(3), province: try Province.named("Huế"))
        try source.addEnterprise(
            name: "Công ty TNHH Sáng tạo Huế", taxCode: try TaxCode(parsing: "3300101406"),
            province: try Province.named("Huế"), on: try Day(parsing: "2026-02-02"))
        // A new order, then a step of an older one: the older order's events are no longer
        // contiguous in the chain (a restore that wrote each order's events together would differ).
        let row = try #require(
            try source.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT code, ordered_on FROM orders WHERE state = 'ordered' ORDER BY id LIMIT 1")
            })
        let older: String = row[0]
        let orderedOn: String = row[1]
        _ = try source.registerOrder(
            enterprise: try TaxCode(parsing: "3300101406"), title: "Bản đồ số di sản Huế",
            field: .digital, on: try Day(parsing: "2026-03-01"))
        _ = try source.cancel(order: older, reason: "Doanh nghiệp rút đơn", on: try Day(parsing: orderedOn))
        let interleaved = try source.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT max(e.id) > (SELECT min(f.id) FROM events f JOIN orders p ON p.id = f.order_id WHERE p.code <> ?
                                        AND f.id > (SELECT min(g.id) FROM events g WHERE g.order_id = o.id))
                    FROM events e JOIN orders o ON o.id = e.order_id WHERE o.code = ?
                    """, arguments: [older, older])
        }
        #expect(interleaved == true)
        for format in ExportFormat.allCases {
            let restored = try Store.inMemory()
            _ = try restored.restore(file: try files.write("dump.\(format)", bytes: try source.exportBytes(format)))
            for sql in [
                "SELECT * FROM events ORDER BY id", "SELECT * FROM seals ORDER BY id",
                "SELECT * FROM targets ORDER BY id",
                "SELECT * FROM enterprises ORDER BY id", "SELECT * FROM outputs ORDER BY id",
                "SELECT * FROM payments ORDER BY id", "SELECT * FROM results ORDER BY id",
            ] {
                let a = try source.read { db in try Row.fetchAll(db, sql: sql) }
                let b = try restored.read { db in try Row.fetchAll(db, sql: sql) }
                #expect(a == b, "\(format): \(sql)")
            }
            #expect(try restored.verify().findings.isEmpty)
        }
    }
}
