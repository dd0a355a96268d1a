import Foundation
import GRDB
import Testing

@testable import STOrders

/// The indicators' running totals: kept by schema.sql's triggers whoever writes (storders or
/// raw SQL), checked by `verify`, and built from the records when a schema-1 file is upgraded.
@Suite struct TalliesTests {
    func figures(_ store: Store, _ years: ClosedRange<Int> = 2024...2027) throws -> IndicatorReport {
        try store.indicators(IndicatorRequest(years: years))
    }

    func drift(_ t: TempStore) throws -> [String] {
        let queue = try t.raw()
        defer { try? queue.close() }
        return try queue.read { db in try Tallies.differences(db).flatMap { $0.shown } }
    }

    @Test func theDemoDatabaseKeepsItsTotals() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        #expect(try drift(t) == [])
        let counts = try t.raw().read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM tallies") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM tally_durations") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM tally_enterprises") ?? 0
            )
        }
        #expect(counts.0 > 0 && counts.1 > 0 && counts.2 > 0)
        // The years the dashboard's trend spans come from the totals too.
        #expect(try t.store.yearsPresent() == 2025...2026)
    }

    @Test func aTotalEditedByHandIsFoundByVerify() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper(
            """
            UPDATE tallies SET registered = registered + 1 WHERE year = 2025 AND province_code = '79' AND field = 'science';
            DELETE FROM tally_enterprises WHERE (year, enterprise_id) IN (SELECT year, enterprise_id FROM tally_enterprises LIMIT 1);
            """)
        let v = try Store.open(path: t.path, actor: "kiểm toán").verify()
        let messages = v.findings(of: .totals).map(\.message)
        #expect(messages.count == 2, "\(messages)")
        #expect(
            messages.contains {
                $0.hasPrefix("tallies differs from the records for 1 key: year 2025, province_code 79, field science")
            })
        #expect(
            messages.contains {
                $0.hasPrefix("tally_enterprises differs from the records for ") && $0.contains(": year ")
            })
        #expect(v.findings.count == 2)
    }

    @Test func rawSQLWritesKeepTheTotals() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let before = try figures(t.store)
        // A person with sqlite3 pays 1 đồng on an accepted output of an order the demo paid
        // against, then tries an UPDATE OR IGNORE that a CHECK makes SQLite skip (no trigger after it may run).
        try t.tamper(
            """
            INSERT INTO payments (order_id, number, output_id, amount, source, paid_on)
            SELECT p.order_id, (SELECT max(number) + 1 FROM payments WHERE order_id = p.order_id), p.output_id, 1, 'state', '2026-12-31'
            FROM payments p JOIN orders o ON o.id = p.order_id
            WHERE o.code = '79-2025-0001' AND p.reverses IS NULL LIMIT 1;
            UPDATE OR IGNORE orders SET cancel_reason = 'sửa tay' WHERE code = '79-2025-0001';
            """)
        #expect(try drift(t) == [])
        let after = try figures(t.store)
        let paid = { (r: IndicatorReport) in r.years.first { $0.year == 2026 }?.total.figures.stateBudgetPaid ?? -1 }
        #expect(paid(after) == paid(before) + 1)
    }

    /// A file made by schema version 1: today's file without the totals, with the three
    /// indexes version 1 had, and user_version 1.
    static func makeVersion1(_ t: TempStore) throws {
        try t.tamper(
            """
            DROP TABLE tallies; DROP TABLE tally_durations; DROP TABLE tally_enterprises;
            DROP TRIGGER orders_tallied; DROP TRIGGER orders_retallied; DROP TRIGGER outputs_tallied;
            DROP TRIGGER outputs_retallied; DROP TRIGGER outputs_untallied; DROP TRIGGER fundings_tallied;
            DROP TRIGGER payments_tallied; DROP TRIGGER results_tallied; DROP TRIGGER result_retractions_tallied;
            CREATE INDEX outputs_for_indicators ON outputs (accepted_on, order_id, novelty) WHERE accepted_on IS NOT NULL;
            CREATE INDEX payments_for_indicators ON payments (paid_on, order_id, source, amount, reverses);
            CREATE INDEX results_for_indicators ON results (commercialized_on, order_id, revenue);
            PRAGMA user_version = 1;
            """)
    }

    @Test func aVersion1FileIsUpgradedOnceWithItsTotalsFromTheRecords() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let expected = try figures(t.store)
        try Self.makeVersion1(t)
        let store = try Store.open(path: t.path, actor: "nâng cấp")
        let version = try t.raw().read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == Store.schemaVersion)
        #expect(try figures(store) == expected)
        let v = try store.verify()
        #expect(v.findings.isEmpty, "\(v.findings)")
        // Writes after the upgrade keep the totals.
        try store.cancel(
            order: "79-2025-0001", reason: "Doanh nghiệp rút đơn đặt hàng", on: try Day(parsing: "2026-06-01"))
        #expect(try drift(t) == [])
    }

    @Test func theTriggersSetAsideAreExactlyThoseThatWriteTheTotals() throws {
        let names = try Tallies.triggers()
        #expect(
            Set(names) == [
                "orders_tallied", "orders_retallied", "outputs_tallied", "outputs_retallied",
                "outputs_untallied", "fundings_tallied", "payments_tallied", "results_tallied",
                "result_retractions_tallied",
            ])
    }

    @Test func anImportAddsItsOrdersToTheTotalsSetWise() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let dir = t.directory.appendingPathComponent("csv").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Years before the demo's, so no generated order code meets one of the demo's.
        _ = try Store.generateCSV(GeneratorOptions(orders: 300, seed: 5, years: 2021...2023), directory: dir)
        _ = try t.store.importEnterprises(file: dir + "/enterprises.csv")
        let dry = try t.store.importOrders(file: dir + "/orders.csv", outputs: dir + "/outputs.csv", dryRun: true)
        #expect(dry.orders == 300)
        #expect(try figures(t.store, 2021...2023).years.allSatisfy { $0.total.figures.ordersRegistered == 0 })
        let summary = try t.store.importOrders(file: dir + "/orders.csv", outputs: dir + "/outputs.csv")
        #expect(summary.orders == 300)
        #expect(try drift(t) == [])
        let registered = try figures(t.store, 2021...2023).years.map(\.total.figures.ordersRegistered).reduce(0, +)
        #expect(registered == 300)
        // The triggers are back: a later command keeps the totals, and verify finds the schema whole.
        try t.store.cancel(
            order: "79-2025-0001", reason: "Doanh nghiệp rút đơn đặt hàng", on: try Day(parsing: "2026-06-01"))
        #expect(try drift(t) == [])
        let v = try t.store.verify()
        #expect(v.findings.isEmpty, "\(v.findings)")
    }
}
