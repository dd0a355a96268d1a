import Foundation
import GRDB
import Testing

@testable import STOrders

/// An account's e-mail address (schema version 8) and the digests sent to it
/// (`Store.sendNoticeDigests`, docs/notices.md), against a local SMTP sink.
@Suite struct DigestsTests {
    static func officer(_ f: Fixture, _ login: String, _ province: String, email: String?) throws {
        try f.store.addAccount(
            NewAccount(
                login: login, role: .officer, province: try Province.named(province), email: email),
            password: "mật khẩu đủ dài", cost: 4, by: "quản trị")
    }

    @Test func anAddressIsSetChangedAndRemovedEachOnceInTheAuditLog() throws {
        let f = try Fixture()
        try Self.officer(f, "lan.tn", "Thái Nguyên", email: "lan.tn@sokhcn.example.vn")
        #expect(try f.store.account(login: "lan.tn").email == "lan.tn@sokhcn.example.vn")
        let audited = { try f.store.auditLog().filter { $0.event == AuditEvent.emailChanged.rawValue } }
        // The same address again changes nothing and records nothing.
        try f.store.setEmail(login: "lan.tn", "lan.tn@sokhcn.example.vn", by: "quản trị")
        #expect(try audited().isEmpty)
        let changed = try f.store.setEmail(login: "lan.tn", "tran.lan@thainguyen.example.vn", by: "quản trị")
        #expect(changed.email == "tran.lan@thainguyen.example.vn")
        #expect(try audited().map(\.detail) == ["tran.lan@thainguyen.example.vn"])
        try f.store.setEmail(login: "lan.tn", nil, by: "quản trị")
        #expect(try f.store.account(login: "lan.tn").email == nil)
        #expect(try audited().map(\.detail) == ["removed", "tran.lan@thainguyen.example.vn"])
    }

    @Test(arguments: ["lan tn@example.vn", "lan.tn", "<lan@example.vn>", "lan@example", "Lê Lan@example.vn"])
    func anAddressSMTPWouldNotTakeIsRefusedAndChangesNothing(_ address: String) throws {
        let f = try Fixture()
        try Self.officer(f, "lan.tn", "Thái Nguyên", email: "lan.tn@sokhcn.example.vn")
        let before = try f.store.auditLog()
        #expect(throws: STOrdersError.invalidMailAddress(address)) {
            try f.store.setEmail(login: "lan.tn", address, by: "quản trị")
        }
        #expect(throws: STOrdersError.invalidMailAddress(address)) {
            try Self.officer(f, "hoa.tn", "Thái Nguyên", email: address)
        }
        #expect(try f.store.account(login: "lan.tn").email == "lan.tn@sokhcn.example.vn")
        #expect(try f.store.accounts().map(\.login) == ["lan.tn"])
        #expect(try f.store.auditLog() == before)
        #expect(throws: STOrdersError.unknownAccount(login: "khong.co")) {
            try f.store.setEmail(login: "khong.co", "a@example.vn", by: "quản trị")
        }
    }

    @Test func rawSQLCannotStoreAnAddressThatIsNot() throws {
        let f = try Fixture()
        try Self.officer(f, "lan.tn", "Thái Nguyên", email: nil)
        for bad in ["lan tn@example.vn", "lan@example", "x", "a@b.c>"] {
            #expect(throws: DatabaseError.self) {
                try f.store.writer.write { db in
                    try db.execute(sql: "UPDATE accounts SET email = ? WHERE login = 'lan.tn'", arguments: [bad])
                }
            }
        }
        #expect(try f.store.account(login: "lan.tn").email == nil)
    }

    /// Thái Nguyên's officer is told of its province's steps, Hà Nội's start-up of its own
    /// order; an officer of a province with nothing in the window gets no message; a disabled
    /// account and one without an address get nothing at all.
    @Test func eachAccountWithAnAddressIsSentItsOwnNotices() throws {
        let (f, a, b) = try NoticesTests.world()
        try Self.officer(f, "lan.tn", "Thái Nguyên", email: "lan.tn@sokhcn.example.vn")
        try Self.officer(f, "minh.hue", "Huế", email: "minh@sokhcn-hue.example.vn")
        try Self.officer(f, "cu.tn", "Thái Nguyên", email: "cu@sokhcn.example.vn")
        try f.store.setAccountDisabled(login: "cu.tn", true, by: "quản trị")
        try Self.officer(f, "khong.thu", "Thái Nguyên", email: nil)
        try f.store.addAccount(
            NewAccount(login: "khoi.nghiep", role: .enterprise, enterprise: f.startup, email: "giamdoc@khoinghiep.vn"),
            password: "mật khẩu đủ dài", cost: 4, by: "quản trị")
        let asOf = try day("2026-01-31")
        let since = try day("2025-12-20")
        let expected = { (login: String) throws -> [Notice] in
            let scope = try f.store.account(login: login).noticeScope
            return try f.store.notices(
                NoticeFilter(asOf: asOf, since: since, province: scope.province, enterprise: scope.enterprise))
        }
        let told = (tn: try expected("lan.tn"), startup: try expected("khoi.nghiep"))
        #expect(told.tn.allSatisfy { $0.orderCode == a } && !told.tn.isEmpty)
        #expect(told.startup.allSatisfy { $0.orderCode == b } && !told.startup.isEmpty)
        #expect(try expected("minh.hue").isEmpty)

        let sink = try SMTPSink(conversations: 2)
        let digests = try f.store.sendNoticeDigests(
            asOf: asOf, since: since, relay: try SMTPRelay(parsing: "127.0.0.1:\(sink.port)"),
            from: "storders@sokhcn.example.vn")
        sink.wait()
        #expect(
            digests == [
                NoticeDigest(
                    login: "khoi.nghiep", email: "giamdoc@khoinghiep.vn", notices: told.startup.count, outcome: .sent),
                NoticeDigest(
                    login: "lan.tn", email: "lan.tn@sokhcn.example.vn", notices: told.tn.count, outcome: .sent),
                NoticeDigest(login: "minh.hue", email: "minh@sokhcn-hue.example.vn", notices: 0, outcome: .nothing),
            ])
        let lines = sink.lines
        #expect(
            lines.filter { $0.hasPrefix("RCPT TO:") } == [
                "RCPT TO:<giamdoc@khoinghiep.vn>", "RCPT TO:<lan.tn@sokhcn.example.vn>",
            ])
        #expect(lines.filter { $0 == "MAIL FROM:<storders@sokhcn.example.vn>" }.count == 2)
        // Each body carries its own account's notices, and no one else's.
        let bodies = try Self.bodies(lines)
        #expect(bodies.count == 2)
        #expect(bodies[0].contains("Notices for khoi.nghiep") && bodies[0].contains(b) && !bodies[0].contains(a))
        #expect(bodies[1].contains("Notices for lan.tn") && bodies[1].contains(a) && !bodies[1].contains(b))
        #expect(bodies[1].contains("Bổ sung thử nghiệm"))
    }

    @Test func aRelayThatRefusesIsToldForEachAccountAndTheOthersStillTried() throws {
        let (f, _, _) = try NoticesTests.world()
        try Self.officer(f, "lan.tn", "Thái Nguyên", email: "lan.tn@sokhcn.example.vn")
        try f.store.addAccount(
            NewAccount(login: "khoi.nghiep", role: .enterprise, enterprise: f.startup, email: "giamdoc@khoinghiep.vn"),
            password: "mật khẩu đủ dài", cost: 4, by: "quản trị")
        let sink = try SMTPSink(refuseRecipient: true, conversations: 2)
        let digests = try f.store.sendNoticeDigests(
            asOf: try day("2026-01-31"), since: try day("2025-12-20"),
            relay: try SMTPRelay(parsing: "127.0.0.1:\(sink.port)"), from: "storders@sokhcn.example.vn")
        sink.wait()
        let reason = "RCPT TO: the relay answered 550 5.1.1 <x>: Recipient address rejected"
        #expect(digests.map(\.outcome) == [.failed(reason), .failed(reason)])
        #expect(!sink.lines.contains("DATA"))
        #expect(throws: STOrdersError.invalidMailAddress("storders")) {
            try f.store.sendNoticeDigests(
                asOf: try day("2026-01-31"), since: nil, relay: try SMTPRelay(parsing: "127.0.0.1:25"), from: "storders"
            )
        }
    }

    /// The message bodies the sink received, decoded from their base64 lines.
    static func bodies(_ lines: [String]) throws -> [String] {
        var bodies: [String] = []
        var current: [String]?
        for line in lines {
            if line == "DATA" {
                current = []
            } else if line == ".", let parts = current {
                // Headers, a blank line, then the base64 body.
                let body = parts.drop { !$0.isEmpty }.joined()
                let data = try #require(Data(base64Encoded: body))
                bodies.append(String(decoding: data, as: UTF8.self))
                current = nil
            } else if current != nil {
                current?.append(line)
            }
        }
        return bodies
    }

    /// A province's or the whole database's notices read the window from the index by day, and
    /// the query's condition is the index's own, term for term.
    @Test func noticesReadTheirWindowFromTheIndexByDay() throws {
        let (f, _, _) = try NoticesTests.world()
        let index = try #require(
            try f.store.read { db in
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_noticed_by_day'")
            })
        #expect(index.contains(Store.noticedCondition.replacingOccurrences(of: "e.action", with: "action")))
        #expect(Store.noticeActions.count == 10)
        for province in [nil, try Province.named("Thái Nguyên")] {
            var c = Conditions()
            c.add(Store.noticedCondition, [])
            c.add("e.occurred_on BETWEEN ? AND ?", ["2025-12-01", "2026-01-31"])
            if let province { c.add("o.province_code = ?", [province.code]) }
            let plan = try f.store.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        EXPLAIN QUERY PLAN SELECT e.id FROM events e CROSS JOIN orders o ON o.id = e.order_id
                        \(c.whereClause) ORDER BY e.occurred_on DESC, e.id DESC LIMIT 100
                        """, arguments: c.arguments
                ).map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("USING INDEX events_noticed_by_day") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    /// The newest notices are those of the latest days, whatever order the history was written in.
    @Test func theLimitKeepsTheLatestDaysNotTheLatestWritten() throws {
        let (f, _, b) = try NoticesTests.world()
        // Written after the contract's extension of 2026-01-31, dated before it.
        try f.store.acceptOutput(order: b, number: 3, on: try day("2025-12-21"))
        try f.store.acceptOutput(order: b, number: 2, on: try day("2025-12-22"))
        let filter = NoticeFilter(
            asOf: try day("2026-01-31"), since: try day("2025-12-20"), province: try Province.named("Hà Nội"),
            limit: 2)
        #expect(
            NoticesTests.lines(try f.store.notices(filter)) == [
                "2026-02-07 due_soon \(b) output 1 is due on 2026-02-07",
                "2026-01-31 amendment_decided \(b) amendment 1: extended the contract's end from 2026-05-01 to 2026-08-01; Mở rộng thí điểm",
            ])
    }
}
