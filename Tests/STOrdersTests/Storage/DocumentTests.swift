import Foundation
import GRDB
import Testing

@testable import STOrders

/// Documents: attached, listed and extracted; content stored once by its SHA-256; the size limit;
/// `verify` catching an edited content or document row.
@Suite struct DocumentTests {
    static let minutes = Array("Biên bản nghiệm thu đầu ra 1 — Hội đồng Sở KH&CN Thái Nguyên\n".utf8)

    func content(_ bytes: [UInt8], _ name: String = "biên bản.pdf") throws -> DocumentContent {
        try DocumentContent(bytes: bytes, name: name)
    }

    @Test func attachListAndReadBackWithVietnameseNames() throws {
        let f = try Fixture()
        let code = try f.funded()
        let d = try f.store.attachDocument(
            order: code, content: try content(Self.minutes), fileName: "Biên bản nghiệm thu số 1.pdf", kind: .minutes,
            output: 1, title: "Biên bản nghiệm thu đầu ra thứ nhất", on: try day("2025-09-15"))
        #expect(d.number == 1 && d.output == 1 && d.kind == .minutes && d.size == Int64(Self.minutes.count))
        #expect(d.sha256 == DocumentContent.sha256(Self.minutes) && Document.isSHA256(d.sha256))
        let contract = try f.store.attachDocument(
            order: code, content: try content(Array("Hợp đồng đặt hàng".utf8)), fileName: "/tmp/x/Hợp đồng.docx",
            kind: .contract, on: try day("2025-04-02"))
        #expect(contract.number == 2 && contract.output == nil && contract.fileName == "Hợp đồng.docx")
        #expect(try f.store.documents(order: code) == [d, contract])
        let (back, bytes) = try f.store.documentContent(order: code, number: 1)
        #expect(back == d && bytes == Self.minutes)
        // The attachment is a step of the history, its record carrying hash, name, kind, size, target.
        let history = try f.store.history(code: code)
        #expect(history.filter { $0.action == .documentAttached }.count == 2)
        #expect(history.contains { $0.details.contains(d.sha256) && $0.details.contains("output 1") })
        let record = try f.store.read { db in
            try String.fetchOne(
                db, sql: "SELECT record FROM events WHERE action = 'document_attached' ORDER BY id LIMIT 1")
        }
        for field in [
            "sha256=t64:\(d.sha256)", "file_name=", "Biên bản nghiệm thu số 1.pdf", "kind=t7:minutes",
            "size=i2:\(Self.minutes.count)", "output=i1:1",
        ] {
            #expect(record?.contains(field) == true, "record lacks \(field)")
        }
        #expect(try f.store.verify().isClean)
    }

    @Test func theSameContentAttachedTwiceIsStoredOnce() throws {
        let f = try Fixture()
        let code = try f.funded()
        let other = try f.ordered(code: "TN-2025-002")
        for (order, output) in [(code, 1 as Int?), (code, 2), (other, nil)] {
            try f.store.attachDocument(
                order: order, content: try content(Self.minutes), fileName: "bien-ban.pdf", kind: .minutes,
                output: output, on: try day("2025-09-15"))
        }
        let (blobs, documents) = try f.store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM blobs"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM documents")
            )
        }
        #expect(blobs == 1 && documents == 3)
        #expect(try f.store.verify().isClean)
    }

    @Test func contentAboveTheLimitIsRefusedNamingIt() throws {
        #expect(throws: STOrdersError.documentTooLarge(file: "lớn.pdf", limit: 16_777_216)) {
            try DocumentContent(bytes: [UInt8](repeating: 7, count: 16_777_217), name: "lớn.pdf")
        }
        #expect(Document.maximumSize == 16_777_216)
        let exactly = try DocumentContent(bytes: [UInt8](repeating: 7, count: 16_777_216), name: "vừa.pdf")
        #expect(exactly.size == Document.maximumSize)
        #expect(throws: STOrdersError.invalidDocument(file: "rỗng.pdf", reason: "it is empty; a document has content"))
        {
            try DocumentContent(bytes: [], name: "rỗng.pdf")
        }
        let message = STOrdersError.documentTooLarge(file: "lớn.pdf", limit: Document.maximumSize).description
        #expect(message == "lớn.pdf is larger than 16.777.216 bytes (16 MiB), the largest document STOrders stores")
    }

    @Test func aFileAboveTheLimitIsRefusedBeforeItIsRead() throws {
        let t = try TempStore(demo: false)
        defer { t.cleanUp() }
        let path = t.directory.appendingPathComponent("Báo cáo lớn.pdf").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(Document.maximumSize + 1))  // sparse: nothing is written
        try handle.close()
        #expect(throws: STOrdersError.documentTooLarge(file: path, limit: Document.maximumSize)) {
            try DocumentContent.read(path: path)
        }
    }

    @Test func refusalsChangeNothing() throws {
        let f = try Fixture()
        let code = try f.funded()
        let c = try content(Self.minutes)
        try f.expectRefusal(.unknownOutput(order: code, number: 3, count: 2)) {
            try f.store.attachDocument(
                order: code, content: c, fileName: "a.pdf", kind: .minutes, output: 3, on: try day("2025-09-15"))
        }
        try f.expectRefusal(.unknownOrder(code: "KHÔNG-CÓ")) {
            try f.store.attachDocument(
                order: "KHÔNG-CÓ", content: c, fileName: "a.pdf", kind: .minutes, on: try day("2025-09-15"))
        }
        try f.expectRefusal(
            .dateBefore(
                what: "attachment", date: try day("2025-03-01"), earlier: "the order's registration",
                earliest: try day("2025-03-10"))
        ) {
            try f.store.attachDocument(
                order: code, content: c, fileName: "a.pdf", kind: .minutes, on: try day("2025-03-01"))
        }
        try f.expectRefusal(.invalidText(what: "file name", reason: "'..' names a folder, not a file")) {
            try f.store.attachDocument(order: code, content: c, fileName: "..", kind: .other, on: try day("2025-09-15"))
        }
        try f.expectRefusal(.unknownDocument(order: code, number: 1, count: 0)) {
            _ = try f.store.documentContent(order: code, number: 1)
        }
    }

    @Test func rawSQLCannotChangeOrDeleteADocumentOrItsContent() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let path = t.directory.appendingPathComponent("Biên bản.pdf").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.minutes)))
        try t.store.attachDocument(
            order: "79-2025-0001", file: path, kind: .minutes, output: 1, on: try day("2026-12-01"))
        let before = try t.fingerprint()
        for sql in [
            "UPDATE blobs SET content = x'00'", "DELETE FROM blobs", "UPDATE documents SET kind = 'invoice'",
            "DELETE FROM documents",
            "INSERT INTO blobs (sha256, size, content) VALUES ('ABC', 1, x'00')",
            "INSERT INTO documents (order_id, number, kind, file_name, sha256, size, attached_on) SELECT order_id, 2, kind, file_name, sha256, size + 1, attached_on FROM documents",
        ] {
            #expect(throws: DatabaseError.self, "\(sql)") { try t.tamper(sql) }
        }
        #expect(try t.fingerprint() == before)
    }

    /// The content edited with raw SQL (its trigger set aside and put back): `verify` recomputes
    /// the SHA-256 and names the document; extracting it is refused.
    @Test func verifyCatchesAnEditedContent() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let path = t.directory.appendingPathComponent("Biên bản.pdf").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.minutes)))
        let d = try t.store.attachDocument(
            order: "79-2025-0001", file: path, kind: .minutes, output: 1, on: try day("2026-12-01"))
        #expect(try t.store.verify().isClean)
        let trigger = try t.raw().read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'blobs_never_changed'") ?? ""
        }
        let forged = Array("Biên bản đã bị sửa\n".utf8)
        try t.tamper(
            """
            DROP TRIGGER blobs_never_changed;
            UPDATE blobs SET content = x'\(forged.map { String(format: "%02x", $0) }.joined())', size = \(forged.count);
            \(trigger);
            """)
        let v = try Store.open(path: t.path, actor: "kiểm toán").verify()
        let expected =
            "document 1 (Biên bản.pdf) was changed outside storders: its content has SHA-256 \(DocumentContent.sha256(forged)) and \(forged.count) bytes now, but \(d.sha256) and \(Self.minutes.count) bytes were recorded"
        #expect(v.findings == [.init(check: .documents, order: "79-2025-0001", message: expected)])
        #expect(throws: STOrdersError.self) { _ = try t.store.documentContent(order: "79-2025-0001", number: 1) }
        do {
            _ = try t.store.documentContent(order: "79-2025-0001", number: 1)
        } catch let error as STOrdersError {
            #expect(error.code == "document_damaged")
        }
    }

    @Test func verifyCatchesAnEditedDocumentRowAndADeletedContent() throws {
        let t = try TempStore()
        defer { t.cleanUp() }
        let path = t.directory.appendingPathComponent("Hóa đơn.pdf").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.minutes)))
        try t.store.attachDocument(
            order: "79-2025-0001", file: path, kind: .invoice, output: 1, on: try day("2026-12-01"))
        let trigger = try t.raw().read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'documents_never_changed'") ?? ""
        }
        try t.tamper(
            """
            DROP TRIGGER documents_never_changed;
            UPDATE documents SET kind = 'minutes';
            \(trigger);
            """)
        var v = try Store.open(path: t.path, actor: "kiểm toán").verify()
        #expect(
            v.findings.map(\.message) == [
                "document 1 was changed outside storders: kind is 'minutes' now but 'invoice' was recorded (event #\(try lastEventID(t)))"
            ])
        #expect(v.findings.first?.check == .records && v.findings.first?.order == "79-2025-0001")
        try t.tamper("DROP TRIGGER blobs_never_deleted; PRAGMA foreign_keys = OFF; DELETE FROM blobs;")
        v = try Store.open(path: t.path, actor: "kiểm toán").verify()
        #expect(
            v.findings(of: .documents).map(\.message).contains {
                $0.contains("its content (SHA-256") && $0.contains("is missing")
            })
    }

    func lastEventID(_ t: TempStore) throws -> Int64 {
        try t.raw().read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0 }
    }
}
