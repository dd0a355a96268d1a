import Testing
@testable import STOrders

@Suite struct DayTests {
    @Test(arguments: ["2026-02-28", "2024-02-29", "2000-02-29", "1999-12-31", "2026-11-29"])
    func acceptsRealDays(_ text: String) throws {
        #expect(try Day(parsing: text).description == text)
    }

    @Test(arguments: ["2026-02-30", "2026-02-29", "1900-02-29", "2026-13-01", "0000-00-00", "2026-04-31",
                      "2026-1-01", "26-01-01", "2026/01/01", "", " 2026-01-01", "2026-01-01T00:00", "２０２６-01-01"])
    func refusesOthers(_ text: String) {
        #expect(throws: STOrdersError.self) { try Day(parsing: text) }
    }

    @Test func differencesInDays() throws {
        #expect(Day.days(from: try Day(parsing: "2025-12-31"), to: try Day(parsing: "2026-03-01")) == 60)
        #expect(try Day(parsing: "1970-01-01").ordinal == 0)
    }
}
