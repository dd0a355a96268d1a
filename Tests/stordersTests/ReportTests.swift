import Foundation
import Testing

/// `storders report` and `storders target`, run as a user would, over a database built with
/// the CLI whose every figure is worked out by hand (the same orders as the library's
/// KnownNumbers: two years, cancellations, four provinces, two innovative startups).
@Suite("storders report and target")
struct ReportTests {
    /// Copies the database (built once per test run) into this test's folder.
    static func build(_ cli: CLI) throws {
        let template = try templateDatabase.get()
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: template + suffix) {
            try FileManager.default.copyItem(atPath: template + suffix, toPath: cli.database + suffix)
        }
    }

    /// Built once per test process through the CLI, copied into each test's folder, and removed
    /// when the process exits.
    static let templateDatabase: Result<String, any Error> = Result {
        let cli = try CLI()
        templateDirectory = cli.directory.path
        atexit {
            if let dir = ReportTests.templateDirectory { try? FileManager.default.removeItem(atPath: dir) }
        }
        try buildWithCommands(cli)
        return cli.database
    }
    nonisolated(unsafe) static var templateDirectory: String?

    static func buildWithCommands(_ cli: CLI) throws {
        let a = "4601234560"
        let b = "0100233488"
        let c = "0312345673"
        let d = "9215792418"
        let steps: [[String]] = [
            ["init"],
            [
                "enterprise", "add", "--name", "Công ty TNHH Quang học Yên Bình", "--tax-code", a, "--province",
                "Thái Nguyên", "--date", "2024-01-01",
            ],
            [
                "enterprise", "add", "--name", "Công ty Cổ phần Công nghệ Số Thăng Long", "--tax-code", b, "--province",
                "ha noi", "--innovative-startup", "--date", "2024-01-01",
            ],
            [
                "enterprise", "add", "--name", "Công ty TNHH Vật liệu Mới Sài Gòn", "--tax-code", c, "--province",
                "HCMC", "--innovative-startup", "--date", "2024-01-01",
            ],
            [
                "enterprise", "add", "--name", "Công ty TNHH Nông nghiệp Tây Đô", "--tax-code", d, "--province",
                "Cần Thơ", "--date", "2024-01-01",
            ],
            // O1: funded 2025 (30 days), delivered 2025 (201 days), commercialized 2026 twice.
            [
                "order", "register", "--enterprise", a, "--title", "Cải tiến quy trình sản xuất mô-đun camera",
                "--field", "innovation", "--code", "O1", "--date", "2025-01-10",
            ],
            [
                "output", "add", "O1", "--title", "Quy trình cải tiến", "--type", "model", "--novelty", "improved",
                "--value", "1.000.000.000", "--date", "2025-01-10",
            ],
            [
                "output", "add", "O1", "--title", "Dây chuyền kiểm tra", "--type", "product", "--novelty", "new",
                "--value", "500,000,000", "--date", "2025-01-10",
            ],
            [
                "order", "fund", "O1", "--state-budget", "900000000", "--enterprise-funds", "600000000", "--date",
                "2025-02-09",
            ],
            ["output", "accept", "O1", "1", "--date", "2025-06-01"],
            ["payment", "record", "O1", "--output", "1", "--amount", "600000000", "--date", "2025-06-15"],
            ["output", "accept", "O1", "2", "--date", "2025-08-29"],
            ["payment", "record", "O1", "--output", "2", "--amount", "300000000", "--date", "2025-09-10"],
            [
                "payment", "record", "O1", "--output", "1", "--amount", "400000000", "--source", "enterprise", "--date",
                "2025-09-20",
            ],
            [
                "payment", "record", "O1", "--output", "2", "--amount", "200000000", "--source", "enterprise", "--date",
                "2025-09-20",
            ],
            ["order", "commercialize", "O1", "--channel", "sale", "--revenue", "3000000000", "--date", "2026-02-10"],
            ["order", "commercialize", "O1", "--channel", "license", "--revenue", "600000000", "--date", "2026-05-01"],
            // O2: funded 2025 (20 days) with a venture fund, delivered 2025 (194 days), in-house use 2025.
            [
                "order", "register", "--enterprise", b, "--title", "Nền tảng số truy xuất nguồn gốc", "--field",
                "digital", "--code", "O2", "--date", "2025-03-01",
            ],
            [
                "output", "add", "O2", "--title", "Dịch vụ truy xuất", "--type", "service", "--novelty", "new",
                "--value", "400000000", "--date", "2025-03-01",
            ],
            [
                "order", "fund", "O2", "--state-budget", "300000000", "--enterprise-funds", "100000000", "--other",
                "50000000", "--other-source", "Quỹ đầu tư mạo hiểm", "--date", "2025-03-21",
            ],
            ["output", "accept", "O2", "1", "--date", "2025-10-01"],
            ["payment", "record", "O2", "--output", "1", "--amount", "300000000", "--date", "2025-10-15"],
            ["order", "commercialize", "O2", "--channel", "internal-use", "--revenue", "0", "--date", "2025-12-01"],
            [
                "payment", "record", "O2", "--output", "1", "--amount", "100000000", "--source", "enterprise", "--date",
                "2026-01-20",
            ],
            // O3: registered 2025, funded 2026 (not decided within its year).
            [
                "order", "register", "--enterprise", b, "--title", "Vật liệu cách nhiệt mới", "--field", "science",
                "--code", "O3", "--date", "2025-11-20",
            ],
            [
                "output", "add", "O3", "--title", "Tấm cách nhiệt", "--type", "product", "--novelty", "improved",
                "--value", "200000000", "--date", "2025-11-20",
            ],
            ["order", "fund", "O3", "--state-budget", "200000000", "--date", "2026-01-10"],
            ["output", "accept", "O3", "1", "--date", "2026-03-01"],
            ["payment", "record", "O3", "--output", "1", "--amount", "150000000", "--date", "2026-03-10"],
            // O4: cancelled while ordered; O5: registered 2024, funded 2025, cancelled; O6: waiting.
            [
                "order", "register", "--enterprise", d, "--title", "Tưới thông minh cho lúa", "--field", "digital",
                "--code", "O4", "--date", "2025-04-01",
            ],
            [
                "output", "add", "O4", "--title", "Mô hình tưới", "--type", "model", "--novelty", "improved", "--value",
                "300000000", "--date", "2025-04-01",
            ],
            ["order", "cancel", "O4", "--reason", "Doanh nghiệp rút đề xuất", "--date", "2025-05-01"],
            [
                "order", "register", "--enterprise", c, "--title", "Màng bao bì nano kháng khuẩn", "--field", "science",
                "--code", "O5", "--date", "2024-12-15",
            ],
            [
                "output", "add", "O5", "--title", "Màng nano", "--type", "product", "--novelty", "new", "--value",
                "800000000", "--date", "2024-12-15",
            ],
            [
                "order", "fund", "O5", "--state-budget", "500000000", "--enterprise-funds", "300000000", "--date",
                "2025-01-14",
            ],
            ["order", "cancel", "O5", "--reason", "Đối tác rút vốn", "--date", "2025-07-01"],
            [
                "order", "register", "--enterprise", a, "--title", "Robot kiểm kê kho", "--field", "innovation",
                "--code", "O6", "--date", "2025-06-01",
            ],
        ]
        for step in steps { try cli.ok(step) }
    }

    /// The 2025 figures for all provinces, as `--json` carries them.
    static let expected2025: [String: Double] = [
        "new_or_improved_outputs": 3, "new_outputs": 2, "improved_outputs": 1,
        "enterprises_innovating": 3, "innovative_startups": 2,
        "orders_registered": 5, "orders_decided": 3, "orders_decided_share": 0.6,
        "state_budget_committed": 1_700_000_000, "counterpart_committed": 1_000_000_000, "other_committed": 50_000_000,
        "non_state_committed": 1_050_000_000, "non_state_per_state_dong": 0.6176,
        "state_budget_paid": 1_200_000_000, "counterpart_paid": 600_000_000, "other_paid": 0,
        "state_budget_paid_per_output": 400_000_000,
        "results": 1, "revenue": 0, "orders_delivered": 2, "orders_delivered_commercialized": 2,
        "commercialization_share": 1, "revenue_per_state_dong": 0,
        "median_days_ordered_to_funded": 30, "median_days_funded_to_delivered": 197.5,
        "median_days_delivered_to_commercialized": 61, "orders_past_contract_end": 0,
    ]
    /// The 2025 indicators with no value: no accepted output of 2025 has a due date.
    static let none2025: Set<String> = ["outputs_accepted_on_time_share"]

    static func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

    @Test func indicatorsAsJSON() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.build(cli)
        let out = try cli.ok(["report", "indicators", "--year", "2025", "--json"])
        let report = try out.object()
        #expect(report["province"] is NSNull)
        #expect(report["year"] as? Int == 2025)
        let indicators = try #require(report["indicators"] as? [[String: Any]])
        #expect(Set(indicators.compactMap { $0["key"] as? String }) == Set(Self.expected2025.keys).union(Self.none2025))
        for i in indicators {
            let key = i["key"] as? String ?? ""
            #expect(Self.number(i["value"]) == Self.expected2025[key], "\(key)")
            #expect(i["label"] is String)
        }
        let byKey = Dictionary(uniqueKeysWithValues: indicators.map { ($0["key"] as? String ?? "", $0) })
        #expect(Self.number(byKey["new_or_improved_outputs"]?["target"]) == 1020)
        #expect(byKey["new_or_improved_outputs"]?["met"] as? Bool == false)
        #expect(Self.number(byKey["orders_decided_share"]?["target"]) == 0.8)
        #expect(byKey["revenue"]?["target"] is NSNull)
        #expect(byKey["revenue"]?["met"] is NSNull)
        // Ratios are exact decimals in the JSON text itself, never binary-float noise.
        #expect(out.stdout.contains("\"value\": 0.6176,"))
        #expect(out.stdout.contains("\"value\": 0.6,"))
        #expect(out.stdout.contains("\"value\": 197.5,"))
        #expect(!out.stdout.contains("0000000001"))
        let byField = try #require(report["by_field"] as? [[String: Any]])
        #expect(byField.map { $0["field"] as? String } == ["science", "innovation", "digital"])
    }

    @Test func oneProvinceASpanAndCSV() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.build(cli)
        let hn = try cli.ok(["report", "indicators", "--province", "HA NOI", "--year", "2025", "--json"]).object()
        #expect(hn["province"] as? String == "Hà Nội")
        let hnIndicators = Dictionary(
            uniqueKeysWithValues: (hn["indicators"] as? [[String: Any]] ?? []).map {
                ($0["key"] as? String ?? "", $0)
            })
        #expect(Self.number(hnIndicators["orders_decided_share"]?["value"]) == 0.5)
        #expect(Self.number(hnIndicators["new_or_improved_outputs"]?["target"]) == 30)

        let span = try cli.ok(["report", "indicators", "--from", "2025", "--to", "2026", "--json"]).object()
        let years = try #require(span["years"] as? [[String: Any]])
        #expect(years.map { $0["year"] as? Int } == [2025, 2026])
        let y2026 = Dictionary(
            uniqueKeysWithValues: (years[1]["indicators"] as? [[String: Any]] ?? []).map {
                ($0["key"] as? String ?? "", $0)
            })
        #expect(Self.number(y2026["revenue"]?["value"]) == 3_600_000_000)
        #expect(Self.number(y2026["revenue_per_state_dong"]?["value"]) == 24)
        #expect(Self.number(y2026["enterprises_innovating"]?["value"]) == 2)
        #expect(y2026["orders_decided_share"]?["value"] is NSNull)
        #expect(y2026["orders_decided_share"]?["met"] is NSNull)

        let csv = try cli.ok(["report", "indicators", "--year", "2025", "--csv"]).stdout.split(separator: "\n")
        #expect(csv.first == "field,key,label,value,target,met")
        #expect(
            csv.contains(
                ",orders_decided_share,Orders decided within the year (proxy for the 80 % processing target),0.6,0.8,false"
            ))
        #expect(csv.contains(",state_budget_committed,State budget committed,1700000000,,"))
        #expect(csv.contains("digital,orders_registered,Orders registered,2,,"))
        #expect(csv.count == 1 + 28 * 4)
        let spanCSV = try cli.ok(["report", "indicators", "--from", "2025", "--to", "2026", "--csv"]).stdout.split(
            separator: "\n")
        #expect(spanCSV.first == "field,key,label,target,2025,met_2025,2026,met_2026")
        #expect(spanCSV.contains(",results,Commercialization results,,1,,2,"))

        let text = try cli.ok(["report", "indicators", "--province", "19", "--year", "2025"]).stdout
        #expect(text.contains("Indicators 2025 · Thái Nguyên · all fields"))
        #expect(text.contains("proxy"))
        #expect(text.contains("By field, 2025"))
    }

    @Test func provincesSortedAnyWay() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.build(cli)
        let rows = try cli.ok(["report", "provinces", "--year", "2025", "--json"]).array()
        #expect(rows.count == 34)
        let hn = try #require(rows.first { $0["province"] as? String == "Hà Nội" })
        #expect(Self.number(hn["new_or_improved_outputs"]) == 1)
        #expect(Self.number(hn["orders_registered"]) == 2)
        #expect(Self.number(hn["orders_decided_share"]) == 0.5)
        #expect(Self.number(hn["state_budget_committed"]) == 300_000_000)
        #expect(Self.number(hn["targets_met"]) == 0)
        let ct = try #require(rows.first { $0["province"] as? String == "Cần Thơ" })
        #expect(Self.number(ct["targets_met"]) == 1)
        #expect(Set(hn.keys).isSuperset(of: Set(Self.expected2025.keys).union(["province", "targets_met"])))

        let sorted = try cli.ok([
            "report", "provinces", "--year", "2025", "--sort", "orders_decided_share", "--descending",
            "--json",
        ]).array()
        #expect(sorted.prefix(3).map { $0["province"] as? String } == ["Cần Thơ", "Hà Nội", "Thái Nguyên"])
        let csv = try cli.ok([
            "report", "provinces", "--year", "2025", "--sort", "state_budget_committed", "--descending",
            "--csv",
        ]).stdout.split(separator: "\n")
        #expect(csv.count == 35)
        #expect(csv[1].hasPrefix("Thái Nguyên,19,2025,2,"))
        let table = try cli.ok(["report", "provinces", "--year", "2025", "--sort", "targets_met", "--descending"])
            .stdout
        #expect(table.split(separator: "\n").dropFirst(2).first?.hasPrefix("Cần Thơ") == true)
    }

    @Test func targetsSetListAndRefusals() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.build(cli)
        let defaults = try cli.ok(["target", "list", "--json"]).array()
        #expect(
            defaults.map { $0["key"] as? String } == [
                "new_or_improved_outputs", "enterprises_innovating",
                "innovative_startups", "orders_decided_share",
            ])
        #expect(defaults.map { Self.number($0["value"]) } == [30, 100, 5, 0.8])
        #expect(defaults.allSatisfy { $0["province"] is NSNull })

        let before = try cli.dump()
        for bad in [
            ["target", "set", "doanh_thu", "5"],
            ["target", "set", "new_or_improved_outputs", "--", "-3"],
            ["target", "set", "new_or_improved_outputs", "2.5"],
            ["target", "set", "orders_decided_share", "80"],
            ["target", "set", "orders_decided_share", "120%"],
            ["target", "set", "innovative_startups", "3", "--province", "Atlantis"],
            ["target", "set", "innovative_startups", "3", "--province", "Bình Dương"],
            ["report", "indicators", "--from", "2026", "--to", "2025"],
            ["report", "indicators", "--province", "Mars", "--year", "2025"],
            ["report", "provinces", "--year", "2025", "--sort", "doanh_thu"],
        ] {
            let message = try cli.refused(bad)
            #expect(!message.lowercased().contains("sqlite"))
        }
        #expect(try cli.dump() == before)
        #expect(
            try cli.refused(["target", "set", "doanh_thu", "5"]).contains("expected one of new_or_improved_outputs"))
        #expect(try cli.refused(["target", "set", "orders_decided_share", "80"]).contains("80%"))

        try cli.ok(["target", "set", "new_or_improved_outputs", "1", "--province", "Hà Nội"])
        try cli.ok(["target", "set", "orders_decided_share", "50%"])
        let forHN = try cli.ok(["target", "list", "--province", "01", "--json"]).array()
        #expect(forHN.map { Self.number($0["value"]) } == [1, 100, 5, 0.5])
        #expect(forHN.first?["province"] as? String == "Hà Nội")
        let hn = try cli.ok(["report", "provinces", "--year", "2025", "--json"]).array().first {
            $0["province"] as? String == "Hà Nội"
        }
        // Its own outputs target (1) and the national share target (50 %) are now met.
        #expect(Self.number(hn?["targets_met"]) == 2)
        let history = try cli.ok(["target", "list", "--history", "--json"]).array()
        #expect(history.count == 6)
        #expect(history.suffix(2).map { $0["province"] as? String } == ["Hà Nội", nil])
        #expect(history.suffix(2).allSatisfy { $0["set_by"] as? String == "kiểm thử" })
        let text = try cli.ok(["target", "list"]).stdout
        #expect(text.contains("national default"))
        #expect(text.contains("Hà Nội"))
    }

    @Test func htmlHasEverySectionAndNoExternalResource() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.build(cli)
        // A title with markup in it is shown as text, never as markup.
        for step in [
            [
                "order", "register", "--enterprise", "4601234560", "--title",
                "Mô hình <script>alert(1)</script> & \"AI\"",
                "--field", "digital", "--code", "X1", "--date", "2025-02-01",
            ],
            [
                "output", "add", "X1", "--title", "Mô hình", "--type", "model", "--novelty", "new", "--value",
                "1000000",
                "--date", "2025-02-01",
            ],
            ["order", "fund", "X1", "--state-budget", "1000000", "--date", "2025-02-02"],
            ["output", "accept", "X1", "1", "--date", "2025-02-03"],
            ["order", "commercialize", "X1", "--channel", "sale", "--revenue", "5000000", "--date", "2025-02-04"],
        ] {
            try cli.ok(step)
        }
        let file = cli.directory.appendingPathComponent("bao-cao.html").path
        let out = try cli.ok(["report", "html", "--year", "2025", "--output", file, "--json"]).object()
        #expect(out["output"] as? String == file)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(Self.number(out["bytes"]) == Double(html.utf8.count))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"vi\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        for id in ["targets", "indicators", "funnel", "money", "map", "trend", "fields", "results"] {
            #expect(html.contains("<section id=\"\(id)\">"), "section \(id)")
        }
        #expect(html.contains("<svg"))
        #expect(html.contains("@media print"))
        // The sections sit in `<main class="dashboard">` and their rules are scoped to it: the
        // server's live page shows the same content (DashboardHTML.content) in its own layout.
        #expect(html.contains("<main class=\"dashboard\">"))
        #expect(html.contains(".dashboard section, .dashboard footer {"))
        #expect(html.contains("Thành phố Hồ Chí Minh") == false)  // no HCMC orders registered in 2025
        #expect(html.contains("Cần Thơ"))
        #expect(html.contains("Nền tảng số truy xuất nguồn gốc"))  // the year's one result
        #expect(html.contains("1.701.000.000"))  // the state budget committed in 2025, with X1's
        #expect(html.contains("Mô hình &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;AI&quot;"))
        for forbidden in ["http://", "https://", "<script", "<link", "@import", "url(", "src="] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        // One province, and a refusal for a directory.
        let tn = cli.directory.appendingPathComponent("tn.html").path
        try cli.ok(["report", "html", "--year", "2026", "--province", "thai nguyen", "--output", tn])
        let tnHTML = try String(contentsOfFile: tn, encoding: .utf8)
        #expect(tnHTML.contains("Thái Nguyên"))
        #expect(tnHTML.contains("3.000.000.000"))
        #expect(
            try cli.refused(["report", "html", "--year", "2025", "--output", cli.directory.path]).contains("directory"))
    }
}
