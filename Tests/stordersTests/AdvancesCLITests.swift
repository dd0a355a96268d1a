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
        let told = try cli.refused([
            "advance", "pay", nano, "--amount", "50.000.000", "--reference", "UNC 0901/KBNN-HCM", "--date",
            "2026-09-01",
        ])
        #expect(
            told
                == "Error: no advance may be made on order \(nano): the database sets no advance limit (the share of an order's state budget that may be advanced); it must be set first; set it with `storders advance-limit set SHARE` (e.g. 30%, the share the office's regulations give)\n"
        )
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

    /// The same four figures in the indicators' CSV and in `report provinces` (table, JSON, CSV),
    /// checked against sums of the rows made here with SQL, with zeros for a province without.
    @Test func theReportsShowTheAdvancesInEveryFormat() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let nano = "79-2025-0001"
        try cli.ok(["advance-limit", "set", "12.5%"])
        try cli.ok([
            "advance", "pay", nano, "--amount", "80.000.000", "--reference", "UNC 0901/KBNN-HCM – tạm ứng đợt 1",
            "--date", "2026-09-01",
        ])
        try cli.ok(["payment", "record", nano, "--output", "1", "--amount", "50.000.000", "--date", "2026-09-10"])

        // The figures of 2026 by province, summed from the rows (today is 2026-09-15).
        let sums = try cli.sql(
            """
            SELECT o.province_code,
              coalesce((SELECT sum(amount) FROM advances v JOIN orders w ON w.id = v.order_id
                WHERE w.province_code = o.province_code AND kind = 'advance' AND made_on LIKE '2026-%'), 0),
              coalesce((SELECT sum(settled) FROM payments p JOIN orders w ON w.id = p.order_id
                WHERE w.province_code = o.province_code AND paid_on LIKE '2026-%'), 0),
              coalesce((SELECT sum(amount) FROM advances v JOIN orders w ON w.id = v.order_id
                WHERE w.province_code = o.province_code AND kind = 'recovery' AND made_on LIKE '2026-%'), 0),
              coalesce((SELECT sum(CASE kind WHEN 'advance' THEN amount ELSE -amount END) FROM advances v
                JOIN orders w ON w.id = v.order_id WHERE w.province_code = o.province_code), 0)
              - coalesce((SELECT sum(settled) FROM payments p JOIN orders w ON w.id = p.order_id
                WHERE w.province_code = o.province_code), 0)
            FROM orders o GROUP BY o.province_code ORDER BY o.province_code
            """)
        let byCode = Dictionary(
            uniqueKeysWithValues: sums.split(separator: "\n").map { line in
                let cells = line.split(separator: "|").map(String.init)
                return (cells[0], cells.dropFirst().compactMap { Int($0) })
            })
        #expect(byCode["79"] == [80_000_000, 50_000_000, 0, 30_000_000])
        #expect(byCode["01"] == [0, 0, 0, 0])

        // The indicators' CSV: one row per figure after the others, no target.
        let hcmc = try cli.ok(["report", "indicators", "--province", "HCMC", "--year", "2026", "--csv"]).stdout
        #expect(
            hcmc.hasSuffix(
                """
                ,state_budget_advanced,State budget advanced (tạm ứng),80000000,,
                ,advances_settled,Advances settled by payments,50000000,,
                ,advances_recovered,Advances recovered,0,,
                ,advances_outstanding,Advances outstanding at the year's end,30000000,,

                """))
        // A province without advances: zeros, not missing.
        let hanoi = try cli.ok(["report", "indicators", "--province", "Hà Nội", "--year", "2026", "--csv"]).stdout
        #expect(hanoi.hasSuffix(",advances_outstanding,Advances outstanding at the year's end,0,,\n"))
        #expect(hanoi.split(separator: "\n").filter { $0.contains(",advances_") }.count == 3)
        // Over years: the target's column empty, then each year's value and an empty met.
        let span = try cli.ok(["report", "indicators", "--province", "79", "--from", "2025", "--to", "2026", "--csv"])
            .stdout
        #expect(span.hasPrefix("field,key,label,target,2025,met_2025,2026,met_2026\n"))
        #expect(span.hasSuffix(",advances_outstanding,Advances outstanding at the year's end,,0,,30000000,\n"))
        #expect(span.contains("\n,state_budget_advanced,State budget advanced (tạm ứng),,0,,80000000,\n"))

        // `report provinces`: every province's four figures, the SQL's or zeros.
        let rows = try cli.ok(["report", "provinces", "--year", "2026", "--json"]).array()
        #expect(rows.count == 34)
        let keys = ["state_budget_advanced", "advances_settled", "advances_recovered", "advances_outstanding"]
        for row in rows {
            let code = try #require(row["province_code"] as? String)
            #expect(keys.map { row[$0] as? Int } == (byCode[code] ?? [0, 0, 0, 0]), "\(code)")
        }
        let csv = try cli.ok(["report", "provinces", "--year", "2026", "--csv"]).stdout.split(separator: "\n")
        #expect(csv.count == 35)
        #expect(csv[0].hasSuffix(",\(keys.joined(separator: ",")),targets_met"))
        #expect(
            csv.contains {
                $0.hasPrefix("Thành phố Hồ Chí Minh,79,2026,") && $0.hasSuffix(",80000000,50000000,0,30000000,0")
            })
        let sorted = try cli.ok([
            "report", "provinces", "--year", "2026", "--sort", "advances_outstanding", "--descending",
        ])
        .stdout.split(separator: "\n")
        #expect(sorted[0].contains("ADV. OUTSTANDING"))
        #expect(sorted[2].hasPrefix("Thành phố Hồ Chí Minh") && sorted[2].contains("30.000.000"))

        // Recovered: the year's figures move, what is outstanding is 0.
        try cli.ok(["advance", "recover", nano, "--reason", "Doanh nghiệp nộp trả", "--date", "2026-09-11"])
        let after = try cli.ok(["report", "provinces", "--year", "2026", "--json"]).array()
            .first { $0["province_code"] as? String == "79" }
        #expect(keys.map { after?[$0] as? Int } == [80_000_000, 50_000_000, 30_000_000, 0])
    }
}
