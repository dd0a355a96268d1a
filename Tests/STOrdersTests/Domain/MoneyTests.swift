import Testing

@testable import STOrders

@Suite struct MoneyTests {
    @Test(arguments: [
        ("1200000000", Int64(1_200_000_000)), ("1,200,000,000", 1_200_000_000), ("1.200.000.000", 1_200_000_000),
        ("1_200_000_000", 1_200_000_000), ("1 200 000 000", 1_200_000_000), ("  850000 ", 850_000),
        ("1.200.000.000 đ", 1_200_000_000), ("1.200.000.000₫", 1_200_000_000), ("500000 VND", 500_000),
        ("+7", 7), ("999", 999), ("1,000", 1000), ("9223372036854775807", Int64.max),
        ("9,223,372,036,854,775,807", Int64.max),
    ])
    func parses(_ text: String, _ expected: Int64) throws {
        #expect(try Money.parse(text) == expected)
    }

    @Test(arguments: [
        ("-5", "negative"), ("−5", "negative"), ("0", "greater than zero"), ("0.000", "greater than zero"),
        ("1.5", "3 digits"), ("1,5", "3 digits"), ("1200.50", "3 digits"), ("1.200,000", "mixes"),
        ("12,00,000", "3 digits"), ("1,2345", "3 digits"), ("1000,", "3 digits"), (",100", "3 digits"),
        ("9223372036854775808", "largest"), ("99999999999999999999999", "largest"), ("", "whole number"),
        ("abc", "digits"), ("1e9", "digits"), ("đ", "whole number"), ("1 000.000", "mixes"),
    ])
    func refuses(_ text: String, _ reason: String) {
        do {
            _ = try Money.parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
            #expect("\(error)".hasPrefix("invalid amount '\(text)'"))
        }
    }

    @Test func zeroOnlyWhereMeaningful() throws {
        #expect(try Money.parse("0", allowZero: true) == 0)
        #expect(
            throws: STOrdersError.invalidAmount(
                "-1", reason: "amounts cannot be negative; record a correction as a new entry")
        ) {
            try Money.parse("-1", allowZero: true)
        }
    }

    @Test func formatsWithVietnameseGrouping() {
        #expect(Money.format(0) == "0")
        #expect(Money.format(999) == "999")
        #expect(Money.format(1000) == "1.000")
        #expect(Money.format(1_200_000_000) == "1.200.000.000")
        #expect(Money.format(-45_000) == "-45.000")
        #expect(Money.format(Int64.max) == "9.223.372.036.854.775.807")
        #expect(Money.format(Int64.min) == "-9.223.372.036.854.775.808")
    }

    @Test func sumRefusesOverflow() throws {
        #expect(try Money.sum([1, 2, 3]) == 6)
        #expect(throws: STOrdersError.amountOverflow) { try Money.sum([Int64.max, 1]) }
    }
}
