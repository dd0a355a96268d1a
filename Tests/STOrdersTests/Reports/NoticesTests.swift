import GRDB
import Testing

@testable import STOrders

/// Notices (docs/deadlines.md, "Notices"): the steps taken and the deadlines near or past, for
/// an account's scope, over a window of days, with each bound of the window tested.
@Suite struct NoticesTests {
    /// Thái Nguyên's enterprise: an order funded 2025-04-01 whose output 1 is accepted on
    /// 2025-12-20, paid on 2025-12-28, and whose output 2 is extended on 2026-01-10; an open
    /// request decided on 2026-02-01. Hà Nội's start-up: an order funded 2025-05-01 with outputs
    /// due 2026-02-07, 2025-12-19 and 2025-12-18, none accepted, its contract extended on 2026-01-31.
    static func world() throws -> (Fixture, a: String, b: String) {
        let f = try Fixture()
        let a = try DeadlinesTests.orderWithDues(f, due2: try day("2026-03-31"))
        try DeadlinesTests.period(f, a)
        try f.store.acceptOutput(order: a, number: 1, on: try day("2025-12-20"))
        try f.store.recordPayment(order: a, output: 1, amount: 300_000_000, on: try day("2025-12-28"))
        try f.store.amend(
            order: a, .output(2), to: try day("2026-04-30"), reason: "Bổ sung thử nghiệm", on: try day("2026-01-10"))
        try f.store.requestAmendment(
            order: a, .contractEnd, to: try day("2026-09-30"), reason: "Chậm nhập thiết bị", on: try day("2026-01-20"))
        try f.store.decideAmendment(
            order: a, number: 2, .approve, reason: "Đồng ý gia hạn", on: try day("2026-02-01"))
        let b = try f.store.registerOrder(
            enterprise: f.startup, title: "Nền tảng truy xuất nguồn gốc nông sản", field: .digital,
            on: try day("2025-04-10")
        ).code
        for (title, due) in [
            ("Ứng dụng di động", "2026-02-07"), ("Cổng dữ liệu", "2025-12-19"), ("Bộ mã QR", "2025-12-18"),
        ] {
            try f.store.addOutput(
                order: b,
                NewOutput(title: title, type: .product, novelty: .new, value: 100_000_000, dueOn: try day(due)),
                on: try day("2025-04-10"))
        }
        try f.store.fund(
            order: b,
            try Funding(
                stateBudget: 300_000_000, fundedOn: try day("2025-05-01"), startsOn: try day("2025-05-01"),
                endsOn: try day("2026-05-01")))
        try f.store.amend(
            order: b, .contractEnd, to: try day("2026-08-01"), reason: "Mở rộng thí điểm", on: try day("2026-01-31"))
        return (f, a, b)
    }

    static func lines(_ notices: [Notice]) -> [String] {
        notices.map { "\($0.day) \($0.kind.rawValue) \($0.orderCode) \($0.subject)" }
    }

    @Test func theWindowTellsTheStepsAndDeadlinesOfItsDaysNewestFirst() throws {
        let (f, a, b) = try Self.world()
        let filter = NoticeFilter(asOf: try day("2026-01-31"), since: try day("2025-12-20"))
        let notices = try f.store.notices(filter)
        #expect(
            Self.lines(notices) == [
                "2026-02-07 due_soon \(b) output 1 is due on 2026-02-07",
                "2026-01-31 amendment_decided \(b) amendment 1: extended the contract's end from 2026-05-01 to 2026-08-01; Mở rộng thí điểm",
                "2026-01-10 amendment_decided \(a) amendment 1: extended output 2 from 2026-03-31 to 2026-04-30; Bổ sung thử nghiệm",
                "2025-12-28 payment_made \(a) payment 1: 300.000.000 đồng from state against output 1",
                "2025-12-20 output_accepted \(a) output 1 accepted: Hệ thống thị giác máy phát hiện lỗi",
                "2025-12-20 overdue \(b) output 2 was due on 2025-12-19: 43 days late",
            ])
        // Outside: the fundings (before the window), the decision of 2026-02-01 (after it),
        // output 3 (late from 2025-12-19, before the window), output 1 of A (accepted).
        #expect(notices.first?.title == "Ứng dụng di động")
        #expect(notices.first?.province.name == "Hà Nội")
        #expect(notices.last?.enterpriseName == "Công ty Cổ phần Công nghệ Số Thăng Long")
        #expect(try f.store.notices(NoticeFilter(asOf: filter.asOf, since: filter.since, limit: 2)).count == 2)
        // A window of one day, on the first day of a lateness and of a due date a week ahead.
        #expect(
            Self.lines(try f.store.notices(NoticeFilter(asOf: try day("2025-12-20"), since: try day("2025-12-20"))))
                == [
                    "2025-12-20 output_accepted \(a) output 1 accepted: Hệ thống thị giác máy phát hiện lỗi",
                    "2025-12-20 overdue \(b) output 2 was due on 2025-12-19: 1 day late",
                ])
        // A window that ends before it starts tells nothing.
        #expect(try f.store.notices(NoticeFilter(asOf: try day("2025-12-19"), since: try day("2025-12-20"))).isEmpty)
    }

    @Test func eachAccountIsToldOfItsOwnScopeOnly() throws {
        let (f, a, b) = try Self.world()
        let asOf = try day("2026-02-01")
        let since = try day("2025-12-20")
        let enterprise = try f.store.addAccount(
            NewAccount(login: "quanghoc.yb", role: .enterprise, enterprise: f.enterprise), password: "mật khẩu dài đủ",
            cost: 4, by: "admin")
        let officer = try f.store.addAccount(
            NewAccount(login: "lan.hn", role: .officer, province: try Province.named("Hà Nội")),
            password: "mật khẩu dài đủ", cost: 4, by: "admin")
        let admin = try f.store.addAccount(
            NewAccount(login: "quantri", role: .admin), password: "mật khẩu dài đủ", cost: 4, by: "admin")
        func told(_ account: Account) throws -> Set<String> {
            let (province, enterprise) = account.noticeScope
            return Set(
                try f.store.notices(NoticeFilter(asOf: asOf, since: since, province: province, enterprise: enterprise))
                    .map(\.orderCode))
        }
        #expect(try told(enterprise) == [a])
        #expect(try told(officer) == [b])
        #expect(try told(admin) == [a, b])
        let own = try f.store.notices(
            NoticeFilter(asOf: asOf, since: since, enterprise: enterprise.noticeScope.enterprise))
        #expect(
            own.first?.subject
                == "amendment 2 approved: the contract's end now due on 2026-09-30; Đồng ý gia hạn")
        #expect(own.allSatisfy { $0.enterpriseTaxCode == f.enterprise.value })
    }

    /// The enterprise is told when its payment request is approved or returned (with the reason).
    @Test func aPaymentRequestApprovedOrReturnedIsTold() throws {
        let (f, a, _) = try Self.world()
        try f.store.acceptOutput(order: a, number: 2, on: try day("2026-02-02"))
        try f.store.requestPayment(
            order: a, output: 2, amount: 100_000_000, source: .enterprise, on: try day("2026-02-02"))
        try f.store.requestPayment(
            order: a, output: 2, amount: 50_000_000, source: .enterprise, on: try day("2026-02-02"))
        try f.store.approvePaymentRequest(order: a, number: 1, on: try day("2026-02-03"))
        try f.store.returnPaymentRequest(
            order: a, number: 2, reason: "Thiếu hóa đơn giá trị gia tăng", on: try day("2026-02-04"))
        let told = try f.store.notices(
            NoticeFilter(asOf: try day("2026-02-04"), since: try day("2026-02-02"), enterprise: f.enterprise))
        #expect(told.map(\.kind) == [.requestReturned, .requestApproved, .outputAccepted])
        #expect(told.first?.subject.contains("Thiếu hóa đơn giá trị gia tăng") == true)
        #expect(told.first?.day == (try day("2026-02-04")))
    }

    @Test func theDigestListsEveryNoticeWithItsOrder() throws {
        let (f, _, b) = try Self.world()
        let filter = NoticeFilter(asOf: try day("2026-01-31"), since: try day("2025-12-20"))
        let notices = try f.store.notices(filter)
        let (subject, body) = Notice.digest(notices, for: "lan.hn", filter: filter)
        #expect(subject == "STOrders: 6 notices for lan.hn, 2025-12-20 to 2026-01-31")
        #expect(
            body.hasPrefix(
                "Notices for lan.hn, from 2025-12-20 to 2026-01-31, newest first:\n\n2026-02-07  due_soon  \(b)  output 1 is due on 2026-02-07\n    Ứng dụng di động — Công ty Cổ phần Công nghệ Số Thăng Long, Hà Nội\n"
            ))
        #expect(body.components(separatedBy: "\n").filter { $0.hasPrefix("20") }.count == 6)
        #expect(Notice.digest([], for: "lan.hn", filter: filter).body.contains("Nothing to tell."))
    }
}
