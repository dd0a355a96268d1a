import Foundation
import Testing

@testable import storders

/// Issue 10 §5 and §6 end to end: invisible and look-alike text, Vietnamese order, display
/// width, the --json contract on refusals, and an empty --db.
@Suite("text and the --json contract")
struct TextAndJSONContractTests {
    static let composed = "Công ty Cổ phần Đổi mới Sáng tạo"

    func withEnterprise(_ body: (CLI) throws -> Void) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        try cli.ok([
            "enterprise", "add", "--name", "Công ty TNHH Thử nghiệm", "--tax-code", CLI.taxCode(1),
            "--province", "Thái Nguyên", "--date", "2026-01-01",
        ])
        try body(cli)
    }

    @Test func invisibleTextIsRefusedAsEmptyAndChangesNothing() throws {
        try withEnterprise { cli in
            let before = try cli.dump()
            let message = try cli.refused([
                "enterprise", "add", "--name", "\u{200B}\u{00A0}\u{3000}", "--tax-code", CLI.taxCode(2),
                "--province", "Huế", "--date", "2026-01-02",
            ])
            #expect(message == "Error: invalid enterprise name: it is empty; expected some text\n")
            let title = try cli.refused([
                "order", "register", "--enterprise", CLI.taxCode(1), "--title", "\u{FEFF}\u{2060} ",
                "--field", "science", "--date", "2026-01-02",
            ])
            #expect(title == "Error: invalid order title: it is empty; expected some text\n")
            #expect(try cli.dump() == before)
        }
    }

    @Test func aBidirectionalControlIsRefusedNamedAndPlaced() throws {
        try withEnterprise { cli in
            let before = try cli.dump()
            let message = try cli.refused([
                "order", "register", "--enterprise", CLI.taxCode(1), "--title",
                "Nhiệm vụ \u{202E}gnp.exe", "--field", "science", "--date", "2026-01-02",
            ])
            #expect(
                message
                    == "Error: invalid order title: it contains the invisible bidirectional control U+202E"
                    + " at position 10"
                    + " (counting code points); expected visible text\n")
            #expect(!message.unicodeScalars.contains("\u{202E}"))
            #expect(try cli.dump() == before)
        }
    }

    /// Text stored before these rules (here written with sqlite3) is shown escaped in a table,
    /// in CSV and in JSON, never raw.
    @Test func storedInvisibleCharactersAreNeverPrintedRaw() throws {
        try withEnterprise { cli in
            _ = try cli.sql(
                "UPDATE enterprises SET name = 'Công ty ' || char(0x202E) || 'gnp' || char(0x200B) || '.exe';")
            let table = try cli.ok(["enterprise", "list"]).stdout
            #expect(table.contains("Công ty \\u{202E}gnp\\u{200B}.exe"))
            let csv = try cli.ok(["enterprise", "list", "--csv"]).stdout
            #expect(csv.contains("Công ty \\u{202E}gnp\\u{200B}.exe"))
            let json = try cli.ok(["enterprise", "list", "--json"])
            #expect(json.stdout.contains("Công ty \\u202egnp\\u200b.exe"))
            #expect(try json.array().first?["name"] as? String == "Công ty \u{202E}gnp\u{200B}.exe")  // the same string
            for output in [table, csv, json.stdout] {
                #expect(!output.unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{200B}" })
            }
        }
    }

    @Test func decomposedAndComposedNamesAreTheSameBytes() throws {
        try withEnterprise { cli in
            let decomposed = Self.composed.decomposedStringWithCanonicalMapping
            #expect(!decomposed.utf8.elementsEqual(Self.composed.utf8))
            try cli.ok([
                "enterprise", "add", "--name", decomposed, "--tax-code", CLI.taxCode(2), "--province", "Huế",
                "--date", "2026-01-02",
            ])
            try cli.ok([
                "enterprise", "add", "--name", Self.composed, "--tax-code", CLI.taxCode(3), "--province", "Huế",
                "--date", "2026-01-02",
            ])
            let hex = Self.composed.utf8.map { String(format: "%02X", $0) }.joined()
            #expect(try cli.sql("SELECT DISTINCT hex(name) FROM enterprises WHERE province_code = '46';") == hex)
        }
    }

    @Test func enterpriseListsAreInVietnameseOrder() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        let names = ["Ea Súp", "Đà Nẵng Xanh", "Dung Quất", "Ăn Ngon", "Az Tech", "Bạc Liêu", "Bắc Hà", "Ba Vì"]
        for (i, name) in names.enumerated() {
            try cli.ok([
                "enterprise", "add", "--name", name, "--tax-code", CLI.taxCode(i + 1), "--province", "Huế",
                "--date", "2026-01-02",
            ])
        }
        let expected = ["Az Tech", "Ăn Ngon", "Ba Vì", "Bạc Liêu", "Bắc Hà", "Dung Quất", "Đà Nẵng Xanh", "Ea Súp"]
        #expect(try cli.ok(["enterprise", "list", "--json"]).array().compactMap { $0["name"] as? String } == expected)
        let csv = try cli.ok(["enterprise", "list", "--csv"]).stdout.split(separator: "\n").dropFirst()
        #expect(csv.map { $0.split(separator: ",")[1] } == expected.map { Substring($0) })
    }

    /// Columns line up on screen: CJK and Hangul take two columns, an emoji two, a combining
    /// mark none. Widths here are counted by hand.
    @Test func tableColumnsLineUpByDisplayWidth() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        let names: [(String, Int)] = [("株式会社テスト", 14), ("Công ty 🚀 Phóng", 16), ("한국 회사", 9), ("Đổi mới", 7)]
        for (i, (name, _)) in names.enumerated() {
            try cli.ok([
                "enterprise", "add", "--name", name, "--tax-code", CLI.taxCode(i + 1), "--province", "Huế",
                "--date", "2026-01-02",
            ])
        }
        // A name stored with combining marks by an older version: still 7 columns.
        _ = try cli.sql(
            "UPDATE enterprises SET name = 'Đo' || char(0x302, 0x309) || 'i mo' || char(0x31B, 0x301) || 'i'"
                + " WHERE tax_code = '\(CLI.taxCode(4))';")
        let lines = try cli.ok(["enterprise", "list"]).stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + names.count)
        // TAX CODE is 10 columns wide, NAME 16 (the widest name), two spaces between columns.
        #expect(
            lines.first?.hasPrefix(
                "TAX CODE" + String(repeating: " ", count: 4) + "NAME" + String(repeating: " ", count: 14)
                    + "PROVINCE") == true)
        let legacy = "Đo\u{302}\u{309}i mo\u{31B}\u{301}i"
        for (i, (name, width)) in names.enumerated() {
            let tax = CLI.taxCode(i + 1)
            let line = try #require(lines.first { $0.hasPrefix(tax) })
            let shown = i == 3 ? legacy : name
            let expected = tax + "  " + shown + String(repeating: " ", count: 16 - width + 2) + "Huế"
            #expect(line.unicodeScalars.starts(with: expected.unicodeScalars), "\(line)")
        }
    }

    /// A cell wider than its column is cut between characters, never inside one (an emoji family
    /// is 7 code points and 2 columns).
    @Test func truncationNeverCutsACharacter() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        let family = "👨‍👩‍👧‍👦"
        try cli.ok([
            "enterprise", "add", "--name", String(repeating: family, count: 30), "--tax-code", CLI.taxCode(1),
            "--province", "Huế", "--date", "2026-01-02",
        ])
        let row = try #require(try cli.ok(["enterprise", "list"]).stdout.split(separator: "\n").dropFirst(2).first)
        // NAME is at most 50 columns: 24 families (48 columns) and "…", then a space of padding.
        #expect(row.contains(String(repeating: family, count: 24) + "…" + " " + "  Huế"), "\(row)")
        #expect(!row.contains(String(repeating: family, count: 25)))
    }

    // MARK: --json

    /// Every command that takes --json (found in the help dump, so a new command is covered),
    /// when refused, prints exactly one JSON value on stdout, `{"error": {"message": …,
    /// "details": […]}}`, whose message is the one Error: line on stderr.
    @Test func everyRefusalUnderJSONPrintsOneJSONValue() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let commands = try Self.commandsWithJSON(cli)
        #expect(commands.count >= 25)
        for command in commands {
            // A directory is never a database: refused by every command (or a usage error first
            // for a command missing its arguments).
            let output = try cli.run(
                command.split(separator: " ").map(String.init) + ["--json", "--db", cli.directory.path])
            #expect(output.status == 1 || output.status == 64, "\(command) exited \(output.status)")
            try Self.expectJSONRefusal(output, "\(command)")
        }
        // A usage error the parser finds (an unknown option) is answered in JSON too.
        let usage = try cli.run(["order", "list", "--json", "--colour"])
        #expect(usage.status == 64)
        try Self.expectJSONRefusal(usage, "order list --colour")
    }

    /// A list refused by a filter value found only once the database is open (an unknown
    /// province) printed `[` before its refusal: stdout held two broken values. The list waits
    /// for its first row, and a refused one prints only the refusal, under --json and --csv.
    @Test func aListRefusedByItsFilterPrintsOnlyTheRefusal() throws {
        try withEnterprise { cli in
            for list in [["enterprise", "list"], ["order", "list"], ["results", "list"], ["target", "list"]] {
                let json = try cli.run(list + ["--province", "Atlantis", "--json"])
                #expect(json.status == 1, "\(list)")
                try Self.expectJSONRefusal(json, "\(list)")
                let csv = try cli.run(list + ["--province", "Atlantis", "--csv"])
                #expect(csv.status == 1, "\(list)")
                #expect(csv.stdout.isEmpty, "\(list): \(csv.stdout)")
            }
            // An empty list is still one JSON value and a CSV header.
            #expect(try cli.ok(["order", "list", "--json"]).stdout == "[]\n")
            #expect(try cli.ok(["order", "list", "--csv"]).stdout.hasPrefix("code,state,ordered_on,"))
        }
    }

    /// The issue's example: a refused `import enterprises --json` printed its problems as text.
    @Test func aRefusedImportUnderJSONPrintsItsProblemsInOneJSONValue() throws {
        try withEnterprise { cli in
            let before = try cli.dump()
            let csv = cli.directory.appendingPathComponent("bad.csv")
            let lines =
                "tax_code,name,province,registered_on\n123,Công ty A,Huế,2026-01-02\n"
                + "\(CLI.taxCode(5)),\u{200B},Huế,2026-02-30\n"
            try lines.write(to: csv, atomically: true, encoding: .utf8)
            let output = try cli.run(["import", "enterprises", csv.path, "--json"])
            #expect(output.status == 1)
            let details = try Self.expectJSONRefusal(output, "import enterprises")
            #expect(details.count == 3)
            #expect(
                output.stdout.contains(#""code": "import_rejected""#)
                    || output.stdout.contains(#""code":"import_rejected""#))
            #expect(details.first?.hasPrefix("line 2, column tax_code '123': ") == true)
            #expect(details.contains { $0.hasPrefix("line 3, column name '\\u{200B}': is required") })
            #expect(output.stderr == "Error: bad.csv: 3 problems found; nothing was imported\n")
            #expect(try cli.dump() == before)
            // Without --json the problems stay lines on stdout, as before.
            let text = try cli.run(["import", "enterprises", csv.path])
            #expect(text.stdout.split(separator: "\n").count == 3 && text.stdout.hasPrefix("  line 2, column tax_code"))
        }
    }

    /// stdout is one JSON object `{"error": {"code", "message", "details"}}`, its message the
    /// stderr line's, its code a stable snake_case word.
    @discardableResult
    static func expectJSONRefusal(
        _ output: CLI.Output, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String] {
        #expect(
            output.stderr.hasPrefix("Error: ") && output.stderr.filter { $0 == "\n" }.count == 1,
            "\(what): \(output.stderr)", sourceLocation: sourceLocation)
        let value = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        let error = (value as? [String: Any])?["error"] as? [String: Any]
        #expect((value as? [String: Any])?.count == 1, "\(what): \(output.stdout)", sourceLocation: sourceLocation)
        #expect(
            error?["message"] as? String == String(output.stderr.dropFirst("Error: ".count).dropLast()),
            "\(what): \(output.stdout) vs \(output.stderr)", sourceLocation: sourceLocation)
        let code = error?["code"] as? String ?? ""
        #expect(
            !code.isEmpty && code.allSatisfy { ("a"..."z").contains($0) || $0 == "_" },
            "\(what): code '\(code)'", sourceLocation: sourceLocation)
        #expect(output.stdout.hasSuffix("}\n"), sourceLocation: sourceLocation)
        return error?["details"] as? [String] ?? []
    }

    /// The commands whose help lists --json.
    static func commandsWithJSON(_ cli: CLI) throws -> [String] {
        let output = try cli.run(["--experimental-dump-help"])
        guard let root = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
            let top = root["command"] as? [String: Any]
        else { return [] }
        var found: [String] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            let hasJSON = arguments.contains { argument in
                (argument["names"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "json" }
            }
            if subcommands.isEmpty && hasJSON { found.append(path.joined(separator: " ")) }
            for sub in subcommands { walk(sub, path + [sub["commandName"] as? String ?? "?"]) }
        }
        walk(top, [])
        return found
    }

    // MARK: --db ""

    @Test func anEmptyDatabasePathIsAUsageError() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let defaultFile = cli.directory.appendingPathComponent("storders.sqlite").path
        for command in [["init"], ["order", "list"], ["demo"]] {
            let output = try cli.run(command + ["--db", ""])
            #expect(output.status == 64)
            #expect(
                output.stderr == "Error: --db is empty; give the database file (leave --db out to use $STORDERS_DB or"
                    + " the default file) (see 'storders \(command.joined(separator: " ")) --help')\n")
            #expect(output.stdout.isEmpty)
            let fromEnvironment = try cli.run(command, extraEnvironment: ["STORDERS_DB": ""])
            #expect(fromEnvironment.status == 64)
            #expect(
                fromEnvironment.stderr
                    == "Error: STORDERS_DB is set but empty; unset it (to use the default file) or set"
                    + " it to the database file (see 'storders \(command.joined(separator: " ")) --help')\n")
            #expect(!FileManager.default.fileExists(atPath: defaultFile))
        }
        // --db wins over an empty STORDERS_DB.
        let named = cli.directory.appendingPathComponent("named.sqlite").path
        #expect(try cli.run(["init", "--db", named], extraEnvironment: ["STORDERS_DB": ""]).status == 0)
    }

    // MARK: Display width

    @Test func displayWidthCountsColumnsOnScreen() {
        #expect(DisplayWidth.of("Công ty") == 7)
        #expect(DisplayWidth.of("Co\u{302}ng ty") == 7)  // decomposed: the mark adds nothing
        #expect(DisplayWidth.of("Nghe\u{323}\u{302} An") == 7)
        #expect(DisplayWidth.of("株式会社") == 8)  // CJK ideographs and kana: 2 each
        #expect(DisplayWidth.of("テスト") == 6)
        #expect(DisplayWidth.of("한국") == 4)  // Hangul syllables
        #expect(DisplayWidth.of("\u{1112}\u{1161}\u{11AB}") == 2)  // 한 as conjoining jamo
        #expect(DisplayWidth.of("ＡＢ") == 4)  // fullwidth forms
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧‍👦") == 2)  // one emoji of 7 code points
        #expect(DisplayWidth.of("🇻🇳") == 2)  // a flag
        #expect(DisplayWidth.of("❤️") == 2 && DisplayWidth.of("❤") == 1)  // the presentation selector
        #expect(DisplayWidth.of("a\u{200B}b\u{2060}c\u{FEFF}") == 3)  // zero-width characters
        #expect(DisplayWidth.of("─") == 1)
    }

    @Test func truncationKeepsWholeCharacters() {
        let kept = DisplayWidth.prefix("株式会社", fitting: 5)
        #expect(kept.text == "株式" && kept.width == 4)  // never half a wide character
        let marks = DisplayWidth.prefix("Nghe\u{323}\u{302} An", fitting: 4)
        // The marks stay with their e.
        #expect(marks.text == "Nghe\u{323}\u{302}" && marks.width == 4)
        let emoji = DisplayWidth.prefix("ab👨‍👩‍👧‍👦c", fitting: 3)
        #expect(emoji.text == "ab" && emoji.width == 2)
    }
}
