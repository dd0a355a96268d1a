import GRDB
import Testing

@testable import STOrders

/// The edges of schema.sql's triggers the library's own checks hide (the store refuses first), so
/// that each trigger condition is tested for itself with raw SQL, as tampering would reach it.
@Suite struct TriggerEdgeTests {
    static func id(_ code: String) -> String { TriggerTests.id(code) }

    func expectRefused(
        _ t: TempStore, _ sql: String, _ message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try t.fingerprint()
        // In one transaction, rolled back when a statement is refused, as sqlite3 with BEGIN would.
        let queue = try t.raw()
        #expect(sourceLocation: sourceLocation) {
            try queue.write { db in try db.execute(sql: sql) }
        } throws: { error in
            TriggerTests.refusedByTrigger(error, message)
        }
        try queue.close()
        #expect(try t.fingerprint() == before, sourceLocation: sourceLocation)
    }

    /// A payment dated the day before its output's acceptance (79-2025-0001's output 1 was
    /// accepted on 2026-05-14).
    @Test func aPaymentBeforeItsOutputsAcceptanceIsRefused() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try expectRefused(
            t,
            """
            INSERT INTO payments (order_id, number, output_id, amount, source, paid_on) VALUES
            (\(Self.id("79-2025-0001")), 9, (SELECT id FROM outputs WHERE order_id = \(Self.id("79-2025-0001")) AND number = 1),
             1, 'state', '2026-05-13')
            """, "a payment needs an accepted output")
    }

    /// A delivered order is never cancelled, by raw SQL either.
    @Test func aDeliveredOrderIsNeverCancelled() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let (_, state) = try t.store.acceptOutput(order: "79-2025-0001", number: 2, on: day("2026-06-01"))
        #expect(state == .delivered)
        try expectRefused(
            t,
            """
            UPDATE orders SET state = 'cancelled', cancelled_on = '2026-06-02', cancel_reason = 'Thử hủy'
            WHERE code = '79-2025-0001'
            """, "moves only along its lifecycle")
    }

    /// The funding must cover the outputs' total, not merely the largest: 48-2026-0001 gets a
    /// second output (1.5 + 0.5 billion) and a funding of 1.6 billion.
    @Test func aFundingCoveringLessThanTheOutputsTotalIsRefused() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.store.addOutput(
            order: "48-2026-0001",
            NewOutput(
                title: "Bộ dữ liệu huấn luyện", type: .product,
                novelty: .new, value: 500_000_000, dueOn: day("2027-06-30")), on: day("2026-07-01"))
        try expectRefused(
            t,
            """
            INSERT INTO fundings (order_id, state_budget, enterprise_funds, other, funded_on, starts_on, ends_on)
            VALUES (\(Self.id("48-2026-0001")), 1600000000, 0, 0, '2026-07-15', '2026-07-15', '2027-12-31');
            UPDATE orders SET state = 'funded', funded_on = '2026-07-15' WHERE code = '48-2026-0001'
            """, "becomes funded only with at least one output and a funding")
    }
}
