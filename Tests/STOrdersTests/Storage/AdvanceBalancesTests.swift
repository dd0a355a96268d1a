import Foundation
import GRDB
import Testing

@testable import STOrders

/// Each order's advance balance (`advance_balances`, schema version 10; docs/advances.md): kept by
/// schema.sql's triggers as advances, recoveries and settling payments are written, read by the
/// inbox, `advance list` and `order show`, compared with the records by `verify`, and filled from
/// the records when a version-9 file is upgraded (whose advance limit's rows are chained then).
@Suite struct AdvanceBalancesTests {
    /// The demo's funded order (Thành phố Hồ Chí Minh: state budget 700 million, 600 million paid
    /// from it) under a limit of 50 %: two advances, the second dated before the first, a recovery,
    /// a settling payment and a reversal of another.
    static func advanced(_ store: Store) throws -> String {
        let nano = "79-2025-0001"
        try store.setAdvanceLimit(basisPoints: 5000)
        try store.makeAdvance(
            order: nano, amount: 60_000_000, reference: "UNC 0601/KBNN-HCM", on: try day("2026-06-01"))
        try store.makeAdvance(
            order: nano, amount: 30_000_000, reference: "UNC 0530/KBNN-HCM", on: try day("2026-05-30"))
        try store.recoverAdvance(
            order: nano, amount: 10_000_000, reason: "Hoàn trả phần chưa dùng", on: try day("2026-06-05"))
        let settling = try store.recordPayment(order: nano, output: 1, amount: 20_000_000, on: try day("2026-06-10"))
        #expect(settling.settled == 20_000_000)
        let again = try store.recordPayment(order: nano, output: 1, amount: 5_000_000, on: try day("2026-06-11"))
        #expect(again.settled == 5_000_000)
        let reversal = try store.reversePayment(
            order: nano, payment: again.number, reason: "Chuyển nhầm tài khoản", on: try day("2026-06-12"))
        #expect(reversal.settled == -5_000_000)
        return nano
    }

    /// The kept balances, one line per order: its code, advanced, recovered, settled, first date
    /// and number.
    static func keptRows(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT o.code || ' ' || b.advanced || ' ' || b.recovered || ' ' || b.settled || ' ' || b.first_on
                       || ' ' || b.first_number
                FROM advance_balances b JOIN orders o ON o.id = b.order_id ORDER BY o.code
                """)
    }

    @Test func theTriggersKeepEachOrdersBalanceAndTheInboxAndListReadIt() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let nano = try Self.advanced(t.store)
        // Advanced 90, recovered 10, settled 20 (25 less the 5 reversed): 60 million outstanding,
        // listed from the earlier advance (number 2, 2026-05-30).
        let (_, balance) = try t.store.advances(order: nano)
        #expect(balance == AdvanceBalance(advanced: 90_000_000, settled: 20_000_000, recovered: 10_000_000))
        #expect(balance == (try t.store.orderDetail(code: nano)).advanceBalance)
        let rows = try t.raw().read { db in try Self.keptRows(db) }
        #expect(rows == ["\(nano) 90000000 10000000 20000000 2026-05-30 2"])
        let items = try t.store.inbox(InboxFilter(asOf: try day("2026-06-15"))).filter { $0.kind == .advance }
        #expect(items.map(\.orderCode) == [nano])
        #expect(items.first?.since == (try day("2026-05-30")))
        #expect(items.first?.number == 2)
        #expect(items.first?.subject == "advances to settle: 60.000.000 đồng outstanding")
        var listed: [Int64] = []
        try t.store.forEachAdvance(AdvanceFilter(outstandingOnly: true)) { listed.append($0.outstanding) }
        #expect(listed == [60_000_000, 60_000_000, 60_000_000])
        #expect(try t.store.verify().findings.isEmpty)

        // Recovered in full: the order leaves the inbox and the outstanding list, its row stays.
        try t.store.recoverAdvance(order: nano, reason: "Hoàn trả toàn bộ", on: try day("2026-06-20"))
        #expect(try t.store.inbox(InboxFilter(asOf: try day("2026-06-20"))).allSatisfy { $0.kind != .advance })
        listed = []
        try t.store.forEachAdvance(AdvanceFilter(outstandingOnly: true)) { listed.append($0.outstanding) }
        #expect(listed.isEmpty)
        #expect(try t.store.advances(order: nano).balance.outstanding == 0)
        #expect(try t.store.verify().findings.isEmpty)
    }

    @Test func verifyNamesAnOrderWhoseKeptBalanceDiffersFromItsRecords() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let nano = try Self.advanced(t.store)
        for (tampering, undo) in [
            (
                "UPDATE advance_balances SET settled = settled + 1",
                "UPDATE advance_balances SET settled = settled - 1"
            ),
            (
                "UPDATE advance_balances SET first_on = '2026-06-01', first_number = 1",
                "UPDATE advance_balances SET first_on = '2026-05-30', first_number = 2"
            ),
            (
                "DELETE FROM advance_balances",
                "INSERT INTO advance_balances SELECT o.id, 90000000, 10000000, 20000000, '2026-05-30', 2 FROM orders o WHERE o.code = '\(nano)'"
            ),
        ] {
            try t.tamper(tampering)
            let findings = try t.store.verify().findings
            #expect(
                findings.map(\.message) == ["advance_balances differs from the records for 1 order: \(nano)"],
                "\(tampering)")
            #expect(findings.map(\.check) == [.totals])
            try t.tamper(undo)
            #expect(try t.store.verify().findings.isEmpty, "\(undo)")
        }
        // A balance for an order without advances is named too.
        try t.tamper(
            "INSERT INTO advance_balances SELECT o.id, 1, 0, 0, '2026-01-01', 1 FROM orders o WHERE o.code <> '\(nano)' LIMIT 1"
        )
        #expect(
            try t.store.verify().findings.map(\.message).allSatisfy {
                $0.hasPrefix("advance_balances differs from the records for 1 order: ") && !$0.hasSuffix(nano)
            })
        #expect(try t.store.verify().findings.count == 1)
    }

    /// Turns a version-10 file into the file version 9 wrote: the balances' index and triggers
    /// dropped, the table dropped, version 9's inbox index made again. Checked against schema-v9.sql.
    static func downgradeToVersion9(_ t: TempStore) throws {
        let v9 = try Downgrade.frozenObjects(9)
        let queue = try t.raw()
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try Downgrade.dropIndexesAndTriggers(db, notIn: v9)
            try Downgrade.undoVersion10(db)
            try db.execute(sql: "PRAGMA user_version = 9")
        }
    }

    @Test func aVersion9FileGetsItsBalancesFromItsRecords() throws {
        #expect(Downgrade.frozenSchema(9).contains("PRAGMA user_version = 9;"))
        let t = try TempStore()
        defer { t.cleanUp() }
        let nano = try Self.advanced(t.store)
        let (kept, original) = try t.raw().read { db in (try Self.keptRows(db), try everyRow(db)) }
        try Self.downgradeToVersion9(t)
        let (before, rows) = try t.raw().read { db in (try Store.schemaObjects(db), try everyRow(db)) }
        #expect(before == (try Downgrade.frozenObjects(9)))
        #expect(rows.filter { $0.hasPrefix("advance_limits: ") }.allSatisfy { !$0.contains(" hash:") })

        let store = try Store.open(path: t.path, actor: "nâng cấp")
        let (version, schema, after, integrity, filled) = try t.raw().read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version"), try Store.schemaObjects(db), try everyRow(db),
                try String.fetchAll(db, sql: "PRAGMA integrity_check"), try Self.keptRows(db)
            )
        }
        #expect(version == Store.schemaVersion)
        #expect(schema == (try Store.expectedSchema()))
        #expect(integrity == ["ok"])
        // No record rewritten; the balances are what the triggers had kept, and the advance limit's
        // row is chained as it was when it was set: every row is the version-10 file's.
        #expect(
            after.filter { !$0.hasPrefix("advance_balances: ") && !$0.hasPrefix("advance_limits: ") }
                == rows.filter { !$0.hasPrefix("advance_limits: ") })
        #expect(filled == kept)
        #expect(after == original)
        #expect(try store.verify().findings.isEmpty)
        #expect(
            try store.inbox(InboxFilter(asOf: try day("2026-06-15"))).filter { $0.kind == .advance }.map(\.orderCode)
                == [nano])
        // The triggers keep it from there.
        try store.recoverAdvance(order: nano, reason: "Hoàn trả toàn bộ", on: try day("2026-06-20"))
        #expect(try store.advances(order: nano).balance.outstanding == 0)
        #expect(try store.verify().findings.isEmpty)
        // Opening again changes nothing more.
        let again = try t.fingerprint()
        _ = try Store.open(path: t.path, actor: "nâng cấp")
        #expect(try t.fingerprint() == again)
    }
}
