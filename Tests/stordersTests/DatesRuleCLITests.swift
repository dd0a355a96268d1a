import Foundation
import Testing

/// The dates rule and the CLI's hints, run as a user would: each refusal is one exact line and
/// changes nothing.
@Suite("storders: dates follow the lifecycle")
struct DatesRuleCLITests {
    /// An order registered on 2026-03-02 whose output is added on 2026-03-20.
    static func makeOrder(_ cli: CLI) throws {
        try cli.ok(["init"])
        try cli.ok([
            "enterprise", "add", "--name", "Công ty TNHH Quang học Yên Bình", "--tax-code", "4601234560",
            "--province", "Thái Nguyên", "--date", "2026-03-01",
        ])
        try cli.ok([
            "order", "register", "--enterprise", "4601234560", "--title", "Máy đo phổ cầm tay",
            "--field", "science", "--code", "TN-2026-001", "--date", "2026-03-02",
        ])
        try cli.ok([
            "output", "add", "TN-2026-001", "--title", "Nguyên mẫu máy đo phổ", "--type", "product",
            "--novelty", "new", "--value", "500.000.000", "--date", "2026-03-20",
        ])
    }

    @Test func aFundingDatedBeforeAnOutputWasAddedIsRefused() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.makeOrder(cli)
        let before = try cli.dump()
        let message = try cli.refused([
            "order", "fund", "TN-2026-001", "--state-budget", "500.000.000", "--date", "2026-03-15",
        ])
        #expect(
            message
                == "Error: funding date 2026-03-15 is before the addition of output 1 on 2026-03-20; it must be 2026-03-20 or later\n"
        )
        #expect(try cli.dump() == before)
        try cli.ok(["order", "fund", "TN-2026-001", "--state-budget", "500.000.000", "--date", "2026-03-20"])
        try cli.ok(["verify"])
    }

    @Test func aCancellationDatedBeforeAnAcceptanceIsRefused() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.makeOrder(cli)
        try cli.ok([
            "output", "add", "TN-2026-001", "--title", "Phần mềm phân tích phổ", "--type", "service",
            "--novelty", "improved", "--value", "200.000.000", "--date", "2026-03-21",
        ])
        try cli.ok(["order", "fund", "TN-2026-001", "--state-budget", "700.000.000", "--date", "2026-04-01"])
        try cli.ok([
            "output", "accept", "TN-2026-001", "1", "--evidence", "Biên bản nghiệm thu", "--date", "2026-06-10",
        ])
        let before = try cli.dump()
        let message = try cli.refused([
            "order", "cancel", "TN-2026-001", "--reason", "Doanh nghiệp rút đơn",
            "--date", "2026-05-01",
        ])
        #expect(
            message
                == "Error: cancellation date 2026-05-01 is before the acceptance of output 1 on 2026-06-10; it must be 2026-06-10 or later\n"
        )
        #expect(try cli.dump() == before)
    }

    /// The library's message is interface-neutral; the CLI adds the flags that help.
    @Test func theCLIAddsItsOwnHintToTheLibrarysMessage() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try Self.makeOrder(cli)
        let before = try cli.dump()
        #expect(
            try cli.refused(["order", "fund", "TN-2026-001", "--date", "2026-04-01"])
                == "Error: no funding given for order TN-2026-001; fund needs an amount from at least one source (state budget, enterprise funds, other); pass --state-budget, --enterprise-funds and/or --other with --other-source\n"
        )
        #expect(
            try cli.refused([
                "order", "register", "--enterprise", "0100233488", "--title", "Nền tảng số",
                "--field", "digital", "--date", "2026-03-02",
            ])
                == "Error: no enterprise with tax code 0100233488; an order needs a registered enterprise; add it first with `storders enterprise add`\n"
        )
        #expect(try cli.dump() == before)
    }
}
