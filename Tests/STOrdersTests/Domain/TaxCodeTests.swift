import Testing

@testable import STOrders

@Suite struct TaxCodeTests {
    @Test(arguments: [
        ("0100233488", "0100233488"), ("0314409058-002", "0314409058-002"), ("4601234560", "4601234560"),
        ("0312345673", "0312345673"), ("01.00.233.488", "0100233488"), (" 0100 233 488 ", "0100233488"),
        ("0314409058 002", "0314409058-002"),
    ])
    func accepts(_ text: String, _ canonical: String) throws {
        #expect(try TaxCode(parsing: text).value == canonical)
    }

    @Test(arguments: [
        ("0100233480", "check digit"), ("12345", "has 5 digits"), ("01002334881", "has 11 digits"),
        ("0314409058-000", "cannot be 000"), ("0100000000", "cannot all be 0"), ("01002334a8", "contains 'a'"),
        ("", "has 0 digits"), ("0100233488-12", "has 12 digits"),
    ])
    func refuses(_ text: String, _ reason: String) {
        do {
            _ = try TaxCode(parsing: text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
        }
    }

    @Test func checkDigitFollowsTheWeights() {
        // The published example 0100233488 has check digit 8:
        // sum = 1*29 + 2*17 + 3*13 + 3*7 + 4*5 + 8*3 = 167, 167 mod 11 = 2, 10 - 2 = 8.
        #expect(TaxCode.checkDigit([0, 1, 0, 0, 2, 3, 3, 4, 8]) == 8)
        // s = 0 means no valid code exists for those nine digits.
        let none = (0..<1000).first { n in
            let digits = [0, 0, 0, 0, 0, 0, n / 100, n / 10 % 10, n % 10]
            return TaxCode.checkDigit(digits) == nil
        }
        #expect(none != nil)
    }
}
