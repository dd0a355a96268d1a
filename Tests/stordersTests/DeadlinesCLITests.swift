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

/// `storders notices` on the demo: an account's scope, the window, and the e-mail through a
/// local SMTP sink; each refusal exits non-zero and sends nothing.
@Suite struct NoticesCLITests {
    @Test func anEnterpriseAccountIsToldOfItsOwnOrdersAndCanBeMailedThem() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let added = try cli.run(
            ["user", "add", "vatlieu.sg", "--role", "enterprise", "--enterprise", "0312345673"],
            stdin: "mật khẩu đủ dài 2026\n")
        #expect(added.status == 0, "\(added.stderr)")
        let all = try cli.ok(["notices", "--since", "2025-01-01", "--json"]).array()
        let own = try cli.ok(["notices", "--login", "vatlieu.sg", "--since", "2025-01-01", "--json"]).array()
        #expect(Set(all.compactMap { $0["order_code"] as? String }).count > 2)
        #expect(!own.isEmpty)
        #expect(own.allSatisfy { $0["enterprise_tax_code"] as? String == "0312345673" })
        #expect(own.allSatisfy { $0["order_code"] as? String == "79-2025-0001" })
        #expect(Set(own.compactMap { $0["kind"] as? String }).isSuperset(of: ["funded", "output_accepted"]))
        let text = try cli.ok(["notices", "--login", "vatlieu.sg", "--since", "2025-01-01"]).stdout
        #expect(text.hasPrefix("DAY ") && text.contains("Công ty TNHH Vật liệu Mới Sài"))

        let sink = try SMTPSink()
        let mailed = try cli.run(
            [
                "notices", "--login", "vatlieu.sg", "--since", "2025-01-01", "--mail-to",
                "ketoan@vatlieumoi.example.vn",
                "--json",
            ], extraEnvironment: ["STORDERS_SMTP": "127.0.0.1:\(sink.port)"])
        sink.wait()
        #expect(mailed.status == 0, "\(mailed.stderr)")
        #expect(try mailed.array().count == own.count)
        #expect(
            mailed.stderr
                == "Sent \(own.count) notices to ketoan@vatlieumoi.example.vn through 127.0.0.1:\(sink.port).\n")
        #expect(sink.lines.contains("RCPT TO:<ketoan@vatlieumoi.example.vn>"))
        #expect(sink.lines.contains("MAIL FROM:<storders@127.0.0.1>"))
    }

    /// `user email` gives accounts an address; `notices --digests` sends each its own notices.
    @Test func digestsGoToEveryEnabledAccountWithAnAddress() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let password = "mật khẩu đủ dài 2026\n"
        let added = try cli.run(
            [
                "user", "add", "vatlieu.sg", "--role", "enterprise", "--enterprise", "0312345673", "--email",
                "ketoan@vatlieumoi.example.vn",
            ], stdin: password)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(
            try cli.run(["user", "add", "can-bo.hue", "--role", "officer", "--province", "Huế"], stdin: password).status
                == 0)
        let set = try cli.ok(["user", "email", "can-bo.hue", "thu.hue@sokhcn.example.vn"]).stdout
        #expect(set == "Account can-bo.hue's digests go to thu.hue@sokhcn.example.vn.\n")
        let listed = try cli.ok(["user", "list", "--json"]).array()
        #expect(listed.map { $0["email"] as? String } == ["thu.hue@sokhcn.example.vn", "ketoan@vatlieumoi.example.vn"])
        let own = try cli.ok(["notices", "--login", "vatlieu.sg", "--since", "2025-01-01", "--json"]).array()

        let sink = try SMTPSink()
        let sent = try cli.run(
            [
                "notices", "--digests", "--since", "2025-01-01", "--smtp", "127.0.0.1:\(sink.port)", "--mail-from",
                "storders@sokhcn.example.vn", "--json",
            ])
        sink.wait()
        #expect(sent.status == 0, "\(sent.stderr)")
        let digests = try sent.array()
        #expect(digests.map { $0["login"] as? String } == ["can-bo.hue", "vatlieu.sg"])
        #expect(digests.map { $0["outcome"] as? String } == ["nothing", "sent"])
        #expect(digests.map { $0["notices"] as? Int } == [0, own.count])
        #expect(sent.stderr == "Sent 1 digest through 127.0.0.1:\(sink.port).\n")
        #expect(sink.lines.filter { $0.hasPrefix("RCPT TO:") } == ["RCPT TO:<ketoan@vatlieumoi.example.vn>"])

        // Removed, the address gets nothing more.
        #expect(try cli.ok(["user", "email", "vatlieu.sg", "--remove"]).stdout.contains("has no address"))
        let none = try cli.ok(["notices", "--digests", "--since", "2025-01-01", "--smtp", "127.0.0.1:1"]).stdout
        #expect(none.hasPrefix("LOGIN ") && none.contains("can-bo.hue") && !none.contains("vatlieu.sg"))
    }

    @Test func digestRefusalsExitNonZeroAndChangeNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let added = try cli.run(
            [
                "user", "add", "vatlieu.sg", "--role", "enterprise", "--enterprise", "0312345673", "--email",
                "ketoan@vatlieumoi.example.vn",
            ], stdin: "mật khẩu đủ dài 2026\n")
        #expect(added.status == 0, "\(added.stderr)")
        let before = try cli.ok(["user", "list", "--json"]).stdout
        for arguments in [
            ["user", "email", "vatlieu.sg"], ["user", "email", "vatlieu.sg", "a@example.vn", "--remove"],
            ["notices", "--digests", "--login", "vatlieu.sg", "--smtp", "127.0.0.1:1"],
            ["notices", "--digests", "--mail-to", "a@example.vn", "--smtp", "127.0.0.1:1"],
        ] {
            #expect(try cli.run(arguments).status == 64, "\(arguments)")
        }
        let bad = try cli.run(["user", "email", "vatlieu.sg", "kế toán@vatlieumoi.vn", "--json"])
        #expect(bad.status == 1)
        #expect((try bad.object()["error"] as? [String: Any])?["code"] as? String == "invalid_mail_address")
        let unknown = try cli.run(["user", "email", "khong.co", "a@example.vn", "--json"])
        #expect((try unknown.object()["error"] as? [String: Any])?["code"] as? String == "unknown_account")
        #expect(try cli.ok(["user", "list", "--json"]).stdout == before)
        let noRelay = try cli.run(["notices", "--digests"], extraEnvironment: ["STORDERS_SMTP": ""])
        #expect(noRelay.status == 64)
        #expect(noRelay.stderr.contains("--digests needs an SMTP relay: pass --smtp HOST[:PORT] or set STORDERS_SMTP"))
        let sink = try SMTPSink(refuseRecipient: true)
        let refused = try cli.run(["notices", "--digests", "--since", "2025-01-01", "--smtp", "127.0.0.1:\(sink.port)"])
        sink.wait()
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(
            refused.stderr.hasPrefix(
                "Error: the mail was not sent through 127.0.0.1:\(sink.port): 1 of 1 digests were not sent, 0 were (vatlieu.sg: RCPT TO: the relay answered 550"
            ), "\(refused.stderr)")
    }

    @Test func refusalsExitNonZeroAndSendNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let noRelay = try cli.run(
            ["notices", "--mail-to", "a@example.vn"], extraEnvironment: ["STORDERS_SMTP": ""])
        #expect(noRelay.status == 64)
        #expect(noRelay.stderr.contains("--mail-to needs an SMTP relay: pass --smtp HOST[:PORT] or set STORDERS_SMTP"))
        #expect(try cli.run(["notices", "--login", "x", "--province", "19"]).status == 64)
        #expect(try cli.run(["notices", "--smtp", "localhost"]).status == 64)
        for limit in ["0", "1001"] {
            let refused = try cli.run(["notices", "--limit", limit])
            #expect(refused.status == 64 && refused.stderr.contains("--limit takes 1 to 1000"), "\(limit)")
        }
        let unknown = try cli.run(["notices", "--login", "khong.co", "--json"])
        #expect(unknown.status == 1)
        #expect((try unknown.object()["error"] as? [String: Any])?["code"] as? String == "unknown_account")
        let badAddress = try cli.run(["notices", "--mail-to", "a@b", "--smtp", "127.0.0.1:1", "--json"])
        #expect(badAddress.status == 1)
        #expect((try badAddress.object()["error"] as? [String: Any])?["code"] as? String == "invalid_mail_address")
        let sink = try SMTPSink(refuseRecipient: true)
        let refused = try cli.run(["notices", "--mail-to", "a@example.vn", "--smtp", "127.0.0.1:\(sink.port)"])
        sink.wait()
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(
            refused.stderr.hasPrefix(
                "Error: the mail was not sent through 127.0.0.1:\(sink.port): RCPT TO: the relay answered 550"))
        let backwards = try cli.run(["notices", "--since", "2026-09-16"])
        #expect(backwards.status == 64)
        #expect(backwards.stderr.contains("--since 2026-09-16 is after --as-of 2026-09-15"))
    }
}
