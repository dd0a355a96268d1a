import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bulk import under the same promises: killed at a random moment it leaves all of the file's
/// orders or none, and a broken spreadsheet is refused in one line with nothing written.
@Suite("import reliability")
struct ImportReliabilityTests {
    static var importTrials: Int { longTests ? 200 : 3 }

    /// A database with the generated enterprises, and the orders and outputs CSV to import.
    static func prepare(_ cli: CLI, orders: Int) throws -> (base: Data, orders: String, outputs: String) {
        let dir = cli.directory.appendingPathComponent("csv").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try cli.ok(["generate", "--orders", String(orders), "--seed", "6", "--csv", dir])
        try cli.ok(["init"])
        try cli.ok(["import", "enterprises", dir + "/enterprises.csv"])
        return (try Data(contentsOf: URL(fileURLWithPath: cli.database)), dir + "/orders.csv", dir + "/outputs.csv")
    }

    @Test func killedDuringABulkImportItIsAllOrNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var random = SeededRandom.fromEnvironment(fallback: 20_260_303)
        let count = 100
        let (base, orders, outputs) = try Self.prepare(cli, orders: count)
        // How long a whole import takes here, to spread the kills over it.
        var durations: [UInt64] = []
        for _ in 0..<2 {
            try base.write(to: URL(fileURLWithPath: cli.database))
            let t = monotonicMicroseconds()
            try cli.ok(["import", "orders", orders, "--outputs", outputs])
            durations.append(monotonicMicroseconds() - t)
        }
        let full = durations.max() ?? 500_000

        var none = 0
        var all = 0
        var finished = 0
        var killedInside = 0
        for trial in 0..<Self.importTrials {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.database + suffix) }
            try base.write(to: URL(fileURLWithPath: cli.database))
            if trial % 2 == 0 {
                // Killed provably inside the import's one transaction: every row written, not yet
                // committed (the product's test pause point). Nothing of it may remain.
                let fingerprint = try cli.dump()
                let pause = PausePoint("bulk", in: cli.directory, name: "import-\(trial)")
                let child = try Child.start(
                    ["import", "orders", orders, "--outputs", outputs], cli: cli,
                    extraEnvironment: pause.environment)
                let reached = pause.awaitReached()
                child.kill()
                let end = child.wait()
                #expect(
                    reached && end == .killed,
                    "trial \(trial): the import was not killed inside its transaction: \(end)")
                if reached && end == .killed { killedInside += 1 }
                try cli.ok(["verify"])
                #expect(try cli.integrity() == "ok", "trial \(trial)")
                #expect(try cli.consistencyViolations() == [], "trial \(trial)")
                #expect(try cli.sql("SELECT count(*) FROM orders;") == "0", "trial \(trial)")
                #expect(try cli.dump() == fingerprint, "trial \(trial): a killed import left something behind")
                none += 1
                try cli.ok(["import", "orders", orders, "--outputs", outputs])
                #expect(try cli.sql("SELECT count(*) FROM orders;") == String(count))
                continue
            }
            let delay = UInt64(Double(full) * Double(random.next() % 1_100) / 1_000)
            let child = try Child.start(["import", "orders", orders, "--outputs", outputs], cli: cli)
            usleep(UInt32(delay))
            child.kill()
            let end = child.wait()

            try cli.ok(["order", "list", "--csv"])
            try cli.ok(["verify"])
            #expect(try cli.integrity() == "ok", "trial \(trial)")
            #expect(try cli.consistencyViolations() == [], "trial \(trial), killed after \(delay) µs")
            let imported = Int(try cli.sql("SELECT count(*) FROM orders;")) ?? -1
            if end == .exited(0) {
                finished += 1
                #expect(imported == count, "trial \(trial): an acknowledged import is missing orders")
            } else if imported == count {
                all += 1
            } else {
                #expect(
                    imported == 0, "trial \(trial): \(imported) of \(count) orders after a kill: not all or nothing")
                #expect(try cli.sql("SELECT count(*) FROM outputs;") == "0")
                none += 1
                try cli.ok(["import", "orders", orders, "--outputs", outputs])
                #expect(try cli.sql("SELECT count(*) FROM orders;") == String(count))
            }
        }
        #expect(killedInside == (Self.importTrials + 1) / 2)
        print(
            "crash trials (bulk import of \(count) orders, seed \(random.seed)): \(Self.importTrials) SIGKILLs survived"
                + " (\(killedInside) inside the import's transaction);"
                + " nothing imported \(none)×, all imported \(all)×, finished before the kill \(finished)×; never a part;"
                + " integrity, verify and domain checks passed after each")
    }

    /// Spreadsheets as they arrive broken. Each is refused with exit 1 and one `Error:` line
    /// (the problems, if listed, go to stdout, one printable line each), and nothing is written.
    @Test func brokenSpreadsheetsAreRefusedInOneLineWithNothingWritten() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["init"])
        try cli.ok([
            "enterprise", "add", "--name", "Công ty TNHH Thử nghiệm", "--tax-code", "0100233488",
            "--province", "Hà Nội", "--date", "2026-01-01",
        ])
        let header = "tax_code,name,province,registered_on\n"
        let good = "4601234560,Công ty TNHH Quang học Yên Bình,Thái Nguyên,2026-01-02\n"
        let orderHeader = "code,enterprise_tax_code,title,field,ordered_on\n"
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        let cases: [(String, String, [UInt8])] = [
            ("enterprises", "unbalanced quote", bytes(header + "\"4601234560,Công ty,Thái Nguyên,2026-01-02\n" + good)),
            (
                "enterprises", "Windows-1258 bytes in a UTF-8 file",
                bytes(header) + bytes("4601234560,C") + [0xF4, 0x6E, 0x67]
                    + bytes(" ty,19,2026-01-02\n")
            ),
            ("enterprises", "UTF-16", [0xFF, 0xFE] + bytes(header).flatMap { [$0, 0] }),
            (
                "enterprises", "NUL byte in a cell",
                bytes(header + "4601234560,Công") + [0] + bytes(" ty,19,2026-01-02\n")
            ),
            (
                "enterprises", "100,000 columns in the header",
                bytes((0..<100_000).map { "c\($0)" }.joined(separator: ",") + "\n")
            ),
            (
                "enterprises", "100,000 cells in a row",
                bytes(header + "4601234560,A,19,2026-01-02" + String(repeating: ",x", count: 99_996) + "\n")
            ),
            (
                "enterprises", "a 1 MB name",
                bytes(header + "4601234560," + String(repeating: "ệ", count: 350_000) + ",19,2026-01-02\n")
            ),
            ("enterprises", "a 1 MB line without a line end", bytes(String(repeating: "a", count: 1 << 20))),
            (
                "enterprises", "line break and escape in a quoted name",
                bytes(header + "4601234560,\"A\n\u{1B}[2J\",19,2026-01-02\n")
            ),
            ("enterprises", "SQL in a tax code", bytes(header + "'; DROP TABLE orders; --,A,19,2026-01-02\n")),
            (
                "enterprises", "impossible dates",
                bytes(header + "4601234560,A,19,2026-13-01\n0312345673,B,19,0000-00-00\n")
            ),
            ("enterprises", "a duplicate of a tax code on file", bytes(header + "0100233488,Trùng,19,2026-01-02\n")),
            ("enterprises", "empty file", []),
            ("enterprises", "a byte-order mark only", [0xEF, 0xBB, 0xBF]),
            ("enterprises", "unknown column", bytes("tax_code,name,province,registered_on,=cmd|' /C calc'!A0\n")),
            ("enterprises", "missing column", bytes("tax_code,name\n4601234560,A\n")),
            (
                "orders", "amount past Int64",
                bytes(
                    "code,enterprise_tax_code,title,field,ordered_on,state,funded_on,state_budget\n"
                        + "X-1,0100233488,Nhiệm vụ,science,2026-01-05,funded,2026-01-06,9223372036854775808\n")
            ),
            ("orders", "a directory as the file", []),
            ("orders", "a missing file", []),
        ]
        let dump = try cli.dump()
        var tried = 0
        for (kind, label, content) in cases {
            let path: String
            switch label {
            case "a directory as the file": path = cli.directory.path
            case "a missing file": path = cli.directory.appendingPathComponent("không-có.csv").path
            default:
                path = cli.directory.appendingPathComponent("case-\(tried).csv").path
                try Data(content).write(to: URL(fileURLWithPath: path))
            }
            let output = try Child.run(rawArguments: [bytes("import"), bytes(kind), bytes(path)], cli: cli)
            tried += 1
            #expect(output.status == 1, "\(label): exit \(output.status): \(output.stderr.prefix(300))")
            let lines = output.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(
                lines.count == 1 && output.stderr.hasPrefix("Error: "),
                "\(label): \(output.stderr.prefix(600).debugDescription)")
            #expect(output.stderr.utf8.count < 2_000, "\(label): an error of \(output.stderr.utf8.count) bytes")
            for line in output.stdout.split(separator: "\n") {
                #expect(
                    !line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                    "\(label): a problem line holds a control character: \(line.prefix(200).debugDescription)")
                #expect(line.utf8.count < 2_000, "\(label): a problem line of \(line.utf8.count) bytes")
            }
            #expect(try cli.dump() == dump, "\(label): a refused import changed the database")
        }
        print("hostile spreadsheets: \(tried) broken files refused in one Error: line, nothing written")
    }
}
