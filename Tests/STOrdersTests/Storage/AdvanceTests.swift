import GRDB
import Testing

@testable import STOrders

/// Advances (tạm ứng) and their settlement (docs/advances.md): made after funding within the
/// database's advance limit and the state budget, settled first by later state payments,
/// recovered when not settled; an order with advances outstanding is neither cancelled nor
/// commercialized.
@Suite struct AdvanceTests {
    /// The fixture's funded order (state budget 1.2 billion, enterprise 0.9 billion; outputs 1.2
    /// and 0.8 billion) under an advance limit of 30 % (360 million).
    static func fundedUnderLimit(_ f: Fixture, limit: Int64 = 3000) throws -> String {
        try f.store.setAdvanceLimit(basisPoints: limit)
        return try f.funded()
    }

    @Test func anAdvanceIsSettledFirstByLaterStatePayments() throws {
        let f = try Fixture()
        let code = try Self.fundedUnderLimit(f)
        let reference = "UNC 0415/KBNN-TN tạm ứng đợt 1"
        let a = try f.store.makeAdvance(
            order: code, amount: 300_000_000, reference: reference, on: try day("2025-04-15"))
        #expect(
            try a
                == Advance(
                    orderCode: code, number: 1, kind: .advance, amount: 300_000_000, madeOn: day("2025-04-15"),
                    reference: reference, limitShare: 3000))
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        // A state payment settles what is outstanding first; another source settles nothing.
        let p1 = try f.store.recordPayment(
            order: code, output: 1, amount: 200_000_000, source: .state, on: try day("2025-09-20"))
        #expect(p1.settled == 200_000_000)
        let p2 = try f.store.recordPayment(
            order: code, output: 1, amount: 100_000_000, source: .enterprise, on: try day("2025-09-21"))
        #expect(p2.settled == 0)
        let p3 = try f.store.recordPayment(
            order: code, output: 1, amount: 500_000_000, source: .state, on: try day("2025-09-22"))
        #expect(p3.settled == 100_000_000)
        let d = try f.store.orderDetail(code: code)
        #expect(d.advances == [a])
        #expect(d.advanceBalance == AdvanceBalance(advanced: 300_000_000, settled: 300_000_000, recovered: 0))
        #expect(d.advanceBalance.outstanding == 0)
        #expect(d.payments.map(\.settled) == [200_000_000, 0, 100_000_000])
        #expect(
            d.events.first { $0.action == .advanced }?.details
                == "advance 1: 300.000.000 đồng of the state budget advanced; reference \(reference)")
        #expect(
            d.events.last?.details
                == "payment 3: 500.000.000 đồng from state against output 1; settles 100.000.000 đồng of advances")
        #expect(d.events.filter { $0.action == .advanced }.allSatisfy { $0.actor == "kiểm thử" })
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func anAdvanceIsRefusedOutsideItsRulesAndTheRefusalChangesNothing() throws {
        let f = try Fixture()
        let ordered = try f.ordered()
        let code = try f.funded()
        let on = try day("2025-04-15")
        // No limit set: no advance.
        try f.expectRefusal(.advanceLimitUnset(order: code)) {
            try f.store.makeAdvance(order: code, amount: 1, reference: "UNC 1", on: on)
        }
        try f.store.setAdvanceLimit(basisPoints: 3000)
        try f.expectRefusal(
            .transitionRefused(
                code: ordered, from: .ordered, action: "make an advance",
                needs: "funded (money is advanced before the outputs are delivered)")
        ) { try f.store.makeAdvance(order: ordered, amount: 1, reference: "UNC 1", on: on) }
        try f.expectRefusal(
            .dateBefore(
                what: "advance", date: try day("2025-04-01"), earlier: "the order's funding",
                earliest: try day("2025-04-02"))
        ) { try f.store.makeAdvance(order: code, amount: 1, reference: "UNC 1", on: try day("2025-04-01")) }
        try f.expectRefusal(
            .advanceExceedsLimit(order: code, amount: 360_000_001, room: 360_000_000, limit: "30%", cap: 360_000_000)
        ) { try f.store.makeAdvance(order: code, amount: 360_000_001, reference: "UNC 1", on: on) }
        try f.expectRefusal({ $0.code == "invalid_text" }) {
            try f.store.makeAdvance(order: code, amount: 1, reference: "  ", on: on)
        }
        try f.expectRefusal({ $0.code == "invalid_amount" }) {
            try f.store.makeAdvance(order: code, amount: 0, reference: "UNC 1", on: on)
        }
        try f.store.makeAdvance(order: code, amount: 300_000_000, reference: "UNC 1", on: on)
        // What was advanced and not recovered counts against the limit.
        try f.expectRefusal(
            .advanceExceedsLimit(order: code, amount: 60_000_001, room: 60_000_000, limit: "30%", cap: 360_000_000)
        ) { try f.store.makeAdvance(order: code, amount: 60_000_001, reference: "UNC 2", on: on) }
        // Within the limit but beyond what remains of the state budget.
        try f.store.setAdvanceLimit(basisPoints: 10_000)
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        try f.store.recordPayment(
            order: code, output: 1, amount: 1_000_000_000, source: .state, on: try day("2025-09-16"))
        // Paid 1.0 billion of which 300 million settled the advance: 200 million of the budget remain.
        try f.expectRefusal(.advanceExceedsBudget(order: code, amount: 200_000_001, remaining: 200_000_000)) {
            try f.store.makeAdvance(order: code, amount: 200_000_001, reference: "UNC 3", on: try day("2025-09-16"))
        }
        try f.store.makeAdvance(order: code, amount: 200_000_000, reference: "UNC 3", on: try day("2025-09-16"))
        #expect(try f.store.advances(order: code).balance.outstanding == 200_000_000)
        // The state budget is now all out: a state payment of the rest of output 1 still fits, as it
        // settles the advance rather than sending more money.
        try f.expectRefusal(
            .paymentExceedsOutput(order: code, number: 1, amount: 200_000_001, remaining: 200_000_000, reserved: 0)
        ) {
            try f.store.recordPayment(
                order: code, output: 1, amount: 200_000_001, source: .state, on: try day("2025-09-17"))
        }
        let last = try f.store.recordPayment(
            order: code, output: 1, amount: 200_000_000, source: .state, on: try day("2025-09-17"))
        #expect(last.settled == 200_000_000)
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func anOutstandingAdvanceIsRecoveredBeforeTheOrderIsCancelled() throws {
        let f = try Fixture()
        let code = try Self.fundedUnderLimit(f)
        try f.store.makeAdvance(order: code, amount: 300_000_000, reference: "UNC 1", on: try day("2025-04-15"))
        try f.expectRefusal(.advanceOutstanding(order: code, step: "cancel", outstanding: 300_000_000)) {
            try f.store.cancel(order: code, reason: "Doanh nghiệp rút đề xuất", on: try day("2025-05-01"))
        }
        try f.expectRefusal(.recoveryExceedsOutstanding(order: code, amount: 300_000_001, outstanding: 300_000_000)) {
            try f.store.recoverAdvance(
                order: code, amount: 300_000_001, reason: "Hoàn trả", on: try day("2025-05-01"))
        }
        try f.expectRefusal(
            .dateBefore(
                what: "recovery", date: try day("2025-04-14"), earlier: "advance 1", earliest: try day("2025-04-15"))
        ) { try f.store.recoverAdvance(order: code, reason: "Hoàn trả", on: try day("2025-04-14")) }
        let reason = "Doanh nghiệp hoàn trả tạm ứng do dừng thực hiện"
        let part = try f.store.recoverAdvance(
            order: code, amount: 100_000_000, reason: reason, reference: "GNT 0501/KBNN", on: try day("2025-05-01"))
        #expect(part.kind == .recovery && part.number == 2 && part.reason == reason && part.limitShare == nil)
        // A recovered advance frees its room under the limit: 360 − (300 − 100) = 160 million.
        try f.expectRefusal(
            .advanceExceedsLimit(order: code, amount: 160_000_001, room: 160_000_000, limit: "30%", cap: 360_000_000)
        ) { try f.store.makeAdvance(order: code, amount: 160_000_001, reference: "UNC 2", on: try day("2025-05-01")) }
        let rest = try f.store.recoverAdvance(order: code, reason: reason, on: try day("2025-05-02"))
        #expect(rest.amount == 200_000_000)
        try f.expectRefusal(.recoveryExceedsOutstanding(order: code, amount: 0, outstanding: 0)) {
            try f.store.recoverAdvance(order: code, reason: reason, on: try day("2025-05-02"))
        }
        try f.store.cancel(order: code, reason: "Doanh nghiệp rút đề xuất", on: try day("2025-05-03"))
        let balance = try f.store.advances(order: code).balance
        #expect(balance == AdvanceBalance(advanced: 300_000_000, settled: 0, recovered: 300_000_000))
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func aDeliveredOrderIsCommercializedOnlyOnceItsAdvancesAreSettled() throws {
        let f = try Fixture()
        let code = try Self.fundedUnderLimit(f)
        try f.store.makeAdvance(order: code, amount: 300_000_000, reference: "UNC 1", on: try day("2025-04-15"))
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        try f.store.acceptOutput(order: code, number: 2, on: try day("2025-11-20"))
        try f.expectRefusal(.advanceOutstanding(order: code, step: "commercialize", outstanding: 300_000_000)) {
            try f.store.commercialize(order: code, channel: .sale, revenue: 1, on: try day("2026-01-10"))
        }
        // Inbox: the order waits for its advance to be settled, since the advance.
        let item = try f.store.inbox(InboxFilter(asOf: try day("2026-01-10"))).first { $0.kind == .advance }
        #expect(try item?.since == day("2025-04-15") && item?.orderCode == code && item?.number == 1)
        #expect(item?.subject == "advances to settle: 300.000.000 đồng outstanding")
        try f.store.recordPayment(
            order: code, output: 2, amount: 800_000_000, source: .state, on: try day("2026-01-10"))
        #expect(try f.store.inbox(InboxFilter(asOf: try day("2026-01-10"))).allSatisfy { $0.kind != .advance })
        try f.store.commercialize(order: code, channel: .sale, revenue: 1, on: try day("2026-01-10"))
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func aReversalUndoesTheSettlementAfterTheCashItsPaymentSent() throws {
        let f = try Fixture()
        let code = try Self.fundedUnderLimit(f)
        try f.store.makeAdvance(order: code, amount: 300_000_000, reference: "UNC 1", on: try day("2025-04-15"))
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        // 400 million: 300 settle the advance, 100 are sent.
        let p = try f.store.recordPayment(order: code, output: 1, amount: 400_000_000, on: try day("2025-09-20"))
        #expect(p.settled == 300_000_000)
        // Reversing 150 million takes back the 100 sent, then 50 of the settlement.
        let r = try f.store.reversePayment(
            order: code, payment: 1, amount: 150_000_000, reason: "Chi vượt khối lượng", on: try day("2025-09-21"))
        #expect(r.settled == -50_000_000)
        #expect(try f.store.advances(order: code).balance.outstanding == 50_000_000)
        #expect(
            try f.store.orderDetail(code: code).events.last?.details
                == "payment 2 reverses 150.000.000 đồng of payment 1 (output 1, state): Chi vượt khối lượng; its settlement of 50.000.000 đồng of advances is undone"
        )
        // The next state payment settles it again.
        #expect(
            try f.store.recordPayment(order: code, output: 1, amount: 60_000_000, on: try day("2025-09-22")).settled
                == 50_000_000)
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func theIndicatorsShowTheStateMoneyAdvancedApartFromThePayments() throws {
        let f = try Fixture()
        let code = try Self.fundedUnderLimit(f)
        // No advance in the database: the report carries none and reads nothing for them.
        let none = try f.store.indicators(IndicatorRequest(years: 2025...2025, asOf: try day("2026-06-30")))
        #expect(none.years.allSatisfy { $0.advances == nil })
        try f.store.makeAdvance(order: code, amount: 300_000_000, reference: "UNC 1", on: try day("2025-04-15"))
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        try f.store.recordPayment(order: code, output: 1, amount: 200_000_000, on: try day("2025-12-20"))
        try f.store.recordPayment(order: code, output: 1, amount: 400_000_000, on: try day("2026-01-10"))
        let report = try f.store.indicators(
            IndicatorRequest(
                province: try Province.named("Thái Nguyên"), years: 2025...2026, asOf: try day("2026-06-30")))
        #expect(
            report.years.map(\.advances) == [
                AdvanceFigures(advanced: 300_000_000, settled: 200_000_000, recovered: 0, outstanding: 100_000_000),
                AdvanceFigures(advanced: 0, settled: 100_000_000, recovered: 0, outstanding: 0),
            ])
        // Another province's orders hold none.
        let hanoi = try f.store.indicators(
            IndicatorRequest(province: try Province.named("Hà Nội"), years: 2025...2025, asOf: try day("2026-06-30")))
        #expect(hanoi.years.first?.advances == AdvanceFigures(advanced: 0, settled: 0, recovered: 0, outstanding: 0))
        // In JSON each year carries its block.
        let json = Shape.indicators(report).serialized()
        #expect(json.contains("\"advances\": {\n        \"advanced\": 300000000,\n        \"settled\": 200000000"))
        #expect(!Shape.indicators(none).serialized().contains("\"advances\""))
    }

    @Test func theAdvanceLimitIsKeptAsHistoryAndParsedAsAPercentage() throws {
        let f = try Fixture()
        #expect(try f.store.advanceLimit() == nil)
        try f.store.setAdvanceLimit(basisPoints: 3000)
        try f.store.setAdvanceLimit(basisPoints: nil)
        try f.store.setAdvanceLimit(basisPoints: 1250)
        #expect(try f.store.advanceLimitHistory().map(\.basisPoints) == [3000, nil, 1250])
        #expect(try f.store.advanceLimit()?.shown == "12.5%")
        #expect(try AdvanceLimitSetting.parse("30%") == 3000)
        #expect(try AdvanceLimitSetting.parse(" 12.5% ") == 1250)
        #expect(try AdvanceLimitSetting.parse("0.05%") == 5)
        #expect(try AdvanceLimitSetting.parse("100%") == 10_000)
        // The targets' parser and format: a space before % as a target takes it, and the same text back.
        #expect(try AdvanceLimitSetting.parse("87.25 %") == 8725)
        #expect(try TargetValue.parse("87.25 %", for: .ordersDecidedShare) == .share(basisPoints: 8725))
        #expect(
            [3000, 1250, 5, 0, 10_000].map { Ratio.percentText(basisPoints: $0) } == [
                "30%", "12.5%", "0.05%", "0%", "100%",
            ])
        for bad in ["30", "101%", "-1%", "1.234%", "%", "ba mươi%", "1e2%"] {
            #expect(throws: STOrdersError.self) { try AdvanceLimitSetting.parse(bad) }
        }
        #expect(AdvanceRule.cap(stateBudget: Int64.max, basisPoints: 10_000) == Int64.max)
        #expect(AdvanceRule.cap(stateBudget: 1_200_000_001, basisPoints: 3333) == 399_960_000)
    }

    @Test func theTriggersRefuseRawSQLThatBreaksTheRules() throws {
        let f = try Fixture()
        let code = try Self.fundedUnderLimit(f)
        try f.store.makeAdvance(order: code, amount: 300_000_000, reference: "UNC 1", on: try day("2025-04-15"))
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        let id = try f.store.writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM orders WHERE code = ?", arguments: [code]) ?? 0
        }
        let output = try f.store.writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM outputs WHERE order_id = ? AND number = 1", arguments: [id])
                ?? 0
        }
        let refused = [
            "UPDATE advances SET amount = 1",
            "DELETE FROM advances",
            "UPDATE advance_limits SET share = 10000",
            "DELETE FROM advance_limits",
            // Beyond the limit, under a limit never set, beyond the budget, dated before the funding.
            "INSERT INTO advances (order_id, number, kind, amount, made_on, reference, limit_share) VALUES (\(id), 2, 'advance', 60000001, '2025-04-16', 'x', 3000)",
            "INSERT INTO advances (order_id, number, kind, amount, made_on, reference, limit_share) VALUES (\(id), 2, 'advance', 1, '2025-04-16', 'x', 9000)",
            "INSERT INTO advances (order_id, number, kind, amount, made_on, reference, limit_share) VALUES (\(id), 2, 'advance', 1, '2025-04-01', 'x', 3000)",
            "INSERT INTO advances (order_id, number, kind, amount, made_on, reason) VALUES (\(id), 2, 'recovery', 300000001, '2025-04-16', 'x')",
            "INSERT INTO advances (order_id, number, kind, amount, made_on, reason) VALUES (\(id), 2, 'recovery', 1, '2025-04-14', 'x')",
            "INSERT INTO advances (order_id, number, kind, amount, made_on) VALUES (\(id), 2, 'recovery', 1, '2025-04-16')",
            // A state payment that does not settle first, or settles too much; another source settling.
            "INSERT INTO payments (order_id, number, output_id, amount, source, paid_on) VALUES (\(id), 1, \(output), 100, 'state', '2025-09-16')",
            "INSERT INTO payments (order_id, number, output_id, amount, source, paid_on, settled) VALUES (\(id), 1, \(output), 100, 'state', '2025-09-16', 99)",
            "INSERT INTO payments (order_id, number, output_id, amount, source, paid_on, settled) VALUES (\(id), 1, \(output), 100, 'enterprise', '2025-09-16', 100)",
            "UPDATE orders SET state = 'cancelled', cancelled_on = '2025-10-01', cancel_reason = 'x' WHERE id = \(id)",
        ]
        for sql in refused {
            let before = try f.snapshot()
            #expect(throws: DatabaseError.self, "\(sql)") {
                try f.store.writer.write { db in try db.execute(sql: sql) }
            }
            #expect(try f.snapshot() == before)
        }
        // What the rules allow is allowed.
        try f.store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO payments (order_id, number, output_id, amount, source, paid_on, settled)
                    VALUES (\(id), 1, \(output), 100, 'state', '2025-09-16', 100)
                    """)
        }
    }

    @Test func exportAndRestoreCarryAdvancesAndSettlementsAndVerifyNamesAnEditedAdvance() throws {
        let f = try Fixture()
        let code = try Self.fundedUnderLimit(f)
        try f.store.makeAdvance(
            order: code, amount: 300_000_000, reference: "UNC 0415/KBNN – đợt một", on: try day("2025-04-15"))
        try f.store.setAdvanceLimit(basisPoints: 2000)
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        try f.store.recordPayment(order: code, output: 1, amount: 100_000_000, on: try day("2025-09-20"))
        try f.store.reversePayment(
            order: code, payment: 1, amount: 40_000_000, reason: "Chi nhầm", on: try day("2025-09-21"))
        try f.store.recoverAdvance(
            order: code, amount: 50_000_000, reason: "Hoàn trả một phần", on: try day("2025-09-22"))
        let first = try f.store.exportBytes(.jsonl)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("\"version\":\(Store.exportFormatVersion)"))
        #expect(text.contains("{\"type\":\"advance_limit\",\"id\":1,\"share\":3000"))
        #expect(text.contains("\"settled\":-40000000"))
        #expect(text.contains("\"advances\":[{\"number\":1,\"kind\":\"advance\",\"amount\":300000000"))

        for format in ExportFormat.allCases {
            let files = try TempFiles()
            defer { files.remove() }
            let bytes = try f.store.exportBytes(format)
            let restored = try Store.inMemory(actor: "khôi phục")
            try restored.restore(file: try files.write("dump.\(format)", bytes: bytes))
            #expect(try restored.exportBytes(format) == bytes)
            #expect(try restored.verify().findings.isEmpty)
            #expect(try restored.advanceLimitHistory().map(\.basisPoints) == [3000, 2000])
            #expect(try restored.orderDetail(code: code) == (try f.store.orderDetail(code: code)))
        }

        // An advance edited outside storders is named by verify.
        try f.store.writer.writeWithoutTransaction { db in
            try db.execute(
                sql: "DROP TRIGGER advances_never_changed; UPDATE advances SET amount = 200000000 WHERE number = 1")
        }
        let findings = try f.store.verify().findings.map(\.message)
        #expect(
            findings.contains {
                $0.hasPrefix(
                    "advance 1 was changed outside storders: amount is 200000000 now but 300000000 was recorded")
            }, "\(findings)")
    }
}
