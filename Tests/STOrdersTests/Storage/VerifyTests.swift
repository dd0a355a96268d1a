import Crypto
import GRDB
import Testing

@testable import STOrders

/// `verify` finds each way a file can be tampered with outside storders, and names the order.
@Suite struct VerifyTests {
    func verify(_ t: TempStore) throws -> Verification {
        try Store.open(path: t.path, actor: "kiểm toán").verify()
    }

    func has(_ v: Verification, _ check: Verification.Check, order: String?, _ fragment: String) -> Bool {
        v.findings.contains { $0.check == check && $0.order == order && $0.message.contains(fragment) }
    }

    @Test func anAmountEditedAfterDroppingItsTrigger() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper(
            """
            DROP TRIGGER payments_never_changed;
            UPDATE payments SET amount = 700000000 WHERE order_id = (SELECT id FROM orders WHERE code = '79-2025-0001');
            """)
        let v = try verify(t)
        #expect(has(v, .schema, order: nil, "trigger payments_never_changed is missing"))
        #expect(
            has(
                v, .records, order: "79-2025-0001",
                "payment 1 was changed outside storders: amount is 700000000 now but 600000000 was recorded"))
        // With the trigger that keeps the running totals bypassed by the edit, the total paid
        // in 2026 no longer matches the payments either.
        #expect(
            has(
                v, .totals, order: nil,
                "tallies differs from the records for 1 key: year 2026, province_code 79, field science"))
        #expect(v.findings.count == 3)
    }

    @Test func anEditHiddenByRecreatingTheTrigger() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let trigger = try t.raw().read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'results_never_changed'") ?? ""
        }
        try t.tamper(
            """
            DROP TRIGGER results_never_changed;
            UPDATE results SET revenue = 9000000000 WHERE order_id = (SELECT id FROM orders WHERE code = '01-2025-0001') AND number = 2;
            \(trigger);
            """)
        let v = try verify(t)
        #expect(v.findings(of: .schema).isEmpty)
        #expect(
            has(
                v, .records, order: "01-2025-0001",
                "result 2 was changed outside storders: revenue is 9000000000 now but 320000000 was recorded"))
    }

    @Test func aDeletedEvent() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        // The delivery of 19-2025-0002 disappears from its history.
        try t.tamper(
            """
            DROP TRIGGER events_never_deleted;
            DELETE FROM events WHERE action = 'delivered' AND order_id = (SELECT id FROM orders WHERE code = '19-2025-0002');
            """)
        let v = try verify(t)
        #expect(!v.findings(of: .chain).isEmpty)
        #expect(
            has(
                v, .invariants, order: "19-2025-0002",
                "its history records commercialized on 2026-03-01 while the order was funded"))
    }

    @Test func twoEventsSwapped() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        // Swap the funding and the registration of 79-2025-0001 (every column but the id).
        try t.tamper(
            """
            DROP TRIGGER events_never_changed;
            CREATE TEMP TABLE pair AS SELECT * FROM events
                WHERE order_id = (SELECT id FROM orders WHERE code = '79-2025-0001') AND action IN ('registered', 'funded');
            UPDATE events SET (occurred_on, recorded_at, action, details, actor, record_table, record_id, record, hash) =
                (SELECT p.occurred_on, p.recorded_at, p.action, p.details, p.actor, p.record_table, p.record_id, p.record, p.hash
                 FROM pair p WHERE p.id <> events.id)
            WHERE id IN (SELECT id FROM pair);
            """)
        let v = try verify(t)
        #expect(has(v, .chain, order: "79-2025-0001", "does not match its hash"))
        #expect(has(v, .invariants, order: "79-2025-0001", "its history records funded"))
    }

    @Test func aStateChanged() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper(
            """
            PRAGMA ignore_check_constraints = ON;
            DROP TRIGGER orders_lifecycle;
            DROP TRIGGER orders_delivered_needs_acceptance;
            UPDATE orders SET state = 'delivered', delivered_on = '2026-06-01' WHERE code = '79-2025-0001';
            """)
        let v = try verify(t)
        #expect(has(v, .invariants, order: "79-2025-0001", "it is delivered but its history says funded"))
        #expect(has(v, .invariants, order: "79-2025-0001", "it is delivered but 1 of its outputs are not accepted"))
        #expect(has(v, .schema, order: nil, "trigger orders_lifecycle is missing"))
    }

    @Test func aDeletedPaymentAndAnEditedEvent() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper(
            """
            PRAGMA foreign_keys = OFF;
            DROP TRIGGER payments_never_deleted;
            DELETE FROM payments WHERE order_id = (SELECT id FROM orders WHERE code = '19-2025-0002');
            DROP TRIGGER events_never_changed;
            UPDATE events SET details = 'ordered by nobody' WHERE action = 'registered'
                AND order_id = (SELECT id FROM orders WHERE code = '48-2026-0001');
            """)
        let v = try verify(t)
        #expect(has(v, .records, order: "19-2025-0002", "wrote a payment record that is no longer there"))
        #expect(has(v, .chain, order: "48-2026-0001", "does not match its hash"))
    }

    @Test func anOutputValueAndAFundingEdited() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper(
            """
            DROP TRIGGER outputs_fixed_after_funding;
            DROP TRIGGER fundings_never_changed;
            UPDATE outputs SET value = 100 WHERE order_id = (SELECT id FROM orders WHERE code = '79-2025-0001') AND number = 1;
            UPDATE fundings SET state_budget = 1 WHERE order_id = (SELECT id FROM orders WHERE code = '19-2025-0001');
            """)
        let v = try verify(t)
        #expect(has(v, .records, order: "79-2025-0001", "output 1 was changed outside storders: value is 100 now"))
        #expect(has(v, .invariants, order: "79-2025-0001", "output 1 has 600.000.000 đồng paid against it"))
        #expect(has(v, .records, order: "19-2025-0001", "its funding was changed outside storders"))
        #expect(has(v, .invariants, order: "19-2025-0001", "is paid from source 'state'"))
    }

    @Test func aRowAddedOutsideStorders() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        // Within every rule, but with no event: only the records check can tell.
        try t.tamper(
            """
            INSERT INTO payments (order_id, number, output_id, amount, source, paid_on)
            SELECT o.id, 2, x.id, 100000000, 'enterprise', '2026-06-01' FROM orders o JOIN outputs x ON x.order_id = o.id
            WHERE o.code = '79-2025-0001' AND x.number = 1;
            """)
        let v = try verify(t)
        #expect(has(v, .records, order: "79-2025-0001", "payment 2 has no event in the history"))
        #expect(v.findings.count == 1)
    }

    @Test func aDroppedViewIsReportedAndTheOtherChecksStillRun() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper(
            """
            DROP VIEW results_live;
            DROP TRIGGER events_never_changed;
            UPDATE events SET actor = 'người khác' WHERE id = 3;
            """)
        let v = try verify(t)
        #expect(has(v, .schema, order: nil, "view results_live is missing"))
        #expect(has(v, .invariants, order: nil, "this check could not run on this file"))
        #expect(has(v, .chain, order: "19-2025-0001", "event #3"))
    }

    /// An index and a trigger share the name payments_reversed_once: each is checked on its own
    /// (verify once keyed objects by name alone, and a dropped index hid behind the trigger).
    @Test func anIndexAndATriggerOfTheSameNameAreEachChecked() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.tamper("DROP INDEX payments_reversed_once;")
        let v = try verify(t)
        #expect(has(v, .schema, order: nil, "index payments_reversed_once is missing"))
        #expect(v.findings.count == 1)
        let t2 = try TempStore()
        defer { t2.cleanUp() }
        try t2.tamper("DROP TRIGGER payments_reversed_once;")
        let v2 = try verify(t2)
        #expect(
            has(
                v2, .schema, order: nil,
                "trigger payments_reversed_once is missing; the rule it enforces is not protected"))
        #expect(v2.findings.count == 1)
    }

    @Test func anEmptyDatabaseIsClean() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let v = try verify(t)
        #expect(v.findings == [] && v.events == 0 && v.chainHead == "")
    }

    @Test func aHonestDatabaseWithCorrectionsIsClean() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        try t.store.reversePayment(
            order: "79-2025-0001", payment: 1, amount: 1, reason: "Làm tròn", on: day("2026-06-01"))
        try t.store.retractResult(order: "19-2025-0001", result: 1, reason: "Ghi nhầm", on: day("2026-06-01"))
        let v = try verify(t)
        #expect(v.findings == [])
        #expect(v.chainHead == (try t.raw().read { db in try HistoryChain.head(db) }))
    }

    /// The hash is SHA-256 of exactly the documented encoding.
    @Test func canonicalEncodingIsTheDocumentedOne() throws {
        let fields: [DatabaseValue] = [
            "19-2026-0001".databaseValue, "2026-03-01".databaseValue, "2026-03-01T08:00:00Z".databaseValue,
            "payment_recorded".databaseValue, "Thanh toán\nđợt 1".databaseValue, "kế toán".databaseValue,
            "payments".databaseValue, Int64(7).databaseValue, DatabaseValue.null,
        ]
        let documented =
            "storders-event-v1\n" + "prev=t64:" + HistoryChain.genesis + "\n"
            + "order_code=t12:19-2026-0001\n" + "occurred_on=t10:2026-03-01\n"
            + "recorded_at=t20:2026-03-01T08:00:00Z\n"
            + "action=t16:payment_recorded\n" + "details=t\("Thanh toán\nđợt 1".utf8.count):Thanh toán\nđợt 1\n"
            + "actor=t\("kế toán".utf8.count):kế toán\n" + "record_table=t8:payments\n" + "record_id=i1:7\n"
            + "record=null\n"
        let expected = SHA256.hash(data: Array(documented.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(HistoryChain.hash(prev: HistoryChain.genesis, fields: fields) == expected)
    }
}
