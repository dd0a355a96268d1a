import Foundation
import Testing

/// The seed article's story, run through the built binary as a user would, read back with --json.
@Suite("seed story end to end")
struct SeedStoryTests {
    @Test func anEnterpriseInThaiNguyenOrdersIsFundedDeliversIsPaidAndCommercializes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let created = try cli.ok(["init", "--json"]).object()
        #expect(created["created"] as? Bool == true)

        let enterprise = try cli.ok([
            "enterprise", "add", "--name", "Công ty TNHH Quang học Yên Bình",
            "--tax-code", "46.0123.4560", "--province", "thai nguyen", "--json",
        ]).object()
        #expect(enterprise["tax_code"] as? String == "4601234560")
        #expect(enterprise["province"] as? String == "Thái Nguyên")

        let order = try cli.ok([
            "order", "register", "--enterprise", "4601234560", "--field", "innovation",
            "--title", "Cải tiến quy trình sản xuất mô-đun camera", "--date", "2026-01-15", "--json",
        ]).object()
        #expect(order["code"] as? String == "19-2026-0001")
        #expect(order["state"] as? String == "ordered")
        #expect(order["province"] as? String == "Thái Nguyên")
        #expect(order["enterprise_tax_code"] as? String == "4601234560")
        #expect(order["ordered_on"] as? String == "2026-01-15")
        #expect(order["field"] as? String == "innovation")

        let human = try cli.ok([
            "output", "add", "19-2026-0001", "--title", "Quy trình sản xuất mô-đun camera cải tiến",
            "--type", "model", "--novelty", "improved", "--value", "1,200,000,000", "--date", "2026-01-15",
        ])
        #expect(human.stdout.contains("Added output 1 to order 19-2026-0001"))
        let second = try cli.ok([
            "output", "add", "19-2026-0001", "--title", "Dây chuyền kiểm tra quang học",
            "--type", "product", "--novelty", "new", "--value", "800.000.000", "--date", "2026-01-15", "--json",
        ]).object()
        #expect(second["number"] as? Int == 2)
        #expect(second["value"] as? Int == 800_000_000)

        let funded = try cli.ok([
            "order", "fund", "19-2026-0001", "--state-budget", "1.200.000.000",
            "--enterprise-funds", "900_000_000", "--date", "2026-02-01", "--json",
        ]).object()
        #expect(funded["state"] as? String == "funded")
        let funding = try #require(funded["funding"] as? [String: Any])
        #expect(funding["total"] as? Int == 2_100_000_000)
        #expect(funding["state_budget"] as? Int == 1_200_000_000)

        let accepted = try cli.ok([
            "output", "accept", "19-2026-0001", "1", "--evidence", "Biên bản nghiệm thu số 12",
            "--date", "2026-06-10", "--json",
        ]).object()
        #expect(accepted["accepted_on"] as? String == "2026-06-10")
        #expect(accepted["order_state"] as? String == "funded")
        let payment = try cli.ok([
            "payment", "record", "19-2026-0001", "--output", "1", "--amount", "1.200.000.000",
            "--reference", "UNC 0142/KBNN", "--date", "2026-06-20", "--json",
        ]).object()
        #expect(payment["number"] as? Int == 1)
        #expect(payment["amount"] as? Int == 1_200_000_000)
        #expect(payment["source"] as? String == "state")
        let delivered = try cli.ok(["output", "accept", "19-2026-0001", "2", "--date", "2026-07-01"])
        #expect(delivered.stdout.contains("now delivered"))
        try cli.ok([
            "payment", "record", "19-2026-0001", "--output", "2", "--amount", "800000000", "--source", "enterprise",
            "--date", "2026-07-05",
        ])
        let result = try cli.ok([
            "order", "commercialize", "19-2026-0001", "--channel", "sale", "--revenue", "4.500.000.000",
            "--note", "Hợp đồng với đối tác xuất khẩu", "--date", "2026-09-01", "--json",
        ]).object()
        #expect(result["order_state"] as? String == "commercialized")

        let shown = try cli.ok(["order", "show", "19-2026-0001", "--json"]).object()
        #expect(shown["state"] as? String == "commercialized")
        #expect(shown["paid_total"] as? Int == 2_000_000_000)
        let outputs = try #require(shown["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["number"] as? Int } == [1, 2])
        #expect(outputs.map { $0["paid"] as? Int } == [1_200_000_000, 800_000_000])
        #expect(outputs.map { $0["accepted_on"] as? String } == ["2026-06-10", "2026-07-01"])
        #expect(outputs.first?["novelty"] as? String == "improved")
        #expect((shown["payments"] as? [Any])?.count == 2)
        #expect((shown["results"] as? [Any])?.count == 1)
        let events = try #require(shown["events"] as? [[String: Any]])
        #expect(
            events.map { $0["action"] as? String } == [
                "registered", "output_added", "output_added", "funded",
                "output_accepted", "payment_recorded", "output_accepted",
                "delivered", "payment_recorded", "commercialized",
            ])

        let results = try cli.ok(["results", "list", "--province", "Thái Nguyên", "--year", "2026", "--json"]).array()
        #expect(results.count == 1)
        let r = try #require(results.first)
        #expect(r["order_code"] as? String == "19-2026-0001")
        #expect(r["order_title"] as? String == "Cải tiến quy trình sản xuất mô-đun camera")
        #expect(r["enterprise_name"] as? String == "Công ty TNHH Quang học Yên Bình")
        #expect(r["enterprise_tax_code"] as? String == "4601234560")
        #expect(r["province"] as? String == "Thái Nguyên")
        #expect(r["field"] as? String == "innovation")
        #expect(r["channel"] as? String == "sale")
        #expect(r["revenue"] as? Int == 4_500_000_000)
        #expect(r["commercialized_on"] as? String == "2026-09-01")
        #expect(r["state_budget_paid"] as? Int == 1_200_000_000)
        #expect(r["outputs"] as? Int == 2)
        #expect(try cli.ok(["results", "list", "--year", "2025", "--json"]).array().isEmpty)
        #expect(try cli.ok(["results", "list", "--province", "hcmc", "--json"]).array().isEmpty)

        let history = try cli.ok(["history", "19-2026-0001", "--json"]).array()
        #expect(history.count == 10)
        #expect(history.allSatisfy { $0["actor"] as? String == "kiểm thử" })
        #expect(history.first?["date"] as? String == "2026-01-15")
        let table = try cli.ok(["history", "19-2026-0001"]).stdout
        #expect(table.contains("payment_recorded") && table.contains("kiểm thử"))
    }

    @Test func demoFillsADatabaseAndShowsItsResults() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let first = try cli.ok(["demo"])
        #expect(first.stdout.contains("19-2025-0001"))
        #expect(first.stdout.contains("Công ty TNHH Quang học Yên Bình"))
        let again = try cli.ok(["demo"])
        #expect(again.stdout.contains("already holds the demo"))
        let results = try cli.ok(["results", "list", "--json"]).array()
        #expect(results.count == 4)
        let orders = try cli.ok(["order", "list", "--json"]).array()
        #expect(
            Set(orders.compactMap { $0["state"] as? String }) == ["ordered", "funded", "commercialized", "cancelled"])
        #expect(Set(orders.compactMap { $0["province"] as? String }).count == 5)
        let funded = try cli.ok(["order", "list", "--state", "funded", "--province", "TP.HCM", "--json"]).array()
        #expect(funded.map { $0["code"] as? String } == ["79-2025-0001"])
    }
}
