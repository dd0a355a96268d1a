import Testing

@testable import STOrders

@Suite struct DayTests {
    @Test(arguments: ["2026-02-28", "2024-02-29", "2000-02-29", "1999-12-31", "2026-11-29"])
    func acceptsRealDays(_ text: String) throws {
        #expect(try Day(parsing: text).description == text)
    }

    static let shape = "expected YYYY-MM-DD, for example 2026-03-15"

    @Test(arguments: [
        ("2026-02-30", "2026-02 has days 01 to 28"), ("2026-02-29", "2026-02 has days 01 to 28"),
        ("1900-02-29", "1900-02 has days 01 to 28"), ("2026-13-01", "the month must be 01 to 12"),
        ("0000-00-00", "the year must be between 1900 and 2999"), ("2026-04-31", "2026-04 has days 01 to 30"),
        ("2026-1-01", DayTests.shape), ("26-01-01", DayTests.shape), ("2026/01/01", DayTests.shape),
        ("", DayTests.shape), (" 2026-01-01", DayTests.shape),
        ("2026-01-01T00:00", DayTests.shape), ("２０２６-01-01", DayTests.shape),
    ])
    func refusesOthers(_ text: String, _ reason: String) {
        #expect(throws: STOrdersError.invalidDate(text, reason: reason)) { try Day(parsing: text) }
    }

    @Test func differencesInDays() throws {
        #expect(Day.days(from: try Day(parsing: "2025-12-31"), to: try Day(parsing: "2026-03-01")) == 60)
        #expect(try Day(parsing: "1970-01-01").ordinal == 0)
    }
}
