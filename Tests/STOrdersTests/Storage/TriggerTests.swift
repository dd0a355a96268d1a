import GRDB
import Testing

@testable import STOrders

/// schema.sql's triggers refuse, with a readable message, every forbidden change made with raw
/// SQL, and the refused statement changes nothing.
@Suite struct TriggerTests {
    static func id(_ code: String) -> String { "(SELECT id FROM orders WHERE code = '\(code)')" }

    static let forbidden: [(String, String)] = [
        ("UPDATE payments SET amount = amount + 1 WHERE id = 1", "payments are never changed"),
        ("DELETE FROM payments WHERE id = 1", "payments are never deleted"),
        ("UPDATE events SET details = 'sửa' WHERE id = 1", "events are never changed"),
        ("DELETE FROM events WHERE id = (SELECT max(id) FROM events)", "events are never deleted"),
        ("UPDATE results SET revenue = 0 WHERE id = 1", "results are never changed"),
        ("DELETE FROM results WHERE id = 1", "results are never deleted"),
        ("UPDATE fundings SET state_budget = state_budget + 1", "a funding commitment never changes"),
        ("DELETE FROM fundings WHERE order_id = \(id("79-2025-0001"))", "a funding commitment is never deleted"),
        ("DELETE FROM orders WHERE code = '48-2026-0001'", "orders are never deleted"),
        ("UPDATE orders SET title = 'Tên khác' WHERE code = '48-2026-0001'", "never change"),
        ("UPDATE orders SET state = 'ordered' WHERE code = '79-2025-0001'", "moves only along its lifecycle"),
        (
            "UPDATE orders SET state = 'delivered', delivered_on = '2026-07-02' WHERE code = '48-2026-0001'",
            "moves only along its lifecycle"
        ),
        (
            "UPDATE orders SET state = 'ordered' WHERE code = '92-2025-0001'",
            "moves only along its lifecycle"
        ),
        (
            "UPDATE orders SET state = 'funded', funded_on = '2026-07-02' WHERE code = '48-2026-0001'",
            "becomes funded only with at least one output and a funding"
        ),
        (
            "UPDATE orders SET state = 'delivered', delivered_on = '2026-06-01' WHERE code = '79-2025-0001'",
            "becomes delivered only when all its outputs are accepted"
        ),
        (
            "UPDATE orders SET commercialized_on = '2025-12-31' WHERE code = '19-2025-0001'",
            "commercialized only while it has a result"
        ),
        (
            "UPDATE orders SET funded_on = '2025-04-01' WHERE code = '19-2025-0001'",
            "dates and its cancellation reason never change"
        ),
        (
            "INSERT INTO outputs (order_id, number, title, type, novelty, value) VALUES (\(id("79-2025-0001")), 3, 'Thêm', 'product', 'new', 1)",
            "outputs are added only while their order is ordered"
        ),
        (
            "UPDATE outputs SET value = value * 2 WHERE order_id = \(id("79-2025-0001"))",
            "fixed once its order is funded"
        ),
        (
            "UPDATE outputs SET accepted_on = '2026-12-01' WHERE order_id = \(id("79-2025-0001")) AND number = 1",
            "an output is accepted once"
        ),
        (
            "UPDATE outputs SET accepted_on = '2026-07-02' WHERE order_id = \(id("48-2026-0001"))",
            "accepted only while its order is funded"
        ),
        (
            "DELETE FROM outputs WHERE order_id = \(id("79-2025-0001")) AND number = 2",
            "removed only while their order is ordered"
        ),
        (
            """
            INSERT INTO payments (order_id, number, output_id, amount, source, paid_on) VALUES
            (\(id("79-2025-0001")), 9, (SELECT id FROM outputs WHERE order_id = \(id("79-2025-0001")) AND number = 2), 1, 'state', '2026-12-01')
            """, "a payment needs an accepted output"
        ),
        (
            """
            INSERT INTO payments (order_id, number, output_id, amount, source, paid_on) VALUES
            (\(id("19-2025-0001")), 9, (SELECT id FROM outputs WHERE order_id = \(id("19-2025-0001")) AND number = 1), 1, 'enterprise', '2026-12-01')
            """, "exceed what remains unpaid of its output"
        ),
        (
            """
            INSERT INTO payments (order_id, number, output_id, amount, source, paid_on) VALUES
            (\(id("19-2025-0002")), 9, (SELECT id FROM outputs WHERE order_id = \(id("19-2025-0002"))), 1, 'state', '2026-12-01')
            """, "exceed what remains of its source's funding"
        ),
        (
            """
            INSERT INTO payments (order_id, number, output_id, amount, source, paid_on, reverses, reason) VALUES
            (\(id("19-2025-0001")), 9, (SELECT output_id FROM payments WHERE id = 1), -1300000000, 'state', '2026-12-01', 1, 'quá')
            """, "for at most its amount"
        ),
        (
            """
            INSERT INTO payments (order_id, number, output_id, amount, source, paid_on, reverses, reason) VALUES
            (\(id("19-2025-0001")), 9, (SELECT output_id FROM payments WHERE id = 1), -1, 'enterprise', '2026-12-01', 1, 'sai nguồn')
            """, "same order, output and source"
        ),
        (
            "INSERT INTO results (order_id, number, channel, revenue, commercialized_on) VALUES (\(id("79-2025-0001")), 1, 'sale', 5, '2026-12-01')",
            "only for a delivered or commercialized order"
        ),
        (
            "INSERT INTO result_retractions (result_id, reason, retracted_on) VALUES (1, 'sớm', '2020-01-01')",
            "dated on or after it"
        ),
        (
            """
            INSERT INTO orders (code, title, field, province_code, enterprise_id, ordered_on, state, funded_on)
            VALUES ('01-2025-0099', 'Đặt hàng mới', 'science', '01', 1, '2025-01-01', 'funded', '2025-01-02')
            """, "a new order starts in state ordered"
        ),
        (
            "UPDATE outputs SET number = 9 WHERE order_id = \(id("48-2026-0001"))",
            "never moves to another order or number"
        ),
        (
            """
            INSERT INTO fundings (order_id, state_budget, enterprise_funds, other, funded_on)
            VALUES (\(id("79-2025-0001")), 1, 0, 0, '2026-01-01')
            """, "recorded only for an order that is ordered"
        ),
        (
            "UPDATE orders SET state = 'delivered', commercialized_on = NULL WHERE code = '01-2025-0001'",
            "returns to delivered only when every one of its results is retracted"
        ),
        ("UPDATE targets SET value = 1", "targets are never changed"),
        ("DELETE FROM targets", "targets are never deleted"),
    ]

    /// A refusal by one of schema.sql's triggers with `message` (a CHECK, a UNIQUE index or a
    /// foreign key refusing instead would not do: each trigger is tested for its own rule).
    static func refusedByTrigger(_ error: any Error, _ message: String) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER && (e.message ?? "").contains(message)
    }

    @Test(arguments: forbidden)
    func rawSQLIsRefused(_ sql: String, _ message: String) throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let before = try t.fingerprint()
        #expect {
            try t.tamper(sql)
        } throws: { error in
            Self.refusedByTrigger(error, message)
        }
        #expect(try t.fingerprint() == before)
    }

    @Test func retractionsAndReversalsAreAppendOnlyAndOnce() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.store.reversePayment(
            order: "19-2025-0001", payment: 1, amount: 100, reason: "Nhập sai", on: day("2026-01-01"))
        try t.store.retractResult(order: "01-2025-0001", result: 2, reason: "Ghi nhầm", on: day("2026-07-01"))
        let before = try t.fingerprint()
        for (sql, message) in [
            ("UPDATE result_retractions SET reason = 'khác'", "never changed or deleted"),
            ("DELETE FROM result_retractions", "never changed or deleted"),
            (
                "INSERT INTO result_retractions (result_id, reason, retracted_on) VALUES ((SELECT result_id FROM result_retractions), 'lần hai', '2026-08-01')",
                "retracted at most once"
            ),
            (
                """
                INSERT INTO payments (order_id, number, output_id, amount, source, paid_on, reverses, reason)
                SELECT order_id, 99, output_id, -1, source, '2026-02-01', 1, 'lần hai' FROM payments WHERE id = 1
                """, "reversed at most once"
            ),
        ] {
            #expect("\(message)") { try t.tamper(sql) } throws: { error in Self.refusedByTrigger(error, message) }
        }
        #expect(try t.fingerprint() == before)
    }

    /// A trigger's refusal reaching the library becomes a STOrdersError with the trigger's
    /// sentence, never SQL.
    @Test func triggerRefusalsMapToReadableErrors() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        #expect(
            throws: STOrdersError.constraintViolated(
                "payments are never changed; correct one with a reversal (storders payment reverse)")
        ) {
            try t.store.write { db in try db.execute(sql: "UPDATE payments SET amount = 1") }
        }
        let error = #expect(throws: STOrdersError.self) {
            try t.store.write { db in try db.execute(sql: "UPDATE payments SET source = 'nowhere' WHERE id = 1") }
        }
        #expect(error.map { !"\($0)".contains("CHECK") && !"\($0)".contains("payments.") } == true)
    }

    /// The library's own operations pass every trigger (the demo does each kind of step), and a
    /// demo database verifies clean.
    @Test func libraryStepsPassTheTriggers() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let v = try t.store.verify()
        #expect(v.findings == [])
        #expect(v.orders == 6 && v.events > 30 && v.chainHead.count == 64)
    }
}
