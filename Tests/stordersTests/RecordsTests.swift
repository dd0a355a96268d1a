import Foundation
import Testing

/// Corrections, verify and backup, run as a user would.
@Suite("storders: trustworthy records")
struct RecordsTests {
    @Test func reverseAPaymentAndRetractAResult() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let reversal = try cli.ok([
            "payment", "reverse", "19-2025-0001", "2", "--reason", "Nhập trùng chứng từ",
            "--date", "2026-01-10", "--json",
        ]).object()
        #expect(
            reversal["amount"] as? Int == -800_000_000 && reversal["reverses"] as? Int == 2
                && reversal["number"] as? Int == 3)
        let order = try cli.ok(["order", "show", "19-2025-0001", "--json"]).object()
        #expect(order["paid_total"] as? Int == 1_200_000_000)
        let text = try cli.ok(["order", "show", "19-2025-0001"]).stdout
        #expect(text.contains("Paid 1.200.000.000 đồng in 2 payment(s), net of 1 reversal(s)"))
        #expect(text.contains("reverses payment 2: Nhập trùng chứng từ"))

        let before = try cli.dump()
        let again = try cli.refused(["payment", "reverse", "19-2025-0001", "2", "--reason", "lần hai"])
        #expect(again.contains("already reversed by payment 3"))
        let tooMuch = try cli.refused([
            "payment", "reverse", "19-2025-0001", "1", "--amount", "1.200.000.001", "--reason", "quá",
        ])
        #expect(tooMuch.contains("at most what was paid"))
        let noReason = try cli.run(["payment", "reverse", "19-2025-0001", "1"])  // --reason is required: a usage error
        #expect(noReason.status == 64 && noReason.stdout.isEmpty)
        #expect(noReason.stderr.hasPrefix("Error: Missing expected argument '--reason <reason>'"), "\(noReason.stderr)")
        #expect(try cli.dump() == before)

        let retracted = try cli.ok([
            "result", "retract", "19-2025-0002", "1", "--reason", "Ghi nhầm", "--date", "2026-03-02",
            "--json",
        ]).object()
        #expect(
            retracted["order_state"] as? String == "delivered" && retracted["retracted_on"] as? String == "2026-03-02")
        let results = try cli.ok(["results", "list", "--json"]).array()
        #expect(results.count == 3 && !results.contains { $0["order_code"] as? String == "19-2025-0002" })
        #expect(
            try cli.ok(["order", "show", "19-2025-0002"]).stdout.contains(
                "Results (0 standing, 1 retracted, revenue 0 đồng)"))
        let refused = try cli.refused(["result", "retract", "19-2025-0002", "1", "--reason", "lần hai"])
        #expect(refused.contains("already retracted on 2026-03-02"))
        try cli.ok(["verify"])
    }

    @Test func verifyIsCleanOnAnHonestFileAndNamesTampering() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let clean = try cli.ok(["verify"])
        #expect(clean.stdout.contains("All checks passed.") && clean.stderr.isEmpty)
        let json = try cli.ok(["verify", "--json"]).object()
        #expect(json["ok"] as? Bool == true && (json["findings"] as? [Any])?.isEmpty == true)
        #expect((json["chain_head"] as? String)?.count == 64)

        _ = try cli.sql(
            """
            DROP TRIGGER payments_never_changed;
            UPDATE payments SET amount = 500000000 WHERE order_id = (SELECT id FROM orders WHERE code = '01-2025-0001') AND number = 1;
            """)
        let bad = try cli.run(["verify"])
        #expect(bad.status == 1)
        #expect(
            bad.stdout.contains(
                "order 01-2025-0001: payment 1 was changed outside storders: amount is 500000000 now but 400000000 was recorded"
            ))
        #expect(bad.stdout.contains("trigger payments_never_changed is missing"))
        #expect(
            bad.stdout.contains(
                "order 01-2025-0001: 500.000.000 đồng is paid from source 'state' (net of reversals), more than its funding of 400.000.000 đồng"
            ))
        // The edit also bypassed the trigger that keeps the running totals: the state budget paid
        // in 2025 no longer matches the payments.
        #expect(
            bad.stdout.contains(
                "tallies differs from the records for 1 key: year 2025, province_code 01, field digital"))
        let errors = bad.stderr.split(separator: "\n")
        #expect(errors.count == 1 && errors.first?.hasPrefix("Error: verify found 5 problems") == true)
        let badJSON = try cli.run(["verify", "--json"])
        #expect(badJSON.status == 1)
        let object = try badJSON.object()
        let findings = object["findings"] as? [[String: Any]] ?? []
        #expect(
            object["ok"] as? Bool == false
                && findings.contains { $0["order"] as? String == "01-2025-0001" && $0["check"] as? String == "records" }
        )
    }

    @Test func backupRefusesAnExistingFileUnlessForced() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let copy = cli.directory.appendingPathComponent("copy.sqlite").path
        try Data("giữ nguyên".utf8).write(to: URL(fileURLWithPath: copy))
        let message = try cli.refused(["backup", copy])
        #expect(message.contains("already exists") && message.contains("--force"))
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == "giữ nguyên")
        let dump = try cli.dump()
        for (arguments, reason) in [
            (["backup", cli.database, "--force"], "is the database itself"),
            (["backup", cli.directory.path], "is a directory"),
            (["backup", cli.directory.appendingPathComponent("không-có/x.sqlite").path], "cannot write the backup"),
        ] {
            let message = try cli.refused(arguments)
            #expect(message.contains(reason), "\(arguments): \(message)")
        }
        #expect(try cli.dump() == dump)
        let out = try cli.ok(["backup", copy, "--force", "--json"]).object()
        #expect(out["orders"] as? Int == 6)
        try cli.ok(["verify", "--db", copy])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter {
            $0.contains(".part-")
        }
        #expect(leftovers.isEmpty)
    }

    /// A backup taken while another process is inside a write transaction is a consistent
    /// snapshot that verifies and holds exactly what was committed before it. The overlap is
    /// proven, not hoped for from sleeps: each writer is held at the product's test pause point
    /// (its writes made, its commit not yet) while the backup runs, then let go to commit.
    @Test func backupDuringConcurrentWritesVerifies() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let steps: [[String]] = [
            [
                "order", "register", "--enterprise", "4601234560", "--title", "Đơn hàng song song", "--field",
                "science",
                "--code", "W-001", "--date", "2026-08-01",
            ],
            [
                "output", "add", "W-001", "--title", "Sản phẩm song song", "--type", "product", "--novelty", "new",
                "--value", "1000000", "--date", "2026-08-01",
            ],
            ["order", "fund", "W-001", "--state-budget", "1000000", "--date", "2026-08-02"],
            ["output", "accept", "W-001", "1", "--date", "2026-08-03"],
            ["payment", "record", "W-001", "--output", "1", "--amount", "1000000", "--date", "2026-08-04"],
        ]
        var counts: [Int] = []
        for (n, step) in steps.enumerated() {
            let committed = Int(try cli.sql("SELECT count(*) FROM events;")) ?? -1
            let pause = PausePoint("write", in: cli.directory, name: "backup-\(n)", resumable: true)
            let finished = DispatchSemaphore(value: 0)
            final class Box: @unchecked Sendable { var output: CLI.Output? }
            let box = Box()
            let writer = Thread {
                box.output = try? cli.run(step, extraEnvironment: pause.environment)
                finished.signal()
            }
            writer.start()
            #expect(pause.awaitReached(), "step \(n) never reached its write transaction")
            let copy = cli.directory.appendingPathComponent("copy-\(n).sqlite").path
            try cli.ok(["backup", copy])
            pause.resume()
            finished.wait()
            #expect(box.output?.status == 0, "step \(n): \(box.output?.stderr ?? "did not run")")
            // The copy was taken inside the writer's transaction: it verifies and holds what
            // was committed before, none of the open transaction; the writer then committed.
            let v = try cli.ok(["verify", "--db", copy, "--json"]).object()
            #expect(v["ok"] as? Bool == true, "\(copy): \(v["findings"] ?? "")")
            #expect(
                v["events"] as? Int == committed,
                "copy \(n) holds \(v["events"] ?? "?") events, \(committed) were committed")
            #expect(Int(try cli.sql("SELECT count(*) FROM events;")) ?? -1 > committed)
            counts.append(v["events"] as? Int ?? -1)
        }
        #expect(counts == counts.sorted())
        let final = try cli.ok(["verify", "--json"]).object()
        #expect(final["ok"] as? Bool == true)
        #expect(final["orders"] as? Int == 7)
    }

}
