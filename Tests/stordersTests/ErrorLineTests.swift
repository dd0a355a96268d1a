import Testing

/// Every failure is one `Error:` line on stderr: refusals (exit 1) and usage errors (exit 64),
/// even when the value the user typed holds a line break or a terminal escape.
@Suite("storders error line")
struct ErrorLineTests {
    @Test func usageErrorsAreOneLineThatNamesTheHelp() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        for (arguments, expected) in [
            (
                ["order", "register"],
                "Error: Missing expected argument '--enterprise <tax-code>' (see 'storders order register --help')"
            ),
            (
                ["output", "add", "X", "--title", "t", "--type", "a\nb", "--novelty", "new", "--value", "1"],
                "Error: The value 'a\\nb' is invalid for '--type <type>'. Please provide one of 'product', 'service' or 'model'. (see 'storders output add --help')"
            ),
            (
                ["payment", "record", "X", "--output", "9223372036854775808", "--amount", "1"],
                "Error: The value '9223372036854775808' is invalid for '--output <number>' (see 'storders payment record --help')"
            ),
            (["nosuch"], "Error: Unexpected argument 'nosuch' (see 'storders --help')"),
        ] {
            let output = try cli.run(arguments)
            #expect(output.status == 64)
            #expect(output.stderr == expected + "\n")
            #expect(output.stdout.isEmpty)
        }
    }

    @Test func refusalsQuoteHostileTextOnOneLine() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        let message = try cli.refused(["order", "show", "\u{1B}[31mA\nB"])
        #expect(message == "Error: no order with code '\\u{1B}[31mA\\nB'; `storders order list` shows the codes\n")
    }

    @Test func helpAndVersionStillPrint() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        #expect(try cli.ok(["--version"]).stdout == "0.1.0\n")
        #expect(try cli.ok(["order", "fund", "--help"]).stdout.contains("USAGE: storders order fund"))
    }
}
