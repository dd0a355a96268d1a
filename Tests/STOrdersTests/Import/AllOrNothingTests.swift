import Foundation
import Testing

@testable import STOrders

/// A large file with one bad row imports nothing, wherever the row is.
@Suite struct AllOrNothingTests {
    static let rows = 20_000

    /// 20,000 orders of two enterprises, the row at `bad` (1-based, among the data rows) broken.
    static func ordersFile(bad: Int?) -> String {
        var text = "code,enterprise_tax_code,title,field,ordered_on\n"
        text.reserveCapacity(rows * 80)
        for i in 1...rows {
            let tax = i % 2 == 0 ? "0100233488" : "4601234560"
            let day = i == bad ? "2025-02-29" : "2025-02-28"
            text += "NV-\(i),\(tax),Nhiệm vụ số \(i) về chuyển đổi số,digital,\(day)\n"
        }
        return text
    }

    @Test(arguments: [1, rows / 2, rows])
    func oneBadRowImportsNothing(bad: Int) throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try Store.inMemory()
        try store.importEnterprises(file: try files.write("e.csv", enterprisesCSV))
        let path = try files.write("orders.csv", AllOrNothingTests.ordersFile(bad: bad))
        let error = try #require(throws: STOrdersError.self) { try store.importOrders(file: path) }
        let found = try #require(problems(error))
        #expect(found.total == 1)
        #expect(
            found.problems == [
                ImportProblem(
                    line: bad + 1, column: "ordered_on", value: "2025-02-29",
                    message: "2025-02 has days 01 to 28")
            ])
        #expect(try store.count("orders") == 0)
        #expect(try store.count("events") == 0)
    }

    @Test func theSameFileWithoutTheBadRowImportsWhole() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try Store.inMemory()
        try store.importEnterprises(file: try files.write("e.csv", enterprisesCSV))
        let summary = try store.importOrders(
            file: try files.write("orders.csv", AllOrNothingTests.ordersFile(bad: nil)))
        #expect(summary.orders == AllOrNothingTests.rows)
        #expect(try store.count("orders") == AllOrNothingTests.rows)
        #expect(try store.count("events") == AllOrNothingTests.rows)
    }

    @Test func listsAtMostFiftyProblemsAndCountsTheRest() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try Store.inMemory()
        var text = "tax_code,name,province,registered_on\n"
        for i in 0..<120 { text += "12345,Công ty \(i),Hà Nội,2025-01-01\n" }
        let error = try #require(throws: STOrdersError.self) {
            try store.importEnterprises(file: try files.write("e.csv", text))
        }
        let found = try #require(problems(error))
        #expect(found.total == 120 && found.problems.count == 50)
        #expect(found.problems.last?.line == 51)
        #expect(error.details.count == 51 && error.details.last == "… and 70 more")
        #expect(!error.description.contains("\n"))
    }
}
