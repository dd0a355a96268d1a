import Foundation
import Testing

@Suite("storders import, export, generate")
struct ImportExportTests {
    func write(_ cli: CLI, _ name: String, _ text: String) throws -> String {
        let path = cli.directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func csvImportIsAllOrNothingAndListsTheProblems() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        let bad = try write(
            cli, "e.csv",
            """
            tax_code;name;province;registered_on
            0100233488;Công ty Cổ phần Công nghệ Số Thăng Long;Hà Nội;2024-01-10
            0100233480;Công ty lỗi;Hà Nội;2024-01-10
            4601234560;Công ty TNHH Quang học Yên Bình;Thai Nguyen;2024-31-01

            """)
        let before = try cli.dump()
        let output = try cli.run(["import", "enterprises", bad])
        #expect(output.status == 1)
        // One Error: line on stderr; the problems, one line each, on stdout.
        #expect(output.stderr == "Error: e.csv: 2 problems found; nothing was imported\n")
        #expect(output.stdout.contains("  line 3, column tax_code '0100233480': the check digit (10th) does not match"))
        #expect(output.stdout.contains("  line 4, column registered_on '2024-31-01': the month must be 01 to 12"))
        #expect(try cli.dump() == before)

        let good = try write(
            cli, "good.csv",
            """
            tax_code,name,province,registered_on
            0100233488,Công ty Cổ phần Công nghệ Số Thăng Long,Hà Nội,2024-01-10

            """)
        #expect(
            try cli.ok(["import", "enterprises", good, "--dry-run"]).stdout
                == "Checked 1 enterprise: all valid. Nothing was written (--dry-run).\n")
        #expect(try cli.dump() == before)
        #expect(try cli.ok(["import", "enterprises", good]).stdout == "Imported 1 enterprise.\n")
        #expect(try cli.ok(["enterprise", "list", "--json"]).array().count == 1)
    }

    @Test func exportImportDumpExportGivesIdenticalBytes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        try cli.ok(["generate", "--orders", "50", "--db", cli.directory.appendingPathComponent("gen.sqlite").path])
        for (db, format) in [("test.sqlite", "json"), ("gen.sqlite", "jsonl")] {
            let source = cli.directory.appendingPathComponent(db).path
            let first = cli.directory.appendingPathComponent("\(db).1.\(format)").path
            let second = cli.directory.appendingPathComponent("\(db).2.\(format)").path
            let restored = cli.directory.appendingPathComponent("\(db).restored.sqlite").path
            try cli.ok(["export", "--db", source, "--format", format, "--output", first])
            try cli.ok(["import", "dump", first, "--db", restored])
            try cli.ok(["export", "--db", restored, "--format", format, "--output", second])
            let a = try Data(contentsOf: URL(fileURLWithPath: first))
            #expect(a.count > 1000)
            #expect(a == (try Data(contentsOf: URL(fileURLWithPath: second))))
            // Restoring into a database that holds data is refused and changes nothing.
            let message = try cli.refused(["import", "dump", first, "--db", restored])
            #expect(message.contains("already holds data"))
        }
        // Export to standard output is the same document.
        let stdout = try cli.ok(["export"]).stdout
        #expect(stdout.hasPrefix(#"{"format":"storders-export","version":7,"schema_version":10,"#))
    }

    /// `import dump --json` reports what the file holds, counted from the file; a refused restore
    /// (cut short, of another version, edited) leaves no file where the database would have been.
    @Test func importDumpCountsAndLeavesNoFileWhenRefused() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let gen = cli.directory.appendingPathComponent("gen.sqlite").path
        try cli.ok(["generate", "--orders", "120", "--seed", "4", "--db", gen])
        let dump = cli.directory.appendingPathComponent("gen.jsonl").path
        try cli.ok(["export", "--db", gen, "--format", "jsonl", "--output", dump])
        let text = try String(contentsOfFile: dump, encoding: .utf8)
        let records = try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let orders = records.filter { $0["type"] as? String == "order" }
        let outputs = orders.reduce(0) { $0 + (($1["outputs"] as? [Any])?.count ?? 0) }
        #expect(orders.count == 120 && outputs > 120)
        let restored = cli.directory.appendingPathComponent("restored.sqlite").path
        let summary = try cli.ok(["import", "dump", dump, "--db", restored, "--json"]).object()
        #expect(summary["enterprises"] as? Int == records.filter { $0["type"] as? String == "enterprise" }.count)
        #expect(summary["orders"] as? Int == orders.count)
        #expect(summary["outputs"] as? Int == outputs)
        #expect(summary["dry_run"] as? Bool == false)

        let lines = text.split(separator: "\n")
        let story = try #require(lines.first { $0.contains(#""type":"order""#) && $0.contains(#""revenue":"#) })
        let revenue = try #require(story.range(of: #""revenue":"#))
        let edited = text.replacingOccurrences(
            of: String(story),
            with: story.replacingCharacters(in: revenue, with: #""revenue":1"#))
        let bad = [
            ("cut.jsonl", lines.dropLast().joined(separator: "\n") + "\n", "the file ends without its end record"),
            (
                "newer.jsonl", text.replacingOccurrences(of: #""version":7"#, with: #""version":9"#),
                "export format version 9 is newer"
            ),
            ("edited.jsonl", edited, "the dump was edited or is damaged"),
        ]
        for (name, body, reason) in bad {
            let path = cli.directory.appendingPathComponent(name).path
            try body.write(toFile: path, atomically: true, encoding: .utf8)
            let listing = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).sorted()
            let message = try cli.refused([
                "import", "dump", path, "--db", cli.directory.appendingPathComponent("new.sqlite").path,
            ])
            #expect(message.hasPrefix("Error: \(name) line ") && message.contains(reason), "\(message)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).sorted() == listing, "\(name)")
        }
    }

    @Test func generateIsDeterministicAndRefusesAFilledDatabase() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var exports: [String] = []
        for name in ["a.sqlite", "b.sqlite"] {
            let db = cli.directory.appendingPathComponent(name).path
            let out = try cli.ok(["generate", "--orders", "200", "--seed", "5", "--years", "2024-2026", "--db", db])
                .stdout
            #expect(out.hasPrefix("Generated 40 enterprises, 200 orders and "))
            exports.append(try cli.ok(["export", "--db", db, "--format", "jsonl"]).stdout)
        }
        #expect(exports[0] == exports[1])
        #expect(!exports[0].contains(#""ordered_on":"2023-"#) && !exports[0].contains(#""ordered_on":"2027-"#))
        let db = cli.directory.appendingPathComponent("a.sqlite").path
        #expect(try cli.refused(["generate", "--orders", "10", "--db", db]).contains("already holds data"))
    }

    @Test func generatedCSVFilesImportThroughTheCLI() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let dir = cli.directory.path
        try cli.ok(["generate", "--orders", "300", "--csv", dir])
        try cli.ok(["init"])
        try cli.ok(["import", "enterprises", dir + "/enterprises.csv"])
        let out = try cli.ok(["import", "orders", dir + "/orders.csv", "--outputs", dir + "/outputs.csv", "--json"])
            .object()
        #expect(out["orders"] as? Int == 300)
        #expect(try cli.ok(["order", "list", "--json"]).array().count == 300)
    }

    /// export and report html write whole files or nothing, never over the database (a path that
    /// names it another way included); write failures say "cannot write"; generate --csv makes
    /// its folder.
    @Test func filesAreWrittenWholeAndNeverOverTheDatabase() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let dump = try cli.dump()
        let dir = cli.directory.path
        for (arguments, reason) in [
            (["export", "--output", cli.database], "is the database itself"),
            (
                [
                    "report", "html", "--year", "2025", "--output",
                    dir + "/./" + (cli.database as NSString).lastPathComponent,
                ],
                "is the database itself"
            ),
            (["export", "--output", dir], "is a directory"),
            (["export", "--output", dir + "/không-có/x.json"], "No such file or directory"),
            (["generate", "--orders", "1", "--csv", dir + "/không-có/sâu"], "No such file or directory"),
        ] {
            let message = try cli.refused(arguments)
            #expect(message.contains("cannot write") && message.contains(reason), "\(arguments): \(message)")
        }
        #expect(try cli.dump() == dump)
        try cli.ok(["export", "--output", dir + "/all.json"])
        try cli.ok(["report", "html", "--year", "2025", "--output", dir + "/báo-cáo.html"])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(!files.contains { $0.contains(".tmp-") }, "\(files)")
        // The files' modes, under a chosen umask: FileModeTests.
        try cli.ok(["generate", "--orders", "5", "--csv", dir + "/mẫu"])
        #expect(FileManager.default.fileExists(atPath: dir + "/mẫu/outputs.csv"))
    }
}
