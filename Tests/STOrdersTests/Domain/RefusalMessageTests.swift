import Testing

@testable import STOrders

/// A refusal is read as one `Error:` line: whatever the user typed, quoting it must not split the
/// line, drive the terminal, or bury the reason under a megabyte of text.
@Suite("Refusal messages")
struct RefusalMessageTests {
    static let megabyte = String(repeating: "a", count: 1 << 20)

    static func isOnePrintableLine(_ message: String) -> Bool {
        !message.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    @Test(arguments: ["2026\n-01-01", "\u{1B}[31m2026-01-01", "a\rb", "tab\there", "nul\u{0}byte", "x\u{2028}y"])
    func controlCharactersAreEscaped(_ input: String) throws {
        let errors: [STOrdersError] = [
            .invalidDate(input, reason: "expected YYYY-MM-DD"), .unknownOrder(code: input),
            .invalidAmount(input, reason: "no"),
            .unknownProvince(input, suggestions: [], note: nil), .databaseMissing(path: input),
        ]
        for error in errors {
            #expect(Self.isOnePrintableLine(error.description), "\(error.description.debugDescription)")
        }
        #expect(STOrdersError.unknownOrder(code: "a\nb").description == "no order with code 'a\\nb'")
    }

    @Test func parserRefusalsOfControlCharactersAreOneLine() {
        for input in ["01002\n33488", "1\n000", "2026-01\n-01", "Thái\nXyz"] {
            for attempt in [
                { _ = try TaxCode(parsing: input) }, { _ = try Money.parse(input) },
                { _ = try Day(parsing: input) }, { _ = try Province.named(input) },
            ] as [() throws -> Void] {
                do {
                    try attempt()
                    Issue.record("accepted \(input.debugDescription)")
                } catch {
                    #expect(
                        Self.isOnePrintableLine(String(describing: error)),
                        "\(String(describing: error).debugDescription)")
                }
            }
        }
    }

    @Test func longInputIsShortenedInTheMessage() throws {
        let error = STOrdersError.invalidAmount(Self.megabyte, reason: "expected digits")
        #expect(error.description.count < 200)
        #expect(error.description.contains("…(1048576 code points)"))
        // One character stacked with a million combining marks is shortened too.
        let stacked = "a" + String(repeating: "\u{301}", count: 1_000_000)
        #expect(STOrdersError.unknownOrder(code: stacked).description.unicodeScalars.count < 200)
    }

    @Test func megabyteInputsAreRefusedByEveryParser() throws {
        #expect(
            throws: STOrdersError.invalidAmount(
                Self.megabyte,
                reason:
                    "expected digits with optional thousands separators (, . _ or space), for example 1.200.000.000")
        ) {
            try Money.parse(Self.megabyte)
        }
        let nines = String(repeating: "9", count: 1 << 20)
        #expect(
            throws: STOrdersError.invalidAmount(
                nines, reason: "is larger than the largest amount, 9.223.372.036.854.775.807 đồng")
        ) {
            try Money.parse(nines)
        }
        #expect(throws: STOrdersError.invalidDate(Self.megabyte, reason: "expected YYYY-MM-DD, for example 2026-03-15"))
        {
            try Day(parsing: Self.megabyte)
        }
        let zeros = String(repeating: "0", count: 1 << 20)
        #expect(
            throws: STOrdersError.invalidTaxCode(
                zeros,
                reason: "has 1048576 digits; expected 10 digits with a valid check digit, "
                    + "optionally followed by -NNN for a dependent unit (e.g. 0100233488 or 0314409058-002)")
        ) {
            try TaxCode(parsing: zeros)
        }
        // Long text is compared with no province name (that would take seconds): refused at once.
        #expect(throws: STOrdersError.unknownProvince(Self.megabyte, suggestions: [], note: nil)) {
            try Province.named(Self.megabyte)
        }
        #expect(
            throws: STOrdersError.invalidText(
                what: "title", reason: "it has 1048576 characters; at most 500 are accepted")
        ) {
            try Text.validate(Self.megabyte, what: "title")
        }
    }

    @Test func textStackedWithCombiningMarksIsRefused() throws {
        let stacked = "a" + String(repeating: "\u{301}", count: 10_000)  // one character on screen
        #expect(
            throws: STOrdersError.invalidText(
                what: "title", reason: "it has 10001 code points (combining marks included); at most 2000 are accepted")
        ) {
            try Text.validate(stacked, what: "title")
        }
        // Vietnamese typed in decomposed form (base letter + marks) is still accepted.
        let decomposed = String(repeating: "e\u{302}\u{301}", count: 400)  // "ế" × 400, 1200 code points
        #expect(try Text.validate(decomposed, what: "title").count == 400)
    }

    @Test func lineAndParagraphSeparatorsAreRefusedInText() {
        #expect(
            throws: STOrdersError.invalidText(
                what: "title", reason: "it contains the control character U+2028; expected printable text")
        ) {
            try Text.validate("Tên\u{2028}dòng hai", what: "title")
        }
    }
}

/// The other funds' source is free text like a title: found unchecked by the hostile-input run
/// (a 128 KiB value, line breaks and escape sequences were stored and printed back).
@Suite("Other source text")
struct OtherSourceTextTests {
    @Test(arguments: [
        ("PPP\nline two", "it contains the control character U+000A; expected printable text"),
        ("\u{1B}[2J", "it contains the control character U+001B; expected printable text"),
        (String(repeating: "q", count: 201), "it has 201 characters; at most 200 are accepted"),
    ])
    func isValidatedLikeOtherText(_ source: String, _ reason: String) throws {
        #expect(throws: STOrdersError.invalidText(what: "other source", reason: reason)) {
            try Funding(other: 5, otherSource: source, fundedOn: try Day(parsing: "2026-01-01"))
        }
    }

    @Test func isTrimmedAndKept() throws {
        let funding = try Funding(
            other: 5, otherSource: "  Quỹ đầu tư mạo hiểm  ", fundedOn: try Day(parsing: "2026-01-01"))
        #expect(funding.otherSource == "Quỹ đầu tư mạo hiểm")
        #expect(throws: STOrdersError.otherSourceMissing) {
            try Funding(other: 5, otherSource: "   ", fundedOn: try Day(parsing: "2026-01-01"))
        }
    }
}
