import Foundation
import GRDB
import Testing

@testable import STOrders

/// The indicators after a CSV import, checked against oracles that share no code with the
/// import's set-wise totals (`Tallies.recomputed`): figures worked out by hand from the file,
/// the same orders entered one command at a time (the totals then come from schema.sql's
/// triggers, step by step), and a restore of the import's export (the triggers again).
@Suite struct TalliesOracleTests {
    /// CSVImportTests' five orders, with every output worth something.
    static let orders = CSVImportTests.orders
    static let outputs = CSVImportTests.outputs.replacingOccurrences(of: "0.000.000", with: "100.000.000")

    func imported(_ files: TempFiles) throws -> Store {
        let store = try Store.inMemory()
        try store.importEnterprises(file: try files.write("e.csv", enterprisesCSV))
        let summary = try store.importOrders(
            file: try files.write("o.csv", Self.orders),
            outputs: try files.write("x.csv", Self.outputs))
        #expect(summary.orders == 5 && summary.outputs == 6)
        return store
    }

    /// The same five orders, typed in one command at a time.
    func entered(_ files: TempFiles) throws -> Store {
        let store = try Store.inMemory()
        try store.importEnterprises(file: try files.write("e.csv", enterprisesCSV))
        let hanoi = try TaxCode(parsing: "0100233488")
        let thaiNguyen = try TaxCode(parsing: "4601234560")
        func output(_ title: String, _ type: OutputType, _ novelty: Novelty, _ value: Int64) -> NewOutput {
            NewOutput(title: title, type: type, novelty: novelty, value: value)
        }
        try store.registerOrder(
            enterprise: hanoi, title: "Nền tảng số truy xuất nguồn gốc", field: .digital, code: "HN-1",
            on: try day("2025-05-20"))
        try store.addOutput(
            order: "HN-1", output("Dịch vụ truy xuất", .service, .new, 650_000_000), on: try day("2025-05-20"))

        try store.registerOrder(
            enterprise: hanoi, title: "Robot kiểm kê kho", field: .innovation,
            province: try Province.named("Đà Nẵng"), code: "HN-2", on: try day("2025-05-21"))
        try store.addOutput(
            order: "HN-2", output("Nguyên mẫu robot", .product, .new, 550_000_000), on: try day("2025-05-21"))
        try store.addOutput(
            order: "HN-2", output("Phần mềm điều khiển", .service, .improved, 100_000_000),
            on: try day("2025-05-21"))
        try store.fund(
            order: "HN-2",
            try Funding(
                stateBudget: 400_000_000, enterpriseFunds: 250_000_000,
                fundedOn: try day("2025-06-01")))
        try store.acceptOutput(order: "HN-2", number: 1, evidence: "Biên bản 1", on: try day("2025-09-01"))

        try store.registerOrder(
            enterprise: thaiNguyen, title: "Cải tiến mô-đun camera", field: .innovation, code: "TN-1",
            on: try day("2025-03-10"))
        try store.addOutput(
            order: "TN-1", output("Quy trình cải tiến", .model, .improved, 1_200_000_000), on: try day("2025-03-10"))
        try store.addOutput(
            order: "TN-1", output("Dây chuyền kiểm tra", .product, .new, 800_000_000), on: try day("2025-03-10"))
        try store.fund(
            order: "TN-1",
            try Funding(
                stateBudget: 1_200_000_000, enterpriseFunds: 900_000_000, other: 300_000_000,
                otherSource: "Quỹ đầu tư mạo hiểm", fundedOn: try day("2025-04-02")))
        try store.acceptOutput(order: "TN-1", number: 1, evidence: "Biên bản 12/BB", on: try day("2025-09-15"))
        try store.acceptOutput(order: "TN-1", number: 2, on: try day("2025-11-20"))
        try store.commercialize(
            order: "TN-1", channel: .sale, revenue: 4_500_000_000, note: "Hợp đồng xuất khẩu",
            on: try day("2026-02-10"))

        try store.registerOrder(
            enterprise: thaiNguyen, title: "Thị giác máy", field: .science, code: "TN-2",
            on: try day("2025-06-03"))
        try store.addOutput(
            order: "TN-2", output("Hệ thống thị giác", .product, .improved, 350_000_000), on: try day("2025-06-03"))
        try store.fund(order: "TN-2", try Funding(stateBudget: 350_000_000, fundedOn: try day("2025-07-01")))
        try store.cancel(order: "TN-2", reason: "Doanh nghiệp rút đề xuất", on: try day("2025-08-01"))

        try store.registerOrder(
            enterprise: thaiNguyen, title: "Tưới thông minh", field: .digital, code: "TN-3",
            on: try day("2025-06-03"))
        try store.cancel(order: "TN-3", reason: "Không thu xếp được vốn", on: try day("2025-06-10"))
        return store
    }

    func figures(_ store: Store, year: Int, province: String? = nil, field: Field? = nil) throws -> Figures {
        let request = IndicatorRequest(
            province: try province.map { try Province.named($0) }, field: field, years: year...year)
        return try #require(try store.indicators(request).years.first).total.figures
    }

    /// The figures of 2025 and 2026, worked out by hand from the five rows of the file:
    /// HN-1 ordered only; HN-2 (Đà Nẵng) funded 400 + 250 million on 1 June, 11 days after it was
    /// ordered, its new product accepted on 1 September; TN-1 funded 1.2 + 0.9 + 0.3 billion on
    /// 2 April (23 days), an improved model accepted on 15 September and a new product on
    /// 20 November (delivered: 232 days after funding), a sale of 4.5 billion on 10 February 2026
    /// (82 days after delivery); TN-2 funded 350 million on 1 July (28 days) and cancelled on
    /// 1 August; TN-3 cancelled unfunded.
    @Test func anImportGivesTheFiguresWorkedOutByHand() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let store = try imported(files)

        var y2025 = Figures()
        y2025.ordersRegistered = 5
        y2025.ordersDecided = 4  // HN-2, TN-1, TN-2 funded in 2025; TN-3 cancelled in 2025
        y2025.registeredFunded = 3
        y2025.registeredDelivered = 1
        y2025.registeredCommercialized = 1
        y2025.registeredCancelled = 2
        y2025.ordersFunded = 3
        y2025.stateBudgetCommitted = 400_000_000 + 1_200_000_000 + 350_000_000
        y2025.counterpartCommitted = 250_000_000 + 900_000_000
        y2025.otherCommitted = 300_000_000
        y2025.outputsAccepted = 3
        y2025.newOutputs = 2
        y2025.enterprisesInnovating = 2
        y2025.innovativeStartups = 1  // 0100233488, through HN-2
        y2025.ordersDelivered = 1
        y2025.deliveredCommercialized = 1
        y2025.orderedToFunded.add(days: 11, count: 1)
        y2025.orderedToFunded.add(days: 23, count: 1)
        y2025.orderedToFunded.add(days: 28, count: 1)
        y2025.fundedToDelivered.add(days: 232, count: 1)
        #expect(try figures(store, year: 2025) == y2025)

        var y2026 = Figures()
        y2026.results = 1
        y2026.revenue = 4_500_000_000
        y2026.enterprisesInnovating = 1
        y2026.deliveredToCommercialized.add(days: 82, count: 1)
        #expect(try figures(store, year: 2026) == y2026)

        // One province: Đà Nẵng holds HN-2 alone (ordered by a Hà Nội startup).
        var daNang = Figures()
        daNang.ordersRegistered = 1
        daNang.ordersDecided = 1
        daNang.registeredFunded = 1
        daNang.ordersFunded = 1
        daNang.stateBudgetCommitted = 400_000_000
        daNang.counterpartCommitted = 250_000_000
        daNang.outputsAccepted = 1
        daNang.newOutputs = 1
        daNang.enterprisesInnovating = 1
        daNang.innovativeStartups = 1
        daNang.orderedToFunded.add(days: 11, count: 1)
        #expect(try figures(store, year: 2025, province: "Đà Nẵng") == daNang)
        #expect(
            try figures(store, year: 2025, province: "Hà Nội")
                == {
                    var f = Figures()
                    f.ordersRegistered = 1  // HN-1, undecided
                    return f
                }())

        // One field: science is TN-2 alone, funded then cancelled.
        var science = Figures()
        science.ordersRegistered = 1
        science.ordersDecided = 1
        science.registeredFunded = 1
        science.registeredCancelled = 1
        science.ordersFunded = 1
        science.stateBudgetCommitted = 350_000_000
        science.enterprisesInnovating = 1
        science.orderedToFunded.add(days: 28, count: 1)
        #expect(try figures(store, year: 2025, field: .science) == science)
    }

    /// Entered one command at a time, the same orders give the same records and the same totals
    /// (written by the triggers, not by the import's set-wise SQL), whatever the ids.
    @Test func anImportEqualsTheSameOrdersEnteredOneCommandAtATime() throws {
        let files = try TempFiles()
        defer { files.remove() }
        let viaImport = try imported(files)
        let viaCommands = try entered(files)
        // The histories (events, and the seals of enterprises and targets) carry the moment they
        // were written, so they are compared by their steps below, not row by row.
        let history = { (line: String) in line.hasPrefix("events: ") || line.hasPrefix("seals: ") }
        let a = try viaImport.read { db in try RowByRow.lines(db) }.filter { !history($0) }
        let b = try viaCommands.read { db in try RowByRow.lines(db) }.filter { !history($0) }
        #expect(a.contains { $0.hasPrefix("tallies: ") } && a.contains { $0.hasPrefix("tally_enterprises: ") })
        #expect(RowByRow.differences(a, b) == [])
        #expect(a.count == b.count)
        // The histories tell the same steps on the same days (their wording differs: "imported from …").
        let steps =
            "SELECT o.code, e.action, e.occurred_on FROM events e JOIN orders o ON o.id = e.order_id ORDER BY o.code, e.id"
        let importedSteps = try viaImport.read { db in try Row.fetchAll(db, sql: steps) }
        #expect(importedSteps.count == 21)
        #expect(importedSteps == (try viaCommands.read { db in try Row.fetchAll(db, sql: steps) }))
        for year in 2024...2027 {
            #expect(try figures(viaImport, year: year) == figures(viaCommands, year: year), "\(year)")
        }
    }

    /// Many generated orders: the totals an import computes set-wise equal those the triggers
    /// compute when its export is restored record by record.
    @Test func anImportsTotalsEqualThoseOfARestoreStepByStep() throws {
        let files = try TempFiles()
        defer { files.remove() }
        _ = try Store.generateCSV(
            GeneratorOptions(orders: 400, seed: 5, years: 2021...2023), directory: files.directory)
        let store = try Store.inMemory()
        _ = try store.importEnterprises(file: files.path("enterprises.csv"))
        _ = try store.importOrders(file: files.path("orders.csv"), outputs: files.path("outputs.csv"))
        let restored = try Store.inMemory()
        _ = try restored.restore(file: try files.write("dump.jsonl", bytes: try store.exportBytes()))
        let totals = { (lines: [String]) in lines.filter { $0.hasPrefix("tall") } }
        let a = totals(try store.read { db in try RowByRow.lines(db) })
        let b = totals(try restored.read { db in try RowByRow.lines(db) })
        #expect(a.count > 400)
        #expect(RowByRow.differences(a, b) == [])
        #expect(a.count == b.count)
    }
}
