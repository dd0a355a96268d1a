import Foundation
import Testing

/// The CLI's contract: where the database is, exit codes, one-line refusals that change nothing,
/// JSON and CSV.
@Suite("CLI contract")
struct CLIContractTests {
    @Test func refusalsExitOneWithOneLineAndChangeNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let before = try cli.dump()
        let cases: [([String], String)] = [
            (["order", "fund", "NO-SUCH", "--state-budget", "5"], "no order with code 'NO-SUCH'"),
            (
                [
                    "order", "register", "--enterprise", "0312345673", "--title", "X", "--field", "science",
                    "--province", "atlantis",
                ],
                "unknown province 'atlantis'"
            ),
            (["order", "register", "--enterprise", "0100233480", "--title", "X", "--field", "science"], "check digit"),
            (["order", "register", "--enterprise", "12345", "--title", "X", "--field", "science"], "has 5 digits"),
            (
                ["order", "register", "--enterprise", "0314409058", "--title", "X", "--field", "science"],
                "no enterprise with tax code"
            ),
            (
                ["enterprise", "add", "--name", "Trùng", "--tax-code", "4601234560", "--province", "19"],
                "already exists"
            ),
            (
                [
                    "order", "register", "--enterprise", "4601234560", "--title", "X", "--field", "science", "--code",
                    "19-2025-0001",
                ],
                "already exists"
            ),
            (
                [
                    "order", "register", "--enterprise", "4601234560", "--title", "X", "--field", "science", "--date",
                    "2026-02-30",
                ],
                "invalid date '2026-02-30'"
            ),
            (
                [
                    "output", "add", "48-2026-0001", "--title", "X", "--type", "model", "--novelty", "new", "--value",
                    "-5",
                ], "negative"
            ),
            (
                [
                    "output", "add", "48-2026-0001", "--title", "X", "--type", "model", "--novelty", "new", "--value",
                    "0",
                ], "greater than zero"
            ),
            (
                [
                    "output", "add", "48-2026-0001", "--title", "X", "--type", "model", "--novelty", "new", "--value",
                    "1.5",
                ], "3 digits"
            ),
            (
                [
                    "output", "add", "48-2026-0001", "--title", "X", "--type", "model", "--novelty", "new",
                    "--value", "99999999999999999999",
                ], "largest amount"
            ),
            (
                [
                    "output", "add", "79-2025-0001", "--title", "X", "--type", "model", "--novelty", "new", "--value",
                    "5",
                ],
                "is funded; add an output needs ordered"
            ),
            (["order", "fund", "48-2026-0001", "--state-budget", "1.000.000.000"], "does not cover"),
            (["order", "fund", "48-2026-0001"], "no funding given"),
            (["order", "fund", "48-2026-0001", "--other", "2.000.000.000"], "--other-source"),
            (["output", "accept", "79-2025-0001", "1"], "already accepted"),
            (["output", "accept", "79-2025-0001", "9"], "has no output 9"),
            (["output", "accept", "48-2026-0001", "1"], "is ordered; accept an output needs funded"),
            (["payment", "record", "79-2025-0001", "--output", "2", "--amount", "1"], "not accepted yet"),
            (
                ["payment", "record", "79-2025-0001", "--output", "1", "--amount", "300.000.001"],
                "remains unpaid of output 1"
            ),
            (
                ["payment", "record", "79-2025-0001", "--output", "1", "--amount", "200.000.000", "--source", "state"],
                "remains of that source's funding"
            ),
            (
                ["order", "commercialize", "79-2025-0001", "--channel", "sale", "--revenue", "5"],
                "is funded; commercialize needs delivered"
            ),
            (["order", "cancel", "19-2025-0001", "--reason", "Thử"], "never cancelled"),
            (["order", "cancel", "92-2025-0001", "--reason", "Thử"], "already cancelled"),
            (["order", "cancel", "48-2026-0001", "--reason", ""], "invalid reason"),
            (["order", "list", "--province", "Bắc Giang"], "merged into Bắc Ninh"),
            (["results", "list", "--year", "99"], "a year is 4 digits"),
            (["report", "indicators", "--year", "99"], "a year is 4 digits"),
            (["report", "provinces", "--year", "99"], "a year is 4 digits"),
        ]
        for (arguments, message) in cases {
            let error = try cli.refused(arguments)
            #expect(error.contains(message), "storders \(arguments.joined(separator: " ")): \(error)")
            #expect(!error.lowercased().contains("sqlite"))
        }
        #expect(try cli.dump() == before)
    }

    @Test func usageErrorsKeepTheParsersMessageAndExit64() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        // Each message names the value or the option that is wrong (not only "Error:").
        for (arguments, names) in [
            (
                ["order", "register", "--enterprise", "4601234560", "--title", "X", "--field", "art"],
                "The value 'art' is invalid for '--field <field>'"
            ),
            (["order", "list", "--state", "paid"], "The value 'paid' is invalid for '--state <state>'"),
            (["output", "accept", "A", "one"], "The value 'one' is invalid for '<output-number>'"),
            (["order", "frobnicate"], "Unexpected argument 'frobnicate'"),
            (["order", "list", "--json", "--csv"], "--json and --csv cannot be combined"),
        ] {
            let out = try cli.run(arguments)
            #expect(out.status == 64, "\(arguments): \(out.stderr)")
            #expect(
                out.stderr.hasPrefix("Error: \(names)") && out.stderr.split(separator: "\n").count == 1,
                "\(arguments): \(out.stderr)")
            // Under --json the refusal is also stdout's one JSON value, coded as a usage error.
            if arguments.contains("--json") {
                #expect(out.stdout.hasPrefix("{") && out.stdout.contains("usage"), "\(arguments): \(out.stdout)")
            } else {
                #expect(out.stdout.isEmpty)
            }
        }
    }

    /// Option combinations and values the commands check themselves are usage errors too, found
    /// when the arguments are parsed: before a database is looked for (none exists here).
    @Test func optionCombinationsAreUsageErrorsBeforeAnyDatabase() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for (arguments, message) in [
            (["order", "list", "--json", "--csv"], "--json and --csv cannot be combined"),
            (["report", "provinces", "--year", "2025", "--json", "--csv"], "--json and --csv cannot be combined"),
            (
                ["report", "indicators", "--year", "2025", "--from", "2024", "--to", "2025"],
                "give either --year or --from and --to"
            ),
            (["report", "indicators", "--from", "2024"], "--from and --to go together"),
            (["target", "list", "--history", "--province", "Hà Nội"], "--history lists every province"),
            (["generate", "--orders", "0"], "--orders must be between"),
            (["generate", "--orders", "10", "--years", "2030-2021"], "--years must be FROM-TO"),
        ] {
            let out = try cli.run(arguments)
            #expect(out.status == 64, "\(arguments): \(out.stderr)")
            #expect(
                out.stderr.hasPrefix("Error: \(message)") && out.stderr.split(separator: "\n").count == 1,
                "\(arguments): \(out.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }

    @Test func databaseLocationAndRefusedFiles() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        // No database yet: every command but init and demo refuses, creating nothing.
        let missing = try cli.refused(["order", "list"])
        #expect(missing.contains("no database at"))
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        // --db wins over $STORDERS_DB.
        let other = cli.directory.appendingPathComponent("khác.sqlite").path
        try cli.ok(["init", "--db", other])
        #expect(FileManager.default.fileExists(atPath: other))
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        #expect(try cli.ok(["init", "--db", other]).stdout.contains("already a STOrders database"))
        // Without either, ./storders.sqlite in the working directory.
        var env = cli
        env.environment["STORDERS_DB"] = nil
        try env.ok(["init"])
        #expect(FileManager.default.fileExists(atPath: cli.directory.appendingPathComponent("storders.sqlite").path))
        // Files that are not STOrders databases.
        let text = cli.directory.appendingPathComponent("notes.txt").path
        try "ghi chú".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(try cli.refused(["order", "list", "--db", text]).contains("not a STOrders database"))
        #expect(try cli.refused(["init", "--db", text]).contains("not a STOrders database"))
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "ghi chú")
        #expect(try cli.refused(["order", "list", "--db", cli.directory.path]).contains("is a directory"))
    }

    @Test func listsStreamAsTableJSONAndCSV() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let table = try cli.ok(["order", "list"]).stdout
        #expect(table.hasPrefix("CODE"))
        #expect(table.contains("Thành phố Hồ Chí Minh"))
        let csv = try cli.ok(["results", "list", "--csv"]).stdout.split(separator: "\n")
        #expect(
            csv.first
                == "order_code,order_title,commercialized_on,channel,revenue,state_budget_paid,outputs,province,province_code,field,enterprise_tax_code,enterprise_name,result_number,note"
        )
        #expect(csv.count == 5)
        #expect(
            csv[1].hasPrefix(
                "19-2025-0001,Cải tiến quy trình sản xuất mô-đun camera tại KCN Yên Bình,2026-02-10,sale,4500000000,1200000000,2,"
            ))
        let enterprises = try cli.ok(["enterprise", "list", "--province", "hà nội", "--json"]).array()
        #expect(enterprises.map { $0["name"] as? String } == ["Công ty Cổ phần Công nghệ Số Thăng Long"])
        #expect(enterprises.first?["innovative_startup"] as? Bool == true)
        #expect(try cli.ok(["order", "list", "--year", "2026", "--json"]).array().count == 1)
        #expect(try cli.ok(["order", "list", "--field", "digital", "--json"]).array().count == 2)
        #expect(
            try cli.ok(["order", "list", "--enterprise", "4601234560", "--csv"]).stdout.split(separator: "\n").count
                == 3)
        #expect(try cli.ok(["order", "list", "--state", "delivered"]).stdout.contains("No orders match."))
        #expect(try cli.ok(["order", "list", "--state", "delivered", "--json"]).array().isEmpty)
    }
}
