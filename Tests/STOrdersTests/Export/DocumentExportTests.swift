import Foundation
import GRDB
import Testing

@testable import STOrders

/// Export, restore and verify cover the documents, their contents and the checklist.
@Suite struct DocumentExportTests {
    static let minutes = Array("Biên bản nghiệm thu — Hội đồng KH&CN tỉnh\n".utf8)
    static let invoice: [UInt8] = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    /// The corrected demo with documents (one content attached twice, one binary) and a checklist.
    static func withDocuments() throws -> Store {
        let store = try Store.correctedDemo()
        try store.setChecklist(.accept, kinds: [.minutes])
        try store.setChecklist(.fund, kinds: [.contract])
        try store.setChecklist(.fund, kinds: [])
        let day = try Day(parsing: "2026-07-02")
        try store.attachDocument(
            order: "79-2025-0001", content: try DocumentContent(bytes: minutes, name: "a"),
            fileName: "Biên bản nghiệm thu.pdf", kind: .minutes, output: 1, title: "Biên bản đầu ra 1", on: day)
        try store.attachDocument(
            order: "19-2025-0001", content: try DocumentContent(bytes: minutes, name: "a"),
            fileName: "Biên bản.pdf", kind: .minutes, on: day)
        try store.attachDocument(
            order: "79-2025-0001", content: try DocumentContent(bytes: invoice, name: "b"),
            fileName: "Hóa đơn GTGT số 0001.bin", kind: .invoice, output: 1, on: day)
        // A payment request's own invoice (schema version 9), and the step that asks for it.
        try store.setChecklist(.request, kinds: [.invoice])
        let request = try store.requestPayment(
            order: "79-2025-0001", output: 1, amount: 1_000_000, source: .enterprise, on: day)
        try store.attachDocument(
            order: "79-2025-0001", content: try DocumentContent(bytes: invoice, name: "b"),
            fileName: "Hóa đơn đề nghị 1.bin", kind: .invoice, request: request.number, on: day)
        try store.approvePaymentRequest(order: "79-2025-0001", number: request.number, on: day)
        return store
    }

    @Test(arguments: ExportFormat.allCases)
    func aRestoreHoldsTheDocumentsContentsAndChecklist(format: ExportFormat) throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try Self.withDocuments()
        let bytes = try source.exportBytes(format)
        let restored = try Store.inMemory()
        _ = try restored.restore(file: try files.write("documents.\(format)", bytes: bytes))
        let a = try source.read { db in try RowByRow.lines(db) }
        let b = try restored.read { db in try RowByRow.lines(db) }
        #expect(a.filter { $0.hasPrefix("documents: ") }.count == 4)
        #expect(a.filter { $0.hasPrefix("blobs: ") }.count == 2)
        #expect(a.filter { $0.hasPrefix("checklist: ") }.count == 4)
        #expect(RowByRow.differences(a, b) == [])
        #expect(a.count == b.count)
        #expect(try restored.exportBytes(format) == bytes)
        #expect(try restored.verify().isClean)
        #expect(try restored.documentContent(order: "79-2025-0001", number: 2).bytes == Self.invoice)
        #expect(try restored.checklist() == Checklist([.accept: [.minutes], .request: [.invoice]]))
        let papers = try restored.documents(order: "79-2025-0001")
        #expect(papers == (try source.documents(order: "79-2025-0001")) && papers.last?.request != nil)
    }

    /// A content edited inside the dump no longer has its SHA-256: the restore refuses it whole.
    @Test func anEditedContentInTheDumpIsRefused() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try Self.withDocuments()
        let text = String(decoding: try source.exportBytes(.jsonl), as: UTF8.self)
        let original = Data(Self.minutes).base64EncodedString()
        var forged = Self.minutes
        forged[0] = UInt8(ascii: "X")
        let edited = text.replacingOccurrences(of: original, with: Data(forged).base64EncodedString())
        #expect(edited != text)
        let path = try files.write("edited.jsonl", edited)
        let target = files.directory + "/restored.sqlite"
        do {
            _ = try Store.restore(file: path, into: target, actor: "khôi phục")
            Issue.record("an edited content was restored")
        } catch let error as STOrdersError {
            #expect(error.code == "dump_invalid")
            #expect(error.description.contains("has SHA-256 \(DocumentContent.sha256(forged))"))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    /// A checklist row edited inside the dump breaks the checklist's chain.
    @Test func anEditedChecklistRowInTheDumpIsRefused() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try Self.withDocuments()
        let text = String(decoding: try source.exportBytes(.jsonl), as: UTF8.self)
        let edited = text.replacingOccurrences(
            of: #""step":"accept","kinds":"minutes""#, with: #""step":"accept","kinds":"""#)
        #expect(edited != text)
        do {
            _ = try Store.inMemory().restore(file: try files.write("edited.jsonl", edited))
            Issue.record("an edited checklist was restored")
        } catch let error as STOrdersError {
            #expect(error.code == "dump_invalid")
            #expect(error.description.contains("checklist row #1 (step accept) does not match its hash"))
        }
    }

    /// The checklist's last row taken out of the dump: its chain still holds, its end does not.
    @Test func aChecklistRowRemovedFromTheDumpIsRefusedByTheEnd() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let source = try Self.withDocuments()
        let text = String(decoding: try source.exportBytes(.jsonl), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        let rows = lines.filter { $0.hasPrefix(#"{"type":"checklist","#) }
        #expect(!rows.isEmpty)
        let head = try source.read { db in try Store.checklistChainEnd(db).head }
        let removed = lines.filter { $0 != rows.last }.joined(separator: "\n") + "\n"
        let restored = try Store.inMemory()
        let error = try #require(throws: STOrdersError.self) {
            try restored.restore(file: try files.write("removed.jsonl", removed))
        }
        #expect(error.code == "dump_invalid")
        #expect(error.description.contains("the checklist holds \(rows.count - 1) rows ending in hash "))
        #expect(error.description.contains("but the end of the file says \(rows.count) ending in \(head)"))
        #expect(try restored.checklistHistory().isEmpty)
    }
}
