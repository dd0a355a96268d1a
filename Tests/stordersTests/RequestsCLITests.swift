import Foundation
import Testing

/// `storders request` on the demo, as a user runs it (docs/requests.md): each subcommand's output
/// and exit status, the list in its three formats, `order show` and the inbox, and refusals that
/// change nothing.
@Suite struct RequestsCLITests {
    @Test func payApproveDisburseReturnAndListOnTheDemo() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let nano = "79-2025-0001"

        let made = try cli.ok([
            "request", "pay", nano, "--output", "1", "--amount", "200.000.000", "--source", "enterprise", "--date",
            "2026-09-01",
        ])
        #expect(
            made.stdout
                == "Recorded payment request 1 of order 79-2025-0001: 200.000.000 đồng from enterprise against output 1, on 2026-09-01; it waits for an officer's decision.\n"
        )
        // A second request may not take more than the 100 million that remain of output 1.
        let before = try cli.dump()
        let message = try cli.refused([
            "request", "pay", nano, "--output", "1", "--amount", "150.000.000", "--source", "state", "--date",
            "2026-09-02",
        ])
        #expect(message.contains("100.000.000 đồng (after 200.000.000 đồng held by open payment requests)"))
        #expect(try cli.dump() == before)
        try cli.ok(["request", "pay", nano, "--output", "1", "--amount", "100.000.000", "--date", "2026-09-02"])

        let inbox = try cli.ok(["inbox", "--as-of", "2026-09-15", "--json"]).array()
        let requests = inbox.filter { $0["kind"] as? String == "payment_request" }
        #expect(requests.map { $0["number"] as? Int } == [1, 2])
        #expect(requests.first?["days_waited"] as? Int == 14)
        #expect(
            requests.first?["subject"] as? String
                == "payment request 1 to decide: 200.000.000 đồng from enterprise against output 1")

        let approved = try cli.ok(["request", "approve", nano, "1", "--date", "2026-09-05", "--json"]).object()
        #expect(approved["state"] as? String == "approved" && approved["approved_on"] as? String == "2026-09-05")
        #expect(approved["order_code"] as? String == nano)
        let disbursed = try cli.ok([
            "request", "disburse", nano, "1", "--reference", "UNC 0905/KBNN-HCM", "--date", "2026-09-06",
        ])
        #expect(
            disbursed.stdout
                == "Disbursed payment request 1 of order 79-2025-0001 on 2026-09-06: payment 2 of 200.000.000 đồng from enterprise against output 1, reference UNC 0905/KBNN-HCM.\n"
        )
        let returned = try cli.ok([
            "request", "return", nano, "2", "--reason", "Thiếu hóa đơn GTGT", "--date", "2026-09-07",
        ])
        #expect(
            returned.stdout == "Returned payment request 2 of order 79-2025-0001 on 2026-09-07: Thiếu hóa đơn GTGT\n")

        // Each refusal: one Error: line, exit 1, nothing changed.
        let unchanged = try cli.dump()
        #expect(
            try cli.refused(["request", "approve", nano, "2", "--date", "2026-09-08"]).contains(
                "payment request 2 of order 79-2025-0001 is returned; approve needs requested"))
        #expect(
            try cli.refused(["request", "disburse", nano, "9", "--reference", "X", "--date", "2026-09-08"]).contains(
                "order 79-2025-0001 has no payment request 9: its payment requests are numbered 1 to 2"))
        let json = try cli.run(["request", "approve", nano, "9", "--date", "2026-09-08", "--json"])
        #expect(json.status == 1 && (json.stdout + json.stderr).contains("unknown_payment_request"))
        #expect(try cli.dump() == unchanged)
        // A usage error: no number.
        #expect(try cli.run(["request", "approve", nano]).status == 64)

        // The list, in its three formats.
        let list = try cli.ok(["request", "list", "--json"]).array()
        #expect(list.map { $0["state"] as? String } == ["paid", "returned"])
        #expect(
            list.first?["payment_number"] as? Int == 2 && list.first?["reference"] as? String == "UNC 0905/KBNN-HCM")
        #expect(list.last?["return_reason"] as? String == "Thiếu hóa đơn GTGT")
        let csv = try cli.ok(["request", "list", "--csv", "--state", "returned"]).stdout
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("order_code,number,output_number,amount,source"))
        #expect(lines[1].contains("Thiếu hóa đơn GTGT"))
        let table = try cli.ok(["request", "list", "--province", "HCMC"]).stdout
        #expect(table.contains("ORDER") && table.contains("200.000.000") && table.contains("paid"))
        #expect(try cli.ok(["request", "list", "--province", "da nang"]).stdout == "No payment requests.\n")

        let show = try cli.ok(["order", "show", nano]).stdout
        #expect(show.contains("Payment requests (2)"))
        #expect(show.contains("paid 2026-09-06") && show.contains("payment 2, UNC 0905/KBNN-HCM"))
        let detail = try cli.ok(["order", "show", nano, "--json"]).object()
        #expect((detail["payment_requests"] as? [[String: Any]])?.count == 2)
        #expect(try cli.ok(["verify"]).status == 0)
    }
}
