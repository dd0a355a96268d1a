import Foundation
import Testing

/// `storders document` and `storders checklist`, run as a user would.
@Suite("storders: documents and the checklist")
struct DocumentsCLITests {
    @Test func attachListAndExtractWithVietnameseNames() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let bytes = Data("Biên bản nghiệm thu đầu ra 1\n".utf8) + Data((0..<300).map { UInt8($0 % 256) })
        let file = cli.directory.appendingPathComponent("Biên bản nghiệm thu số 1.pdf")
        try bytes.write(to: file)
        let attached = try cli.ok([
            "document", "attach", "79-2025-0001", file.path, "--kind", "minutes", "--output", "1",
            "--title", "Biên bản nghiệm thu màng bao bì", "--date", "2026-09-01", "--json",
        ]).object()
        #expect(attached["number"] as? Int == 1 && attached["output"] as? Int == 1)
        #expect(attached["file_name"] as? String == "Biên bản nghiệm thu số 1.pdf")
        #expect(attached["size"] as? Int == bytes.count && (attached["sha256"] as? String)?.count == 64)
        // The same file again, to the order itself: a second document, the content stored once.
        let text = try cli.ok([
            "document", "attach", "79-2025-0001", file.path, "--kind", "other", "--date", "2026-09-02",
        ])
        #expect(
            text.stdout.hasPrefix(
                "Attached document 2 of order 79-2025-0001 (other) to the order: Biên bản nghiệm thu số 1.pdf"))
        #expect(text.stdout.contains(": Biên bản nghiệm thu số 1.pdf, \(bytes.count) bytes, SHA-256 "))
        #expect(try cli.sql("SELECT count(*) FROM blobs;") == "1")

        let list = try cli.ok(["document", "list", "79-2025-0001", "--json"]).array()
        #expect(list.map { $0["number"] as? Int } == [1, 2])
        #expect(list.first?["title"] as? String == "Biên bản nghiệm thu màng bao bì")
        #expect(list.last?["output"] is NSNull)
        let csv = try cli.ok(["document", "list", "79-2025-0001", "--csv"]).stdout
        #expect(csv.hasPrefix("order_code,number,kind,output,file_name,title,size,attached_on,sha256,request\n"))
        let table = try cli.ok(["document", "list", "79-2025-0001"]).stdout
        #expect(table.contains("Biên bản nghiệm thu số 1.pdf") && table.contains("output 1"))

        let target = cli.directory.appendingPathComponent("bản sao.pdf").path
        let written = try cli.ok(["document", "extract", "79-2025-0001", "1", "--to", target])
        #expect(written.stdout.contains("SHA-256 checked"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes)
        try Data("giữ nguyên".utf8).write(to: URL(fileURLWithPath: target))
        let refused = try cli.refused(["document", "extract", "79-2025-0001", "1", "--to", target])
        #expect(refused.contains("already exists; pass --force to replace it"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "giữ nguyên")
        try cli.ok(["document", "extract", "79-2025-0001", "2", "--to", target, "--force"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes)
        let unknown = try cli.refused(["document", "extract", "79-2025-0001", "3", "--to", target])
        #expect(unknown.contains("has no document 3: its documents are numbered 1 to 2"))
        try cli.ok(["verify"])
    }

    @Test func aRequestsPapersAreAttachedToItAndTheCheckListAsksForThemAtApproval() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let nano = "79-2025-0001"
        try cli.ok(["request", "pay", nano, "--output", "1", "--amount", "100.000.000", "--date", "2026-09-01"])
        let set = try cli.ok(["checklist", "set", "request", "invoice"])
        #expect(set.stdout == "Checklist: request needs invoice.\n")
        let before = try cli.dump()
        let refused = try cli.refused(["request", "approve", nano, "1", "--date", "2026-09-02"])
        #expect(
            refused
                == "Error: order \(nano): approving payment request 1 is refused by the checklist: payment request 1 lacks invoice (a document of each kind, attached on or before the step's day); attach each with `storders document attach \(nano) FILE --kind KIND --request 1`; `storders checklist` shows what each step needs\n"
        )
        let invoice = cli.directory.appendingPathComponent("Hóa đơn GTGT số 0012.pdf")
        try Data("Hóa đơn giá trị gia tăng".utf8).write(to: invoice)
        let both = try cli.refused([
            "document", "attach", nano, invoice.path, "--kind", "invoice", "--output", "1", "--request", "1",
        ])
        #expect(both.contains("a document is attached to an output or to a payment request, not to both"))
        let early = try cli.refused([
            "document", "attach", nano, invoice.path, "--kind", "invoice", "--request", "1", "--date", "2026-08-31",
        ])
        #expect(early.contains("payment request 1"))
        #expect(try cli.dump() == before)

        let attached = try cli.ok([
            "document", "attach", nano, invoice.path, "--kind", "invoice", "--request", "1", "--date", "2026-09-02",
        ])
        #expect(
            attached.stdout.hasPrefix(
                "Attached document 1 of order \(nano) (invoice) to payment request 1: Hóa đơn GTGT số 0012.pdf"))
        let list = try cli.ok(["document", "list", nano, "--json"]).array()
        #expect(list.first?["request"] as? Int == 1 && list.first?["output"] is NSNull)
        #expect(try cli.ok(["document", "list", nano]).stdout.contains("payment request 1"))
        try cli.ok(["request", "approve", nano, "1", "--date", "2026-09-02"])
        try cli.ok(["verify"])
    }

    @Test func aFileAboveTheLimitIsRefusedInOneLine() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        let path = cli.directory.appendingPathComponent("Báo cáo lớn.pdf").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 16 * 1024 * 1024 + 1)
        try handle.close()
        let before = try cli.dump()
        let message = try cli.refused(["document", "attach", "79-2025-0001", path, "--kind", "report"])
        #expect(
            message == "Error: \(path) is larger than 16.777.216 bytes (16 MiB), the largest document STOrders stores\n"
        )
        let json = try cli.run(["document", "attach", "79-2025-0001", path, "--kind", "report", "--json"])
        #expect((try json.object()["error"] as? [String: Any])?["code"] as? String == "document_too_large")
        #expect(try cli.dump() == before)
    }

    @Test func theChecklistRefusesAStepListingWhatIsMissing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok(["demo"])
        #expect(try cli.ok(["checklist"]).stdout == "The checklist is empty: no step needs a document.\n")
        #expect(
            try cli.ok(["checklist", "set", "accept", "report", "minutes"]).stdout
                == "Checklist: accept needs minutes, report.\n")
        let shown = try cli.ok(["checklist", "--json"]).array()
        #expect(
            shown.count == 1 && shown.first?["step"] as? String == "accept"
                && shown.first?["kinds"] as? String == "minutes,report")

        let before = try cli.dump()
        let accept = ["output", "accept", "79-2025-0001", "2", "--date", "2026-09-10"]
        let refused = try cli.refused(accept)
        #expect(
            refused
                == "Error: order 79-2025-0001: accept output 2 is refused by the checklist: output 2 lacks minutes, report (a document of each kind, attached on or before the step's day); attach each with `storders document attach 79-2025-0001 FILE --kind KIND --output 2`; `storders checklist` shows what each step needs\n"
        )
        let json = try cli.run(accept + ["--json"])
        #expect(json.status == 1)
        #expect((try json.object()["error"] as? [String: Any])?["code"] as? String == "checklist_unmet")
        #expect(try cli.dump() == before)

        let file = cli.directory.appendingPathComponent("Biên bản.pdf")
        try Data("Biên bản nghiệm thu đầu ra 2".utf8).write(to: file)
        try cli.ok([
            "document", "attach", "79-2025-0001", file.path, "--kind", "minutes", "--output", "2", "--date",
            "2026-09-01",
        ])
        #expect(try cli.refused(accept).contains("output 2 lacks report (a document"))
        try cli.ok([
            "document", "attach", "79-2025-0001", file.path, "--kind", "report", "--output", "2", "--date",
            "2026-09-10",
        ])
        try cli.ok(accept)
        #expect(try cli.ok(["checklist", "clear", "accept"]).stdout == "Checklist: accept needs no document.\n")
        #expect(try cli.ok(["checklist", "show", "--history", "--csv"]).stdout.split(separator: "\n").count == 3)
        try cli.ok(["verify"])
    }
}
