import Foundation
import Testing

/// The day the product takes for today comes from `$STORDERS_TODAY` when set (every test pins it:
/// CLI.today), so no test depends on the day it runs; a malformed value is refused in one line.
@Suite("the pinned day")
struct ClockTests {
    @Test func aWriteWithoutDateAndAReportWithoutYearUseThePinnedDay() throws {
        var cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        cli.environment["STORDERS_TODAY"] = "2027-02-28"
        try cli.ok([
            "enterprise", "add", "--name", "Công ty TNHH Đồng hồ", "--tax-code", "0100233488", "--province", "Huế",
        ])
        let order = try cli.ok([
            "order", "register", "--enterprise", "0100233488", "--title", "Nhiệm vụ đúng ngày",
            "--field", "science", "--json",
        ]).object()
        #expect(order["ordered_on"] as? String == "2027-02-28", "\(order)")
        #expect(try cli.sql("SELECT registered_on FROM enterprises;") == "2027-02-28")
        let report = try cli.ok(["report", "indicators", "--json"]).object()
        #expect(report["year"] as? Int == 2027, "\(report.keys.sorted())")
        #expect(
            (report["indicators"] as? [[String: Any]])?.first(where: { $0["key"] as? String == "orders_registered" })?[
                "value"]
                as? Int == 1, "\(report)")
    }

    @Test(arguments: ["2027-02-29", "27-02-2027", "hôm nay", "2027-2-3"])
    func aMalformedPinnedDayIsRefusedInOneLineChangingNothing(value: String) throws {
        var cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        let before = try cli.dump()
        cli.environment["STORDERS_TODAY"] = value
        let message = try cli.refused([
            "enterprise", "add", "--name", "Công ty TNHH Đồng hồ", "--tax-code", "0100233488",
            "--province", "Huế",
        ])
        #expect(message.hasPrefix("Error: STORDERS_TODAY '\(value)' is not a day: expected YYYY-MM-DD"), "\(message)")
        #expect(try cli.dump() == before)
        // An explicit --date does not need today, and an empty value means the machine's day.
        try cli.ok([
            "enterprise", "add", "--name", "Công ty TNHH Đồng hồ", "--tax-code", "0100233488",
            "--province", "Huế", "--date", "2026-01-02",
        ])
        cli.environment["STORDERS_TODAY"] = ""
        try cli.ok(["order", "register", "--enterprise", "0100233488", "--title", "Nhiệm vụ", "--field", "science"])
    }
}
