import GRDB
import Testing

@testable import STOrders

/// A fresh in-memory store per test, with helpers to build orders in each state.
struct Fixture {
    let store: Store
    let enterprise: TaxCode
    let startup: TaxCode

    init() throws { try self.init(store: try Store.inMemory(actor: "kiểm thử")) }

    /// The fixture's two enterprises in `store` (a file, when a test tampers with it), added
    /// unless they exist already.
    init(store: Store, enterprisesExist: Bool = false) throws {
        self.store = store
        enterprise = try TaxCode(parsing: "4601234560")
        startup = try TaxCode(parsing: "0100233488")
        if enterprisesExist { return }
        try store.addEnterprise(
            name: "Công ty TNHH Quang học Yên Bình", taxCode: enterprise,
            province: try Province.named("Thái Nguyên"), on: try day("2025-01-02"))
        try store.addEnterprise(
            name: "Công ty Cổ phần Công nghệ Số Thăng Long", taxCode: startup,
            province: try Province.named("Hà Nội"), innovativeStartup: true, on: try day("2025-01-02"))
    }

    /// An `ordered` order with outputs worth 1.2 and 0.8 billion đồng.
    func ordered(code: String? = nil) throws -> String {
        let order = try store.registerOrder(
            enterprise: enterprise, title: "Cải tiến quy trình sản xuất mô-đun camera",
            field: .innovation, code: code, on: try day("2025-03-10"))
        try store.addOutput(
            order: order.code,
            NewOutput(
                title: "Quy trình sản xuất cải tiến", type: .model,
                novelty: .improved, value: 1_200_000_000), on: try day("2025-03-10"))
        try store.addOutput(
            order: order.code,
            NewOutput(
                title: "Dây chuyền kiểm tra quang học", type: .product,
                novelty: .new, value: 800_000_000), on: try day("2025-03-10"))
        return order.code
    }

    /// A `funded` order: state budget 1.2 billion, enterprise 0.9 billion.
    func funded() throws -> String {
        let code = try ordered()
        try store.fund(
            order: code,
            try Funding(
                stateBudget: 1_200_000_000, enterpriseFunds: 900_000_000,
                fundedOn: try day("2025-04-02")))
        return code
    }

    func delivered() throws -> String {
        let code = try funded()
        try store.acceptOutput(order: code, number: 1, on: try day("2025-09-15"))
        try store.acceptOutput(order: code, number: 2, on: try day("2025-11-20"))
        return code
    }

    func commercialized() throws -> String {
        let code = try delivered()
        try store.commercialize(order: code, channel: .sale, revenue: 4_500_000_000, on: try day("2026-02-10"))
        return code
    }

    func cancelled() throws -> String {
        let code = try ordered()
        try store.cancel(order: code, reason: "Doanh nghiệp rút đề xuất", on: try day("2025-05-01"))
        return code
    }

    /// Every row of every table, to prove a refusal changed nothing.
    func snapshot() throws -> [String] {
        try store.writer.read { db in try everyRow(db) }
    }

    /// Runs `body`, which must be refused with exactly `expected` (case and values), and checks
    /// nothing changed.
    func expectRefusal(
        _ expected: STOrdersError, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) throws {
        try expectRefusal(
            { error in
                #expect(error == expected, "got \(String(reflecting: error))", sourceLocation: sourceLocation)
                return error == expected
            }, sourceLocation: sourceLocation, body)
    }

    /// Runs `body`, which must be refused with `expected`, and checks nothing changed.
    func expectRefusal(
        _ expected: (STOrdersError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) throws {
        let before = try snapshot()
        do {
            try body()
            Issue.record("was not refused", sourceLocation: sourceLocation)
        } catch let error as STOrdersError {
            #expect(expected(error), "refused with an unexpected error: \(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
            #expect(!error.description.localizedCaseInsensitiveContains("sqlite"), sourceLocation: sourceLocation)
        }
        #expect(try snapshot() == before, "a refusal changed the data", sourceLocation: sourceLocation)
    }
}

func day(_ text: String) throws -> Day { try Day(parsing: text) }

/// Every row of every table of the file (the running totals and targets included), table by
/// table, to prove a refusal changed nothing. The tables are read from sqlite_master, so a table
/// schema.sql gains is covered the day it lands.
func everyRow(_ db: Database) throws -> [String] {
    var lines: [String] = []
    let tables = try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    for table in tables {
        // Sorted: WITHOUT ROWID tables have no rowid to order by.
        lines += try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { "\(table): \($0)" }.sorted()
    }
    return lines
}

extension Store {
    /// The demo with a payment reversed and two results retracted, so every kind of record is
    /// there: the source the export, restore and row-by-row tests share.
    static func correctedDemo() throws -> Store {
        let store = try Store.inMemory()
        try DemoData.populate(store)
        let day = try Day(parsing: "2026-07-01")
        try store.reversePayment(
            order: "19-2025-0001", payment: 1, amount: 200_000_000, reason: "Chi trùng chứng từ", on: day)
        try store.retractResult(order: "01-2025-0001", result: 2, reason: "Hợp đồng bị hủy", on: day)
        try store.retractResult(order: "19-2025-0002", result: 1, reason: "Ghi nhầm", on: day)
        // The demo's open request approved, a refused one and one still open: every amendment kind.
        let nano = "79-2025-0001"
        try store.decideAmendment(order: nano, number: 2, .approve, reason: "Đồng ý gia hạn", on: day)
        try store.requestAmendment(
            order: nano, .contractEnd, to: try Day(parsing: "2027-06-30"), reason: "Xin gia hạn hợp đồng", on: day)
        try store.decideAmendment(order: nano, number: 3, .refuse, reason: "Không đủ căn cứ", on: day)
        try store.requestAmendment(
            order: nano, .output(2), to: try Day(parsing: "2027-03-15"), reason: "Thêm hai tuần thử nghiệm", on: day)
        // Payment requests in every state (docs/requests.md): paid, returned, approved, requested.
        try store.requestPayment(order: nano, output: 1, amount: 100_000_000, source: .enterprise, on: day)
        try store.approvePaymentRequest(order: nano, number: 1, on: day)
        try store.disbursePaymentRequest(order: nano, number: 1, reference: "UNC 0701/KBNN-HCM", on: day)
        try store.requestPayment(order: nano, output: 1, amount: 50_000_000, source: .other, on: day)
        try store.returnPaymentRequest(order: nano, number: 2, reason: "Thiếu hóa đơn GTGT", on: day)
        try store.requestPayment(order: nano, output: 1, amount: 100_000_000, source: .state, on: day)
        try store.approvePaymentRequest(order: nano, number: 3, on: day)
        try store.requestPayment(order: nano, output: 1, amount: 50_000_000, source: .enterprise, on: day)
        return store
    }
}
