import Foundation
import Testing

/// `storders advance` and `storders advance-limit` on the demo, as a user runs them
/// (docs/advances.md): each subcommand's output and exit status, the list in its three formats,
/// `order show`, the inbox, export and restore, and refusals that change nothing.
@Suite struct AdvancesCLITests {
    @Test func limitAdvanceSettleRecoverAndListOnTheDemo() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let nano = "79-2025-0001"

        // No limit: no advance, one Error: line, nothing changed.
        #expect(try cli.ok(["advance-limit"]).stdout == "No advance limit is set: no advance may be made.\n")
        var before = try cli.dump()
        let unset = try cli.run([
            "advance", "pay", nano, "--amount", "50.000.000", "--reference", "UNC 0901/KBNN-HCM", "--date",
            "2026-09-01", "--json",
        ])
        #expect(unset.status == 1 && (unset.stdout + unset.stderr).contains("advance_limit_unset"))
        #expect(try cli.dump() == before)

        #expect(
            try cli.ok(["advance-limit", "set", "12.5%"]).stdout
                == "Advance limit: 12.5% of an order's state budget.\n")
        let limit = try cli.ok(["advance-limit", "show", "--json"]).array()
        #expect(limit.first?["share"] as? String == "12.5%" && limit.first?["share_basis_points"] as? Int == 1250)
        #expect(try cli.run(["advance-limit", "set", "30"]).status != 0)

        // 12.5 % of the 700 million state budget: 87.500.000.
        before = try cli.dump()
        let over = try cli.refused([
            "advance", "pay", nano, "--amount", "90.000.000", "--reference", "UNC 0901/KBNN-HCM", "--date",
            "2026-09-01",
        ])
        #expect(over.contains("87.500.000 đồng (the limit is 12.5% of its state budget, 87.500.000 đồng"))
        #expect(try cli.dump() == before)
        let made = try cli.ok([
            "advance", "pay", nano, "--amount", "80.000.000", "--reference", "UNC 0901/KBNN-HCM – tạm ứng đợt 1",
            "--date", "2026-09-01",
        ])
        #expect(
            made.stdout
                == "Recorded advance 1 of order 79-2025-0001: 80.000.000 đồng of the state budget, reference UNC 0901/KBNN-HCM – tạm ứng đợt 1, on 2026-09-01; later state payments settle it first.\n"
        )
        let inbox = try cli.ok(["inbox", "--as-of", "2026-09-15", "--json"]).array()
        let advances = inbox.filter { $0["kind"] as? String == "advance" }
        #expect(advances.count == 1 && advances.first?["days_waited"] as? Int == 14)
        #expect(advances.first?["subject"] as? String == "advances to settle: 80.000.000 đồng outstanding")

        // A state payment settles 50 of the 80 million; the rest is recovered.
        let paid = try cli.ok([
            "payment", "record", nano, "--output", "1", "--amount", "50.000.000", "--date", "2026-09-10", "--json",
        ]).object()
        #expect(paid["settled"] as? Int == 50_000_000)
        before = try cli.dump()
        #expect(
            try cli.refused([
                "advance", "recover", nano, "--amount", "40.000.000", "--reason", "Hoàn trả", "--date", "2026-09-11",
            ])
            .contains(
                "a recovery of 40.000.000 đồng is more than what is outstanding of the advances of order 79-2025-0001: 30.000.000 đồng"
            ))
        #expect(
            try cli.refused(["order", "cancel", nano, "--reason", "Dừng", "--date", "2026-09-11"]).contains(
                "order 79-2025-0001 has 30.000.000 đồng of advances outstanding; cancel needs them settled by payments or recovered first"
            ))
        #expect(try cli.dump() == before)
        let recovered = try cli.ok([
            "advance", "recover", nano, "--reason", "Doanh nghiệp hoàn trả phần tạm ứng chưa thanh toán", "--reference",
            "GNT 0911/KBNN-HCM", "--date", "2026-09-11",
        ])
        #expect(
            recovered.stdout
                == "Recorded recovery 2 of order 79-2025-0001: 30.000.000 đồng of its advances returned, on 2026-09-11: Doanh nghiệp hoàn trả phần tạm ứng chưa thanh toán\n"
        )

        // The list, in its three formats.
        let list = try cli.ok(["advance", "list", "--json"]).array()
        #expect(list.map { $0["kind"] as? String } == ["advance", "recovery"])
        #expect(list.allSatisfy { $0["order_outstanding"] as? Int == 0 })
        let csv = try cli.ok(["advance", "list", "--csv"]).stdout.split(separator: "\n")
        #expect(csv.count == 3 && csv[0].hasPrefix("order_code,number,kind,made_on,amount,reference"))
        #expect(csv[2].contains("Doanh nghiệp hoàn trả phần tạm ứng chưa thanh toán"))
        #expect(try cli.ok(["advance", "list", "--outstanding"]).stdout == "No advances.\n")
        let table = try cli.ok(["advance", "list", "--province", "HCMC"]).stdout
        #expect(table.contains("OUTSTANDING") && table.contains("80.000.000") && table.contains("recovery"))

        let show = try cli.ok(["order", "show", nano]).stdout
        #expect(show.contains("Advances (2)"))
        #expect(
            show.contains(
                "Advanced 80.000.000 đồng · settled 50.000.000 đồng · recovered 30.000.000 đồng · outstanding 0 đồng"))
        #expect(show.contains("settles 50.000.000 of advances"))
        let detail = try cli.ok(["order", "show", nano, "--json"]).object()
        let balance = detail["advance_balance"] as? [String: Any]
        #expect(balance?["advanced"] as? Int == 80_000_000 && balance?["outstanding"] as? Int == 0)
        #expect((detail["advances"] as? [[String: Any]])?.count == 2)
        #expect(try cli.ok(["advance-limit", "show", "--history", "--csv"]).stdout.split(separator: "\n").count == 2)
        #expect(try cli.ok(["verify"]).status == 0)
    }
}
