import Foundation
import Testing

@testable import STOrders

/// `import outputs` into orders on file dates each output's event on the import's day, which may
/// not come before the order's registration (48-2026-0001 of the demo is registered 2026-07-01).
@Suite struct ImportOutputsDateTests {
    static let csv = "order_code,title,type,novelty,value\n48-2026-0001,Bộ dữ liệu huấn luyện,product,new,500000000\n"

    @Test func anImportDatedBeforeTheOrdersRegistrationIsRefusedWithNothingWritten() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try Store.inMemory()
        try DemoData.populate(store)
        let path = try files.write("đầu-ra.csv", Self.csv)
        let before = try store.exportBytes()
        let error = #expect(throws: STOrdersError.self) { try store.importOutputs(file: path, on: day("2026-06-30")) }
        let found = try #require(error.flatMap(problems))
        #expect(found.total == 1)
        #expect(
            found.problems.map(\.message) == [
                "the import date 2026-06-30 is before the order's registration on 2026-07-01"
            ])
        #expect(found.problems.map(\.line) == [2])
        #expect(try store.exportBytes() == before)
        // On the registration day itself it is accepted: the order then has two outputs.
        let summary = try store.importOutputs(file: path, on: day("2026-07-01"))
        #expect(summary.outputs == 1)
        #expect(try store.count("outputs") == 9)
    }
}
