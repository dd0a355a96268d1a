import Foundation
import Testing

/// Public behaviour no other suite ran: `import outputs` and the dry runs, the `results list`
/// and report filters, `history` of an unknown order, `backup` onto the database under another
/// name, and what `STORDERS_ACTOR` may hold. Each refusal is checked for its exit code (1, the
/// CLI's code for a refusal: a crash or a signal gives another), its one `Error:` line naming the
/// rule, and a database left as it was.
@Suite("storders: behaviour no other suite runs")
struct UntestedBehaviourTests {
    func write(_ cli: CLI, _ name: String, _ text: String) throws -> String {
        let path = cli.directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let enterprises = """
        tax_code,name,province,innovative_startup,registered_on
        0100233488,Công ty Cổ phần Công nghệ Số Thăng Long,Hà Nội,yes,2024-01-10
        4601234560,Công ty TNHH Quang học Yên Bình,thai nguyen,no,2024-02-01

        """

    @Test func importOutputsAndItsDryRun() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        try cli.ok(["import", "enterprises", try write(cli, "e.csv", Self.enterprises)])
        try cli.ok([
            "order", "register", "--enterprise", "4601234560", "--title", "Cải tiến mô-đun camera", "--field",
            "innovation", "--code", "TN-1", "--date", "2026-01-05",
        ])
        let file = try write(
            cli, "x.csv",
            """
            order_code,title,type,novelty,value
            TN-1,Quy trình cải tiến,model,improved,"1.200.000.000"
            tn-1,Dây chuyền kiểm tra quang học,product,new,800000000

            """)
        let before = try cli.dump()
        let dry = try cli.ok(["import", "outputs", file, "--date", "2026-01-06", "--dry-run", "--json"]).object()
        #expect(dry["outputs"] as? Int == 2 && dry["orders"] as? Int == 0 && dry["dry_run"] as? Bool == true)
        let dryText = try cli.ok(["import", "outputs", file, "--date", "2026-01-06", "--dry-run"])
        #expect(dryText.stdout == "Checked 2 outputs: all valid. Nothing was written (--dry-run).\n")
        #expect(try cli.dump() == before)

        #expect(try cli.ok(["import", "outputs", file, "--date", "2026-01-06"]).stdout == "Imported 2 outputs.\n")
        let order = try cli.ok(["order", "show", "TN-1", "--json"]).object()
        let outputs = try #require(order["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["title"] as? String } == ["Quy trình cải tiến", "Dây chuyền kiểm tra quang học"])
        #expect(outputs.map { $0["value"] as? Int } == [1_200_000_000, 800_000_000])
        #expect(outputs.map { $0["number"] as? Int } == [1, 2])
        #expect(
            try cli.sql(
                """
                SELECT group_concat(action || ' ' || occurred_on, '; ') FROM events
                WHERE order_id = (SELECT id FROM orders WHERE code = 'TN-1');
                """) == "registered 2026-01-05; output_added 2026-01-06; output_added 2026-01-06")
        #expect(try cli.consistencyViolations().isEmpty)

        // Once the order is funded its outputs are fixed: the same file is refused, as a dry run too.
        try cli.ok(["order", "fund", "TN-1", "--state-budget", "2.000.000.000", "--date", "2026-01-07"])
        let funded = try cli.dump()
        for extra in [[], ["--dry-run"]] {
            let out = try cli.run(["import", "outputs", file, "--date", "2026-01-08"] + extra)
            #expect(out.status == 1, "\(extra): \(out.stderr)")
            #expect(out.stderr == "Error: x.csv: 2 problems found; nothing was imported\n", "\(extra)")
            #expect(
                out.stdout.contains("line 2") && out.stdout.contains("line 3") && out.stdout.contains("is funded"),
                "\(out.stdout)")
        }
        #expect(try cli.dump() == funded)
    }

    @Test func importOrdersDryRunWritesNothingAndReportsWhatWouldBeImported() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        try cli.ok(["import", "enterprises", try write(cli, "e.csv", Self.enterprises)])
        let orders = try write(
            cli, "o.csv",
            """
            code,enterprise_tax_code,title,field,province,ordered_on,state,funded_on,state_budget,delivered_on
            HN-1,0100233488,Nền tảng số truy xuất nguồn gốc,digital,,2025-05-20,,,,
            TN-1,4601234560,Cải tiến mô-đun camera,innovation,,2025-03-10,delivered,2025-04-02,2000000000,2025-11-20

            """)
        let outputs = try write(
            cli, "x.csv",
            """
            order_code,title,type,novelty,value,accepted_on
            HN-1,Dịch vụ truy xuất,service,new,650000000,
            TN-1,Quy trình cải tiến,model,improved,1200000000,2025-09-15
            TN-1,Dây chuyền kiểm tra,product,new,800000000,

            """)
        let before = try cli.dump()
        let dry = try cli.ok(["import", "orders", orders, "--outputs", outputs, "--dry-run", "--json"]).object()
        #expect(dry["orders"] as? Int == 2 && dry["outputs"] as? Int == 3 && dry["dry_run"] as? Bool == true)
        #expect(
            try cli.ok(["import", "orders", orders, "--outputs", outputs, "--dry-run"]).stdout
                == "Checked 2 orders, 3 outputs: all valid. Nothing was written (--dry-run).\n")
        #expect(try cli.dump() == before)
        #expect(try cli.ok(["order", "list", "--json"]).array().isEmpty)

        // A dry run finds the same problems the import would, and also writes nothing.
        let bad = try write(
            cli, "bad.csv",
            """
            code,enterprise_tax_code,title,field,ordered_on
            X-1,0100233480,Sai mã số thuế,science,2025-01-01

            """)
        let refused = try cli.run(["import", "orders", bad, "--dry-run"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: bad.csv: 1 problem found; nothing was imported\n")
        #expect(refused.stdout.contains("line 2, column enterprise_tax_code '0100233480'"))
        #expect(try cli.dump() == before)

        #expect(
            try cli.ok(["import", "orders", orders, "--outputs", outputs]).stdout == "Imported 2 orders, 3 outputs.\n")
        #expect(try cli.ok(["order", "list", "--json"]).array().count == 2)
        #expect(try cli.consistencyViolations().isEmpty)
    }

    /// ReportTests' database holds three results: O1 (Thái Nguyên, 4601234560) a sale of 3 billion
    /// on 2026-02-10 and a license of 600 million on 2026-05-01; O2 (Hà Nội, 0100233488) internal
    /// use, no revenue, on 2025-12-01.
    @Test func resultsListByChannelAndEnterprise() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try ReportTests.build(cli)
        func results(_ filter: [String]) throws -> [String] {
            try cli.ok(["results", "list", "--json"] + filter).array().map {
                "\($0["order_code"] as? String ?? "?") \($0["channel"] as? String ?? "?") \($0["revenue"] as? Int ?? -1)"
            }
        }
        #expect(try results([]).sorted() == ["O1 license 600000000", "O1 sale 3000000000", "O2 internal-use 0"])
        #expect(try results(["--channel", "license"]) == ["O1 license 600000000"])
        #expect(try results(["--channel", "sale"]) == ["O1 sale 3000000000"])
        #expect(try results(["--channel", "transfer"]) == [])
        #expect(try results(["--enterprise", "0100233488"]) == ["O2 internal-use 0"])
        #expect(
            try results(["--enterprise", "46.0123.4560"]).sorted() == ["O1 license 600000000", "O1 sale 3000000000"])
        #expect(try results(["--enterprise", "4601234560", "--channel", "internal-use"]) == [])
        #expect(try results(["--enterprise", "0312345673"]) == [])  // an enterprise with no result
        #expect(
            try cli.ok(["results", "list", "--channel", "transfer"]).stdout.contains("No commercialized results match.")
        )
        let csv = try cli.ok(["results", "list", "--enterprise", "4601234560", "--channel", "sale", "--csv"]).stdout
        #expect(csv.split(separator: "\n").count == 2 && csv.contains("O1,"))

        let before = try cli.dump()
        let badTaxCode = try cli.refused(["results", "list", "--enterprise", "0100233480"])
        #expect(badTaxCode.contains("invalid tax code '0100233480'"), "\(badTaxCode)")
        let badChannel = try cli.run(["results", "list", "--channel", "barter"])
        #expect(badChannel.status == 64 && badChannel.stderr.contains("barter") && badChannel.stdout.isEmpty)
        #expect(try cli.dump() == before)
    }

    /// Field science in ReportTests' database: O5 (registered 2024-12-15 by a Hồ Chí Minh City
    /// startup, funded 500 + 300 million on 2025-01-14, 30 days later, cancelled) and O3
    /// (registered 2025-11-20, funded 2026). Worked out by hand for 2025.
    @Test func reportsForOneField() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try ReportTests.build(cli)
        let report = try cli.ok(["report", "indicators", "--year", "2025", "--field", "science", "--json"]).object()
        #expect(report["field"] as? String == "science")
        let values = Dictionary(
            uniqueKeysWithValues: (report["indicators"] as? [[String: Any]] ?? []).map {
                ($0["key"] as? String ?? "", ReportTests.number($0["value"]))
            })
        let expected: [String: Double?] = [
            "orders_registered": 1, "orders_decided": 0, "orders_decided_share": 0,
            "state_budget_committed": 500_000_000, "counterpart_committed": 300_000_000, "other_committed": 0,
            "new_or_improved_outputs": 0, "enterprises_innovating": 1, "innovative_startups": 1,
            "state_budget_paid": 0, "results": 0, "median_days_ordered_to_funded": 30,
        ]
        for (key, value) in expected { #expect(values[key] == value, "\(key): \(String(describing: values[key]))") }
        // No targets per field: the framework sets none.
        #expect((report["indicators"] as? [[String: Any]] ?? []).allSatisfy { $0["target"] is NSNull })

        let digital = try cli.ok(["report", "indicators", "--year", "2025", "--field", "digital", "--json"]).object()
        let digitalValues = Dictionary(
            uniqueKeysWithValues: (digital["indicators"] as? [[String: Any]] ?? []).map {
                ($0["key"] as? String ?? "", ReportTests.number($0["value"]))
            })
        // O2 (funded 2025, 300 + 100 + 50 million) and O4 (cancelled while ordered).
        #expect(digitalValues["orders_registered"] == 2 && digitalValues["orders_decided"] == 2)
        #expect(
            digitalValues["state_budget_committed"] == 300_000_000 && digitalValues["other_committed"] == 50_000_000)

        let provinces = try cli.ok(["report", "provinces", "--year", "2025", "--field", "science", "--json"]).array()
        #expect(provinces.count == 34)
        let committed = provinces.filter { (ReportTests.number($0["state_budget_committed"]) ?? 0) > 0 }
        #expect(committed.map { $0["province"] as? String } == ["Thành phố Hồ Chí Minh"])
        #expect(committed.first.map { ReportTests.number($0["state_budget_committed"]) } == 500_000_000)

        let usage = try cli.run(["report", "indicators", "--year", "2025", "--field", "physics"])
        #expect(usage.status == 64 && usage.stderr.contains("physics") && usage.stdout.isEmpty)
    }

    @Test func historyOfAnUnknownOrderIsRefused() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let before = try cli.dump()
        for code in ["NO-SUCH", "TN-ĐẶT-HÀNG"] {
            let message = try cli.refused(["history", code])
            #expect(message.hasPrefix("Error: no order with code '\(code)'"), "\(message)")
            let json = try cli.run(["history", code, "--json"])
            // --json: the refusal is stdout's one JSON value, with the library's code.
            #expect(json.status == 1 && json.stdout.hasPrefix("{") && json.stdout.contains("unknown_order"))
            #expect(json.stderr.hasPrefix("Error: no order with code '\(code)'"))
        }
        // The same code in another case is the order (codes are compared without case).
        #expect(try cli.ok(["history", "19-2025-0001", "--json"]).array().count > 3)
        #expect(try cli.dump() == before)
    }

    /// The database under another name is still the database: a symlink to it, a hard link to
    /// it, its WAL file and another spelling of its path are refused, with or without --force,
    /// and nothing is written anywhere.
    @Test func backupOntoTheDatabaseUnderAnotherNameIsRefused() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let fm = FileManager.default
        let symlink = cli.directory.appendingPathComponent("symlink.sqlite").path
        let hardLink = cli.directory.appendingPathComponent("hardlink.sqlite").path
        try fm.createSymbolicLink(atPath: symlink, withDestinationPath: cli.database)
        try fm.linkItem(atPath: cli.database, toPath: hardLink)
        try fm.createDirectory(
            atPath: cli.directory.appendingPathComponent("x").path, withIntermediateDirectories: false)
        let before = try cli.dump()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cli.database))
        let names = [
            symlink, hardLink, cli.database + "-wal", "./test.sqlite",
            cli.directory.appendingPathComponent("x/../test.sqlite").path,
        ]
        for name in names {
            for extra in [[], ["--force"]] {
                let out = try cli.run(["backup", name] + extra)
                #expect(out.status == 1, "\(name) \(extra): exit \(out.status): \(out.stderr)")
                #expect(
                    out.stderr == "Error: \(name) is the database itself; a backup goes to another file\n",
                    "\(name) \(extra): \(out.stderr)")
                #expect(out.stdout.isEmpty)
            }
        }
        #expect(try cli.dump() == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.database)) == bytes)
        #expect(try fm.destinationOfSymbolicLink(atPath: symlink) == cli.database)
        let leftovers = try fm.contentsOfDirectory(atPath: cli.directory.path).filter { $0.contains(".part-") }
        #expect(leftovers.isEmpty)
        try cli.ok(["verify"])
    }

    /// Who acted comes from $STORDERS_ACTOR: an empty value means unset (the login name is used);
    /// surrounding spaces are trimmed; a value with a control character or longer than 500
    /// characters is refused as any other free text is, in one line, before the database is
    /// opened, so nothing is written (before this test, such a value was stored raw in every event).
    @Test func actorValues() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        try cli.ok([
            "enterprise", "add", "--name", "Công ty TNHH Quang học Yên Bình", "--tax-code", "4601234560",
            "--province", "19", "--date", "2024-01-01",
        ])
        let printable = "; expected printable text"
        let cases: [(actor: String, stored: String?, refusal: String?)] = [
            ("", "nguyen.van.a", nil),
            ("  Trần Thị Bích  ", "Trần Thị Bích", nil),
            (String(repeating: "ơ", count: 500), String(repeating: "ơ", count: 500), nil),
            ("Nguyễn\u{1B}[31m Văn A", nil, "it contains the control character U+001B" + printable),
            ("Nguyễn\nVăn A", nil, "it contains the control character U+000A" + printable),
            ("Nguyễn\u{7F}", nil, "it contains the control character U+007F" + printable),
            (String(repeating: "ơ", count: 501), nil, "it has 501 characters; at most 500 are accepted"),
            (String(repeating: "a", count: 100_000), nil, "it has 100000 characters; at most 500 are accepted"),
        ]
        for (index, c) in cases.enumerated() {
            let code = "O\(index + 1)"
            let before = try cli.dump()
            let out = try cli.run(
                [
                    "order", "register", "--enterprise", "4601234560", "--title", "Nhiệm vụ \(code)",
                    "--field", "digital", "--code", code, "--date", "2026-01-05",
                ],
                extraEnvironment: ["STORDERS_ACTOR": c.actor, "LOGNAME": "nguyen.van.a"])
            let label = String(c.actor.prefix(20))
            if let stored = c.stored {
                #expect(out.status == 0, "\(label): \(out.stderr)")
                let actual = try cli.sql(
                    "SELECT actor FROM events WHERE order_id = (SELECT id FROM orders WHERE code = '\(code)');")
                #expect(actual == stored, "\(label)")
            } else {
                #expect(out.status == 1, "\(label): exit \(out.status)")
                #expect(
                    out.stderr == "Error: invalid actor: \(c.refusal ?? "")\n", "\(label): \(out.stderr.prefix(300))")
                #expect(out.stdout.isEmpty)
                #expect(try cli.dump() == before)
            }
        }
        // A file that does not exist yet is not created under an actor that is refused.
        let fresh = cli.directory.appendingPathComponent("fresh.sqlite").path
        let refused = try cli.run(["init", "--db", fresh], extraEnvironment: ["STORDERS_ACTOR": "A\u{1}B"])
        #expect(refused.status == 1 && refused.stderr.hasPrefix("Error: invalid actor: "))
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }
}
