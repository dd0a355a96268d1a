import Foundation
import GRDB
import Testing

@testable import STOrders

/// The dates rule (an order's history reads in date order) through every path: the store's
/// commands, the triggers against raw SQL, the restore, and `verify` on a file written before
/// the rule.
@Suite struct DatesRuleTests {
    /// A day written in the test, for the refusal predicates (which cannot throw).
    func fixed(_ text: String) -> Day { (try? Day(parsing: text)) ?? Day(ordinal: 0) }

    /// Registered on 2025-03-10, output 1 added on 2025-03-20.
    func orderWithALateOutput(_ store: Store, enterprise: TaxCode) throws -> String {
        let order = try store.registerOrder(
            enterprise: enterprise, title: "Hệ thống đo lường quang phổ",
            field: .science, on: try day("2025-03-10"))
        try store.addOutput(
            order: order.code,
            NewOutput(
                title: "Máy đo phổ cầm tay", type: .product, novelty: .new,
                value: 500_000_000), on: try day("2025-03-20"))
        return order.code
    }

    /// A funded order (Fixture: funded 2025-04-02) with output 1 accepted on 2025-09-15 and paid
    /// 300 million đồng on 2025-10-01.
    func paid(_ f: Fixture) throws -> String {
        let code = try f.funded()
        try f.store.acceptOutput(
            order: code, number: 1, evidence: "Biên bản nghiệm thu số 12", on: try day("2025-09-15"))
        try f.store.recordPayment(
            order: code, output: 1, amount: 300_000_000, reference: "KBNN-0915",
            on: try day("2025-10-01"))
        return code
    }

    @Test func aFundingBeforeAnOutputWasAddedIsRefused() throws {
        let f = try Fixture()
        let code = try orderWithALateOutput(f.store, enterprise: f.enterprise)
        try f.expectRefusal({
            $0
                == .dateBefore(
                    what: "funding", date: fixed("2025-03-15"),
                    earlier: "the addition of output 1", earliest: fixed("2025-03-20"))
        }) {
            try f.store.fund(order: code, try Funding(stateBudget: 500_000_000, fundedOn: try day("2025-03-15")))
        }
        try f.store.fund(order: code, try Funding(stateBudget: 500_000_000, fundedOn: try day("2025-03-20")))
        #expect(try f.store.orderDetail(code: code).order.state == .funded)
    }

    @Test func aCancellationBeforeAnAcceptanceIsRefused() throws {
        let f = try Fixture()
        let code = try f.funded()
        try f.store.acceptOutput(order: code, number: 2, on: try day("2025-09-15"))
        try f.expectRefusal({
            $0
                == .dateBefore(
                    what: "cancellation", date: fixed("2025-06-01"),
                    earlier: "the acceptance of output 2", earliest: fixed("2025-09-15"))
        }) {
            try f.store.cancel(order: code, reason: "Doanh nghiệp rút đơn", on: try day("2025-06-01"))
        }
    }

    @Test func aCancellationBeforeAPaymentIsRefused() throws {
        let f = try Fixture()
        let code = try paid(f)
        try f.expectRefusal({
            $0
                == .dateBefore(
                    what: "cancellation", date: fixed("2025-09-20"),
                    earlier: "payment 1", earliest: fixed("2025-10-01"))
        }) {
            try f.store.cancel(order: code, reason: "Doanh nghiệp rút đơn", on: try day("2025-09-20"))
        }
    }

    /// Cancelling an order with net payments: allowed from funded on or after its last step;
    /// the payments against accepted outputs are kept and shown (output-based payment earned),
    /// no payment is recorded afterwards, and a reversal (a correction) still may be, dated on
    /// or after the cancellation.
    @Test func aCancelledOrderKeepsItsPaymentsAndTakesNoNewOnes() throws {
        let f = try Fixture()
        let code = try paid(f)
        let order = try f.store.cancel(order: code, reason: "Doanh nghiệp giải thể", on: try day("2025-10-02"))
        #expect(order.state == .cancelled)
        let detail = try f.store.orderDetail(code: code)
        #expect(detail.payments.map(\.amount) == [300_000_000] && detail.paidTotal == 300_000_000)
        #expect(detail.outputs.first?.acceptedOn == (try day("2025-09-15")))
        try f.expectRefusal({
            $0
                == .transitionRefused(
                    code: code, from: .cancelled, action: "record a payment",
                    needs: "funded, delivered or commercialized")
        }) {
            try f.store.recordPayment(order: code, output: 1, amount: 1, on: try day("2025-10-03"))
        }
        try f.expectRefusal({
            $0
                == .dateBefore(
                    what: "reversal", date: fixed("2025-10-01"),
                    earlier: "the order's cancellation", earliest: fixed("2025-10-02"))
        }) {
            try f.store.reversePayment(order: code, payment: 1, reason: "Chi nhầm", on: try day("2025-10-01"))
        }
        let reversal = try f.store.reversePayment(
            order: code, payment: 1, amount: 100_000_000, reason: "Chi nhầm một phần",
            on: try day("2025-10-03"))
        #expect(reversal.amount == -100_000_000)
        #expect(try f.store.orderDetail(code: code).paidTotal == 200_000_000)
        #expect(try f.store.invariantViolations().isEmpty)
        #expect(try f.store.verify().findings.isEmpty)
    }

    // MARK: The triggers, against raw SQL

    func rawRefusal(_ store: Store, _ sql: String) throws -> String? {
        do {
            try store.writer.write { db in try db.execute(sql: sql) }
            return nil
        } catch let error as DatabaseError {
            return error.message
        }
    }

    @Test func theTriggersRefuseTheSameDatesAgainstRawSQL() throws {
        let f = try Fixture()
        let early = try orderWithALateOutput(f.store, enterprise: f.enterprise)
        #expect(
            try rawRefusal(
                f.store,
                """
                INSERT INTO fundings (order_id, state_budget, funded_on)
                SELECT id, 500000000, '2025-03-15' FROM orders WHERE code = '\(early)'
                """)
                == "a funding is dated on or after every earlier step of its order (its registration and every output's addition)"
        )
        let code = try paid(f)
        let before = try f.snapshot()
        #expect(
            try rawRefusal(
                f.store,
                """
                UPDATE orders SET state = 'cancelled', cancelled_on = '2025-09-20', cancel_reason = 'sửa tay' WHERE code = '\(code)'
                """)
                == "an order's cancellation is dated on or after every earlier step of the order (its outputs, funding, acceptances and payments)"
        )
        try f.store.cancel(order: code, reason: "Doanh nghiệp giải thể", on: try day("2025-10-05"))
        #expect(
            try rawRefusal(
                f.store,
                """
                INSERT INTO payments (order_id, number, output_id, amount, source, paid_on, reverses, reason)
                SELECT p.order_id, 2, p.output_id, -1, 'state', '2025-10-02', p.id, 'sửa tay'
                FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.code = '\(code)'
                """) == "a reversal on a cancelled order is dated on or after its cancellation")
        #expect(try f.snapshot() != before)  // the cancellation itself went through
    }

    // MARK: verify and the restore

    /// A file written before the rule: an order cancelled (through the store's own writes, so
    /// its history and hash chain are whole) on a day before its output's acceptance, and one
    /// funded before its output was added. `verify` names both; nothing is rewritten.
    @Test func verifyNamesEveryOrderWhoseDatesContradict() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let store = t.store
        let enterprise = try TaxCode(parsing: "4601234560")
        try store.addEnterprise(
            name: "Công ty TNHH Quang học Yên Bình", taxCode: enterprise,
            province: try Province.named("Thái Nguyên"), on: try day("2025-01-02"))
        let cancelled = try orderWithALateOutput(store, enterprise: enterprise)
        try store.addOutput(
            order: cancelled,
            NewOutput(
                title: "Phần mềm phân tích phổ", type: .service, novelty: .improved,
                value: 200_000_000), on: try day("2025-03-20"))
        try store.fund(order: cancelled, try Funding(stateBudget: 700_000_000, fundedOn: try day("2025-04-02")))
        try store.acceptOutput(order: cancelled, number: 1, on: try day("2025-09-15"))
        let funded = try orderWithALateOutput(store, enterprise: enterprise)
        let schema = try Store.expectedSchema()
        try store.write { db in
            try db.execute(
                sql: "DROP TRIGGER orders_cancelled_after_every_step; DROP TRIGGER fundings_after_every_step")
            let c = try store.findOrder(db, code: cancelled)
            try db.execute(
                sql: """
                    UPDATE orders SET state = 'cancelled', cancelled_on = '2025-06-01', cancel_reason = 'Rút đơn' WHERE id = ?
                    """, arguments: [c.id])
            try store.appendEvent(
                db, orderID: c.id, on: try day("2025-06-01"), action: .cancelled,
                details: EventDetails.cancelled(from: .funded, reason: "Rút đơn"))
            let g = try store.findOrder(db, code: funded)
            try db.execute(
                sql: "INSERT INTO fundings (order_id, state_budget, funded_on) VALUES (?, 500000000, '2025-03-15')",
                arguments: [g.id])
            try db.execute(
                sql: "UPDATE orders SET state = 'funded', funded_on = '2025-03-15' WHERE id = ?", arguments: [g.id])
            let f = try Funding(stateBudget: 500_000_000, fundedOn: try day("2025-03-15"))
            try store.appendEvent(
                db, orderID: g.id, on: try day("2025-03-15"), action: .funded,
                details: EventDetails.funded(f), record: (.fundings, g.id))
            for name in ["orders_cancelled_after_every_step", "fundings_after_every_step"] {
                try db.execute(sql: schema["trigger \(name)"]?.sql ?? "")
            }
        }
        let before = try t.fingerprint()
        let v = try store.verify()
        let rule = "no step of an order is dated before an earlier one"
        #expect(
            v.findings.map { "\($0.check) \($0.order ?? "-"): \($0.message)" }.sorted()
                == [
                    "invariants \(cancelled): its cancellation on 2025-06-01 is dated before the acceptance of an output on 2025-09-15; \(rule)",
                    "invariants \(cancelled): its cancellation on 2025-06-01 is dated before the acceptance of output 1 on 2025-09-15; \(rule)",
                    "invariants \(funded): its funding on 2025-03-15 is dated before the addition of an output on 2025-03-20; \(rule)",
                ].sorted())
        #expect(try t.fingerprint() == before)
        // The whole-order checker the restore and the import use says the same.
        let problems = try store.invariantViolations()
        #expect(
            problems.contains(
                "order \(cancelled): its cancellation on 2025-06-01 is dated before the acceptance of output 1 on 2025-09-15; \(rule)"
            ))
        #expect(
            problems.contains(
                "order \(funded): its funding on 2025-03-15 is dated before the addition of an output on 2025-03-20; \(rule)"
            ))
    }

    /// An export whose cancellation was moved before the order's acceptance by hand is not
    /// restored: the restore checks the same rule, names the line, and writes nothing.
    @Test func aRestoreOfADumpWhoseDatesContradictIsRefused() throws {
        let f = try Fixture()
        let code = try paid(f)
        try f.store.cancel(order: code, reason: "Doanh nghiệp giải thể", on: try day("2025-10-05"))
        let text = String(decoding: try f.store.exportBytes(.jsonl), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex { $0.contains(#""code":"\#(code)""#) })
        lines[at] = lines[at].replacingOccurrences(of: "2025-10-05", with: "2025-06-01")
        let files = try TempFiles()
        defer { files.remove() }
        let path = try files.write("sửa.jsonl", bytes: Array(lines.joined(separator: "\n").utf8))
        let restored = try Store.inMemory()
        #expect(
            throws: STOrdersError.dumpInvalid(
                file: "sửa.jsonl", line: at + 1,
                reason:
                    "order \(code): its cancellation on 2025-06-01 is dated before the acceptance of output 1 on 2025-09-15; no step of an order is dated before an earlier one"
            )
        ) {
            try restored.restore(file: path)
        }
        #expect(try restored.count("orders") == 0)
    }
}
