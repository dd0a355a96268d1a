import Foundation
import Testing

/// `storders due`, `storders inbox` and `storders amend` on the demo, as a user runs them
/// (docs/deadlines.md): the JSON and CSV they write, and a refusal that changes nothing.
@Suite struct DeadlinesCLITests {
    @Test func dueInboxAndAmendOnTheDemo() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])

        // Late or due within 30 days of 2026-09-15: the pilot process of the nano order, in 15 days.
        let due = try cli.ok(["due", "--json"]).array()
        #expect(due.map { $0["order_code"] as? String } == ["79-2025-0001"])
        #expect(due.first?["days_late"] as? Int == -15)
        #expect(due.first?["title"] as? String == "Quy trình phủ nano quy mô pilot")
        #expect(due.first?["province"] as? String == "Thành phố Hồ Chí Minh")
        #expect(try cli.ok(["due", "--overdue", "--json"]).array().isEmpty)
        let csv = try cli.ok(["due", "--csv", "--as-of", "2026-10-10"]).stdout
        #expect(csv.contains("79-2025-0001") && csv.contains("Quy trình phủ nano quy mô pilot"))

        // The office's morning: the enterprise's request, the robot waiting for funding, the output due.
        let inbox = try cli.ok(["inbox", "--as-of", "2026-09-25", "--json"]).array()
        #expect(inbox.map { $0["kind"] as? String } == ["amendment", "funding", "acceptance"])
        #expect(inbox.map { $0["days_waited"] as? Int } == [118, 86, -5])
        #expect(
            inbox.first?["subject"] as? String
                == "amendment 2: output 2 from 2026-09-30 to 2027-02-28; Chậm giao thiết bị phủ nhập khẩu")
        let danang = try cli.ok(["inbox", "--province", "da nang", "--as-of", "2026-09-25", "--json"]).array()
        #expect(danang.map { $0["order_code"] as? String } == ["48-2026-0001"])

        // The officer approves it; the original date stays shown.
        let approved = try cli.ok([
            "amend", "approve", "79-2025-0001", "2", "--reason", "Đồng ý gia hạn theo đề nghị", "--date", "2026-09-25",
            "--json",
        ]).object()
        #expect(approved["state"] as? String == "approved")
        let show = try cli.ok(["order", "show", "79-2025-0001", "--json"]).object()
        let outputs = show["outputs"] as? [[String: Any]] ?? []
        #expect(outputs.last?["due_on"] as? String == "2026-09-30")
        #expect(outputs.last?["extended_to"] as? String == "2027-02-28")
        let funding = show["funding"] as? [String: Any] ?? [:]
        #expect(funding["ends_on"] as? String == "2026-12-31" && funding["ends_extended_to"] as? String == "2027-03-31")
        let table = try cli.ok(["order", "show", "79-2025-0001"]).stdout
        #expect(table.contains("2027-02-28 (was 2026-09-30)"))
        #expect(table.contains("Contract     2025-09-25 to 2026-12-31, extended to 2027-03-31"))

        // Deciding it again is refused and changes nothing.
        let before = try cli.dump()
        let message = try cli.refused([
            "amend", "refuse", "79-2025-0001", "2", "--reason", "Đổi ý", "--date", "2026-09-26",
        ])
        #expect(message.contains("amendment 2 of order 79-2025-0001 was already approved on 2026-09-25"))
        #expect(try cli.dump() == before)
        #expect(try cli.ok(["verify"]).status == 0)
    }

    @Test func theTargetIsAnOutputOrTheContractNeverBoth() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let both = try cli.run([
            "amend", "extend", "79-2025-0001", "--output", "2", "--contract", "--to", "2027-01-01", "--reason", "x",
        ])
        #expect(both.status == 64)
        let neither = try cli.run(["amend", "extend", "79-2025-0001", "--to", "2027-01-01", "--reason", "x"])
        #expect(neither.status == 64)
    }
}
