import GRDB
import Testing

@testable import STOrders

/// Deadlines (docs/deadlines.md): due dates, the contract's period, amendments, `due` and the inbox.
@Suite struct DeadlinesTests {
    /// An `ordered` order of the fixture's enterprise with two outputs due 2025-12-31 and 2026-03-31
    /// (the second given `due2`, nil for none).
    static func orderWithDues(_ f: Fixture, due2: Day?? = .some(nil)) throws -> String {
        let order = try f.store.registerOrder(
            enterprise: f.enterprise, title: "Ứng dụng thị giác máy kiểm tra lỗi ống kính", field: .science,
            on: try day("2025-03-10"))
        try f.store.addOutput(
            order: order.code,
            NewOutput(
                title: "Hệ thống thị giác máy phát hiện lỗi", type: .product, novelty: .improved,
                value: 300_000_000, dueOn: try day("2025-12-31")), on: try day("2025-03-10"))
        let second: Day? = try due2 ?? day("2026-03-31")
        try f.store.addOutput(
            order: order.code,
            NewOutput(
                title: "Quy trình hiệu chuẩn ống kính", type: .model, novelty: .new, value: 200_000_000,
                dueOn: second), on: try day("2025-03-10"))
        return order.code
    }

    static func period(_ f: Fixture, _ code: String, ends: String = "2026-06-30") throws {
        try f.store.fund(
            order: code,
            try Funding(
                stateBudget: 300_000_000, enterpriseFunds: 200_000_000, fundedOn: try day("2025-04-01"),
                startsOn: try day("2025-04-01"), endsOn: try day(ends)))
    }

    // MARK: Funding

    @Test func fundingSetsTheContractPeriodAndKeepsTheDueDates() throws {
        let f = try Fixture()
        let code = try Self.orderWithDues(f, due2: try day("2026-03-31"))
        try Self.period(f, code)
        let d = try f.store.orderDetail(code: code)
        #expect(d.funding?.startsOn == (try day("2025-04-01")))
        #expect(d.funding?.endsOn == (try day("2026-06-30")))
        #expect(d.outputs.map(\.dueOn) == [try day("2025-12-31"), try day("2026-03-31")])
        #expect(
            d.events.first { $0.action == .funded }?.details.hasSuffix("; contract 2025-04-01 to 2026-06-30") == true)
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func fundingRefusesOutputsWithoutADueDateNamingThem() throws {
        let f = try Fixture()
        let code = try Self.orderWithDues(f, due2: .some(nil))
        try f.expectRefusal(.outputsWithoutDueDate(order: code, numbers: [2])) { try Self.period(f, code) }
    }

    @Test func fundingOutputsWithDueDatesNeedsAPeriod() throws {
        let f = try Fixture()
        let code = try Self.orderWithDues(f, due2: try day("2026-03-31"))
        try f.expectRefusal(.contractPeriodMissing(order: code)) {
            try f.store.fund(
                order: code,
                try Funding(stateBudget: 500_000_000, fundedOn: try day("2025-04-01")))
        }
    }

    @Test func fundingRefusesADueDateOutsideThePeriod() throws {
        let f = try Fixture()
        let code = try Self.orderWithDues(f, due2: try day("2026-03-31"))
        try f.expectRefusal(
            .dueOutsidePeriod(
                order: code, number: 2, due: try day("2026-03-31"), starts: try day("2025-04-01"),
                ends: try day("2026-01-31"))
        ) { try Self.period(f, code, ends: "2026-01-31") }
    }

    @Test func aPeriodEndsOnOrAfterItsStart() throws {
        #expect(throws: STOrdersError.contractPeriodInvalid(starts: try day("2025-04-01"), ends: try day("2025-03-31")))
        {
            try Funding(
                stateBudget: 1, fundedOn: try day("2025-04-01"), startsOn: try day("2025-04-01"),
                endsOn: try day("2025-03-31"))
        }
    }

    @Test func anOutputIsNotDueBeforeItIsAdded() throws {
        let f = try Fixture()
        let code = try f.ordered()
        try f.expectRefusal(
            .dateBefore(
                what: "due", date: try day("2025-03-01"), earlier: "the output's addition",
                earliest: try day("2025-03-10"))
        ) {
            try f.store.addOutput(
                order: code,
                NewOutput(title: "Báo cáo", type: .service, novelty: .new, value: 1, dueOn: try day("2025-03-01")),
                on: try day("2025-03-10"))
        }
    }

    // MARK: Amendments

    @Test func anOfficerExtendsADueDateAndTheOriginalStaysVisible() throws {
        let f = try Fixture()
        let code = try Self.orderWithDues(f, due2: try day("2026-03-31"))
        try Self.period(f, code)
        let a = try f.store.amend(
            order: code, .output(1), to: try day("2026-02-28"), reason: "Chậm giao thiết bị nhập khẩu",
            on: try day("2025-11-20"))
        #expect(try a.state == .approved && a.previousOn == (day("2025-12-31")) && a.number == 1)
        let d = try f.store.orderDetail(code: code)
        #expect(d.outputs[0].dueOn == (try day("2025-12-31")))
        #expect(d.outputs[0].dueInForce == (try day("2026-02-28")))
        #expect(d.amendments == [a])
        #expect(d.events.last?.action == .amended)
        #expect(
            d.events.last?.details
                == "amendment 1: extended output 1 from 2025-12-31 to 2026-02-28; Chậm giao thiết bị nhập khẩu")
        // The contract's end too, and then an output up to the new end.
        try f.store.amend(
            order: code, .contractEnd, to: try day("2026-12-31"), reason: "Điều chỉnh tiến độ",
            on: try day("2025-11-21"))
        try f.store.amend(
            order: code, .output(2), to: try day("2026-10-31"), reason: "Theo tiến độ mới", on: try day("2025-11-21"))
        let after = try f.store.orderDetail(code: code)
        #expect(try after.funding?.endInForce == (day("2026-12-31")) && after.funding?.endsOn == (day("2026-06-30")))
        #expect(after.outputs[1].dueInForce == (try day("2026-10-31")))
        #expect(try f.store.verify().findings.isEmpty)
    }

    @Test func amendmentsRefusedChangeNothing() throws {
        let f = try Fixture()
        let code = try Self.orderWithDues(f, due2: try day("2026-03-31"))
        let on = try day("2025-11-20")
        try f.expectRefusal(
            .transitionRefused(
                code: code, from: .ordered, action: "amend a date",
                needs: "funded (dates are amended while the outputs are due)")
        ) {
            try f.store.amend(order: code, .contractEnd, to: try day("2027-01-01"), reason: "Sớm", on: on)
        }
        try Self.period(f, code)
        try f.expectRefusal(
            .amendmentNotLater(
                order: code, what: "output 1", proposed: try day("2025-12-31"), inForce: try day("2025-12-31"))
        ) { try f.store.amend(order: code, .output(1), to: try day("2025-12-31"), reason: "Không đổi", on: on) }
        try f.expectRefusal(
            .dueOutsidePeriod(
                order: code, number: 1, due: try day("2026-07-01"), starts: try day("2025-04-01"),
                ends: try day("2026-06-30"))
        ) { try f.store.amend(order: code, .output(1), to: try day("2026-07-01"), reason: "Quá hạn hợp đồng", on: on) }
        try f.expectRefusal(.unknownOutput(order: code, number: 3, count: 2)) {
            try f.store.amend(order: code, .output(3), to: try day("2026-01-31"), reason: "Không có", on: on)
        }
        try f.expectRefusal(
            .dateBefore(
                what: "amendment", date: try day("2025-03-31"), earlier: "the order's funding",
                earliest: try day("2025-04-01"))
        ) {
            try f.store.amend(
                order: code, .contractEnd, to: try day("2027-01-01"), reason: "Sớm", on: try day("2025-03-31"))
        }
        try f.store.acceptOutput(order: code, number: 1, on: try day("2025-12-01"))
        try f.expectRefusal(.outputAlreadyAccepted(order: code, number: 1, on: try day("2025-12-01"))) {
            try f.store.requestAmendment(order: code, .output(1), to: try day("2026-01-31"), reason: "Muộn", on: on)
        }
        try f.expectRefusal(.invalidText(what: "reason", reason: "it is empty; expected some text")) {
            try f.store.amend(order: code, .contractEnd, to: try day("2027-01-01"), reason: "  ", on: on)
        }
    }

    @Test func anOrderFundedWithoutDatesHasNothingToExtend() throws {
        let f = try Fixture()
        let code = try f.funded()  // no due dates, no period: the shape of a version-5 order
        try f.expectRefusal(.amendmentNoDate(order: code, what: "the contract's end")) {
            try f.store.amend(
                order: code, .contractEnd, to: try day("2027-01-01"), reason: "Gia hạn", on: try day("2025-05-01"))
        }
        try f.expectRefusal(.amendmentNoDate(order: code, what: "output 1")) {
            try f.store.requestAmendment(
                order: code, .output(1), to: try day("2027-01-01"), reason: "Gia hạn", on: try day("2025-05-01"))
        }
        #expect(try f.store.orderDetail(code: code).outputs.allSatisfy { $0.dueOn == nil })
    }

    @Test func aRequestIsDecidedOnceAndOnlyOneIsOpenPerDate() throws {
        let f = try Fixture()
        let code = try Self.orderWithDues(f, due2: try day("2026-03-31"))
        try Self.period(f, code)
        let on = try day("2025-11-20")
        let r = try f.store.requestAmendment(
            order: code, .output(2), to: try day("2026-05-31"), reason: "Thời tiết bất lợi kéo dài", on: on)
        #expect(r.state == .requested && r.number == 1)
        #expect(try f.store.orderDetail(code: code).outputs[1].dueInForce == (try day("2026-03-31")))
        try f.expectRefusal(.amendmentRequestOpen(order: code, what: "output 2", number: 1)) {
            try f.store.requestAmendment(order: code, .output(2), to: try day("2026-06-30"), reason: "Lần hai", on: on)
        }
        try f.expectRefusal(.amendmentRequestOpen(order: code, what: "output 2", number: 1)) {
            try f.store.amend(order: code, .output(2), to: try day("2026-06-30"), reason: "Cán bộ tự gia hạn", on: on)
        }
        // Another date is not held up by it.
        try f.store.requestAmendment(order: code, .contractEnd, to: try day("2026-09-30"), reason: "Hợp đồng", on: on)
        let approved = try f.store.decideAmendment(
            order: code, number: 1, .approve, reason: "Đồng ý gia hạn theo đề nghị", on: try day("2025-11-25"))
        #expect(try approved.state == .approved && approved.decidedOn == (day("2025-11-25")))
        #expect(try f.store.orderDetail(code: code).outputs[1].dueInForce == (try day("2026-05-31")))
        try f.expectRefusal(
            .amendmentAlreadyDecided(order: code, number: 1, state: .approved, on: try day("2025-11-25"))
        ) { try f.store.decideAmendment(order: code, number: 1, .refuse, reason: "Đổi ý", on: try day("2025-11-26")) }
        try f.expectRefusal(.unknownAmendment(order: code, number: 9, count: 2)) {
            try f.store.decideAmendment(order: code, number: 9, .approve, reason: "Không có", on: try day("2025-11-26"))
        }
        try f.expectRefusal(
            .dateBefore(
                what: "decision", date: try day("2025-11-19"), earlier: "amendment 2", earliest: try day("2025-11-20"))
        ) { try f.store.decideAmendment(order: code, number: 2, .refuse, reason: "Sớm", on: try day("2025-11-19")) }
        let refused = try f.store.decideAmendment(
            order: code, number: 2, .refuse, reason: "Không đủ căn cứ", on: try day("2025-11-26"))
        #expect(refused.state == .refused)
        let d = try f.store.orderDetail(code: code)
        #expect(d.funding?.endInForce == (try day("2026-06-30")))
        #expect(
            d.events.suffix(4).map(\.action) == [
                .amendmentRequested, .amendmentRequested, .amendmentApproved, .amendmentRefused,
            ])
        #expect(try f.store.verify().findings.isEmpty)
    }

    // MARK: Storage guards the same rules against raw SQL

    @Test(arguments: [
        ("UPDATE outputs SET due_on = '2026-01-15' WHERE number = 1", "due date is fixed once its order is funded"),
        ("UPDATE outputs SET extended_to = '2026-01-15' WHERE number = 1", "extended only by an approved amendment"),
        ("UPDATE fundings SET ends_on = '2026-12-31'", "never changes once recorded"),
        ("UPDATE fundings SET ends_extended_to = '2026-12-31'", "extended only by an approved amendment"),
        ("DELETE FROM amendments", "never deleted"),
        ("UPDATE amendments SET proposed_on = '2026-06-01'", "decided once"),
        ("UPDATE amendments SET state = 'requested', decided_on = NULL", "decided once"),
        (
            """
            INSERT INTO amendments (order_id, number, output_id, previous_on, proposed_on, reason, requested_by,
                                    requested_on, state, decided_on)
            SELECT order_id, 2, id, '2025-12-31', '2026-08-01', 'Vượt hạn', 'officer', '2025-11-20', 'approved', '2025-11-20'
            FROM outputs WHERE number = 1
            """, "no later than the contract's end"
        ),
        (
            """
            INSERT INTO amendments (order_id, number, output_id, previous_on, proposed_on, reason, requested_by,
                                    requested_on, state, decided_on)
            SELECT order_id, 2, id, '2025-11-30', '2026-01-31', 'Sai ngày', 'officer', '2025-11-20', 'approved', '2025-11-20'
            FROM outputs WHERE number = 1
            """, "extends the date in force"
        ),
    ])
    func rawSQLCannotMoveADateOutsideAnAmendment(sql: String, message: String) throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let f = try Fixture(store: t.store)
        let code = try Self.orderWithDues(f, due2: try day("2026-03-31"))
        try Self.period(f, code)
        try f.store.amend(
            order: code, .output(2), to: try day("2026-04-30"), reason: "Gia hạn", on: try day("2025-11-20"))
        let before = try t.fingerprint()
        #expect {
            try t.tamper(sql)
        } throws: { error in
            (error as? DatabaseError)?.message?.contains(message) == true
        }
        #expect(try t.fingerprint() == before)
    }

    @Test func rawSQLFundsOnlyInOneOfTheTwoShapes() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let f = try Fixture(store: t.store)
        let code = try Self.orderWithDues(f, due2: try day("2026-03-31"))
        let before = try t.fingerprint()
        // Both steps in one transaction, as storders takes them: the refusal rolls back the funding too.
        let queue = try t.raw()
        #expect {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO fundings (order_id, state_budget, funded_on)
                        SELECT id, 500000000, '2025-04-01' FROM orders WHERE code = '\(code)';
                        UPDATE orders SET state = 'funded', funded_on = '2025-04-01' WHERE code = '\(code)';
                        """)
            }
        } throws: { error in
            (error as? DatabaseError)?.message?.contains("with a contract period and every output due within it")
                == true
        }
        try queue.close()
        #expect(try t.fingerprint() == before)
    }

    // MARK: due and the inbox

    /// Two provinces, one late output with a diacritic-laden title, one due soon, one contract past
    /// its end, an order waiting for funding and an open request.
    static func scene() throws -> Fixture {
        let f = try Fixture()
        let late = try orderWithDues(f, due2: try day("2026-03-31"))
        try period(f, late)
        try f.store.acceptOutput(order: late, number: 1, on: try day("2025-12-20"))
        try f.store.requestAmendment(
            order: late, .contractEnd, to: try day("2026-09-30"), reason: "Đề nghị gia hạn hợp đồng",
            on: try day("2026-04-10"))
        // Hà Nội: funded, its output due 2026-07-10; the contract ends 2026-08-31.
        let hanoi = try f.store.registerOrder(
            enterprise: f.startup, title: "Nền tảng số truy xuất nguồn gốc", field: .digital, on: try day("2026-01-05"))
        try f.store.addOutput(
            order: hanoi.code,
            NewOutput(
                title: "Dịch vụ truy xuất trên đám mây", type: .service, novelty: .new, value: 100_000_000,
                dueOn: try day("2026-07-10")), on: try day("2026-01-05"))
        try f.store.fund(
            order: hanoi.code,
            try Funding(
                stateBudget: 100_000_000, fundedOn: try day("2026-02-01"), startsOn: try day("2026-02-01"),
                endsOn: try day("2026-08-31")))
        _ = try f.ordered()  // registered 2025-03-10, waiting for funding
        return f
    }

    @Test func dueListsLateAndSoonOldestFirst() throws {
        let f = try Self.scene()
        var lines: [DueLine] = []
        try f.store.forEachDue(DueFilter(asOf: try day("2026-07-05"), withinDays: 10)) { lines.append($0) }
        #expect(
            lines.map(\.title) == [
                "Quy trình hiệu chuẩn ống kính", "Ứng dụng thị giác máy kiểm tra lỗi ống kính",
                "Dịch vụ truy xuất trên đám mây",
            ])
        #expect(lines.map(\.daysLate) == [96, 5, -5])
        #expect(lines.map(\.kind) == [.output, .contract, .output])
        #expect(lines[0].province.name == "Thái Nguyên" && lines[0].enterpriseName == "Công ty TNHH Quang học Yên Bình")
        var overdue: [DueLine] = []
        try f.store.forEachDue(DueFilter(asOf: try day("2026-07-05"), withinDays: nil)) { overdue.append($0) }
        #expect(overdue.count == 2 && overdue.allSatisfy(\.isLate))
        var hanoi: [DueLine] = []
        try f.store.forEachDue(
            DueFilter(asOf: try day("2026-07-05"), withinDays: 10, province: try Province.named("Ha Noi"))
        ) { hanoi.append($0) }
        #expect(hanoi.map(\.orderCode).count == 1 && hanoi[0].province.name == "Hà Nội")
        var startup: [DueLine] = []
        try f.store.forEachDue(DueFilter(asOf: try day("2026-07-05"), withinDays: 10, enterprise: f.enterprise)) {
            startup.append($0)
        }
        #expect(startup.count == 2)
    }

    @Test func theInboxShowsWhatWaitsOldestFirst() throws {
        let f = try Self.scene()
        let items = try f.store.inbox(InboxFilter(asOf: try day("2026-07-05")))
        #expect(items.map(\.kind) == [.funding, .acceptance, .amendment, .acceptance])
        #expect(items.map(\.daysWaited) == [482, 96, 86, -5])
        #expect(
            items[2].subject
                == "amendment 1: the contract's end from 2026-06-30 to 2026-09-30; Đề nghị gia hạn hợp đồng")
        #expect(items[1].subject == "output 2 due on 2026-03-31: Quy trình hiệu chuẩn ống kính")
        let hanoi = try f.store.inbox(InboxFilter(asOf: try day("2026-07-05"), province: try Province.named("Hà Nội")))
        #expect(hanoi.map(\.kind) == [.acceptance])
        let limited = try f.store.inbox(InboxFilter(asOf: try day("2026-07-05"), enterprise: f.enterprise, limit: 2))
        #expect(limited.map(\.kind) == [.funding, .acceptance])
        // Deciding the request takes it out.
        try f.store.decideAmendment(
            order: items[2].orderCode, number: 1, .refuse, reason: "Không đủ căn cứ", on: try day("2026-07-05"))
        #expect(
            try f.store.inbox(InboxFilter(asOf: try day("2026-07-05"))).map(\.kind) == [
                .funding, .acceptance, .acceptance,
            ])
    }

    @Test func theInboxBranchesReadThroughTheirIndexes() throws {
        let f = try Self.scene()
        for filter in [
            InboxFilter(asOf: try day("2026-07-05")),
            InboxFilter(asOf: try day("2026-07-05"), province: try Province.named("Thái Nguyên")),
        ] {
            for (kind, plan) in try f.store.inboxPlans(filter) {
                let text = plan.joined(separator: " | ")
                #expect(!text.contains("USE TEMP B-TREE FOR ORDER BY"), "\(kind): \(text)")
                switch kind {
                case .funding: #expect(text.contains("orders_waiting"), "\(text)")
                case .amendment: #expect(text.contains("amendments_open_by_date"), "\(text)")
                case .paymentRequest: #expect(text.contains("payment_requests_open_by_date"), "\(text)")
                case .acceptance: #expect(text.contains("outputs_pending_by_due"), "\(text)")
                case .advance: #expect(text.contains("advance_balances_open"), "\(text)")
                }
            }
        }
    }
}
