import Foundation
import GRDB
import Testing

@testable import STOrders

/// Version 2 → 3, the rules' part: the dates rule's triggers are added, a trigger whose text
/// differs from schema.sql's is replaced, and no record is touched.
@Suite struct RulesUpgradeTests {
    static let newInVersion3 = [
        "orders_cancelled_after_every_step", "fundings_after_every_step",
        "payments_reversal_after_cancellation",
    ]

    /// The demo's file as version 2 wrote it: without the dates triggers, user_version 2, and
    /// one trigger with another text than today's schema.sql (as an earlier release might have).
    static func makeVersion2(_ t: TempStore) throws {
        try t.tamper(
            newInVersion3.map { "DROP TRIGGER \($0);" }.joined(separator: "\n") + """

                DROP TRIGGER payments_reversal_matches;
                CREATE TRIGGER payments_reversal_matches BEFORE INSERT ON payments
                WHEN NEW.reverses IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = NEW.reverses)
                BEGIN SELECT RAISE(ABORT, 'a reversal names a payment'); END;
                PRAGMA user_version = 2;
                """)
    }

    func triggers(_ t: TempStore) throws -> [String: String] {
        try t.raw().read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                )
                .map { ($0[0] as String, $0[1] as String) })
        }
    }

    @Test func aVersion2FileGetsTheDatesTriggersAndSchemaSQLsTextOnce() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let expected = try Store.expectedSchema()
        try Self.makeVersion2(t)
        let rows = try t.raw().read { db in try everyRow(db) }
        let old = try triggers(t)
        #expect(Self.newInVersion3.allSatisfy { old[$0] == nil })
        #expect(old["payments_reversal_matches"] != expected["trigger payments_reversal_matches"]?.sql)

        let store = try Store.open(path: t.path, actor: "nâng cấp")
        #expect(try t.raw().read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == Store.schemaVersion)
        let now = try triggers(t)
        for name in Self.newInVersion3 + ["payments_reversal_matches"] {
            #expect(now[name] == expected["trigger \(name)"]?.sql, "\(name)")
        }
        #expect(try t.raw().read { db in try everyRow(db) } == rows)  // no record rewritten
        let v = try store.verify()
        #expect(v.findings.isEmpty, "\(v.findings)")

        // The new triggers hold against raw SQL: a funding dated before the order's last step.
        let ordered = try store.registerOrder(
            enterprise: try TaxCode(parsing: "0100233488"), title: "Nền tảng số hóa hồ sơ",
            field: .digital, on: try day("2026-03-10"))
        try store.addOutput(
            order: ordered.code, NewOutput(title: "Phần mềm", type: .product, novelty: .new, value: 10),
            on: try day("2026-03-12"))
        do {
            try t.raw().write { db in
                try db.execute(
                    sql:
                        "INSERT INTO fundings (order_id, state_budget, funded_on) SELECT id, 10, '2026-03-11' FROM orders WHERE code = ?",
                    arguments: [ordered.code])
            }
            Issue.record("a funding dated before the order's output was written")
        } catch let error as DatabaseError {
            #expect(
                error.message
                    == "a funding is dated on or after every earlier step of its order (its registration and every output's addition)"
            )
        }
    }
}
