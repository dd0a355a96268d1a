import GRDB
import Testing

@testable import STOrders

/// The state money advanced (tạm ứng) in the reports besides `report indicators`: `report
/// provinces` (one row per province) and the dashboard, each with the figures of
/// `Store.advanceFiguresByProvince`, checked against known đồng amounts and against sums of the
/// rows computed here with SQL of the test's own.
@Suite struct AdvanceReportTests {
    static let asOf = "2026-06-30"

    /// Two funded orders under a 30 % limit: one in Thái Nguyên (the fixture's enterprise), one in
    /// Hà Nội (its startup), with advances, settling payments and a recovery in 2025 and 2026.
    ///
    /// Thái Nguyên: 300 advanced (2025-04-15); 200 settled by a state payment (2025-12-20), an
    /// enterprise payment settling nothing; 40 recovered (2026-01-05); 60 settled (2026-02-01).
    /// Hà Nội: 150 advanced (2025-05-01); 100 settled (2025-11-01). (Millions of đồng.)
    static func scenario() throws -> Fixture {
        let f = try Fixture()
        try f.store.setAdvanceLimit(basisPoints: 3000)
        let tn = try f.funded()
        let hn = try f.store.registerOrder(
            enterprise: f.startup, title: "Nền tảng số hóa hồ sơ đặt hàng", field: .innovation,
            outputs: [
                NewOutput(title: "Phần mềm quản lý hồ sơ", type: .product, novelty: .new, value: 500_000_000)
            ], on: try day("2025-03-12")
        ).code
        try f.store.fund(
            order: hn,
            try Funding(stateBudget: 500_000_000, enterpriseFunds: 250_000_000, fundedOn: try day("2025-04-20")))
        try f.store.makeAdvance(
            order: tn, amount: 300_000_000, reference: "UNC 0415/KBNN-TN tạm ứng đợt 1", on: try day("2025-04-15"))
        try f.store.makeAdvance(
            order: hn, amount: 150_000_000, reference: "UNC 0501/KBNN-HN", on: try day("2025-05-01"))
        try f.store.acceptOutput(order: tn, number: 1, on: try day("2025-09-15"))
        try f.store.acceptOutput(order: hn, number: 1, on: try day("2025-10-01"))
        try f.store.recordPayment(order: hn, output: 1, amount: 100_000_000, on: try day("2025-11-01"))
        try f.store.recordPayment(
            order: tn, output: 1, amount: 100_000_000, source: .enterprise, on: try day("2025-12-01"))
        try f.store.recordPayment(order: tn, output: 1, amount: 200_000_000, on: try day("2025-12-20"))
        try f.store.recoverAdvance(
            order: tn, amount: 40_000_000, reason: "Doanh nghiệp nộp trả một phần tạm ứng", on: try day("2026-01-05"))
        try f.store.recordPayment(order: tn, output: 1, amount: 400_000_000, on: try day("2026-02-01"))
        return f
    }

    /// The four figures of each province with any, summed here from the rows with plain SQL.
    static func sums(_ f: Fixture, year: Int) throws -> [String: AdvanceFigures] {
        let start = "\(year)-01-01"
        let end = min("\(year + 1)-01-01", "2026-07-01")
        return try f.store.writer.read { db in
            var out: [String: AdvanceFigures] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.province_code,
                      (SELECT coalesce(sum(amount), 0) FROM advances v JOIN orders w ON w.id = v.order_id
                        WHERE w.province_code = o.province_code AND kind = 'advance' AND made_on >= :s AND made_on < :e),
                      (SELECT coalesce(sum(settled), 0) FROM payments p JOIN orders w ON w.id = p.order_id
                        WHERE w.province_code = o.province_code AND paid_on >= :s AND paid_on < :e),
                      (SELECT coalesce(sum(amount), 0) FROM advances v JOIN orders w ON w.id = v.order_id
                        WHERE w.province_code = o.province_code AND kind = 'recovery' AND made_on >= :s AND made_on < :e),
                      (SELECT coalesce(sum(CASE kind WHEN 'advance' THEN amount ELSE -amount END), 0)
                        FROM advances v JOIN orders w ON w.id = v.order_id
                        WHERE w.province_code = o.province_code AND made_on < :e)
                      - (SELECT coalesce(sum(settled), 0) FROM payments p JOIN orders w ON w.id = p.order_id
                        WHERE w.province_code = o.province_code AND paid_on < :e)
                    FROM orders o GROUP BY o.province_code
                    """, arguments: ["s": start, "e": end])
            for row in rows {
                out[row[0]] = AdvanceFigures(advanced: row[1], settled: row[2], recovered: row[3], outstanding: row[4])
            }
            return out
        }
    }

    @Test func provincesCarryTheAdvancesOfTheirOwnOrdersAndZerosWithout() throws {
        let f = try Self.scenario()
        let asOf = try day(Self.asOf)
        let thaiNguyen = try Province.named("Thái Nguyên")
        let hanoi = try Province.named("Hà Nội")
        let caoBang = try Province.named("Cao Bằng")
        let known: [Int: [Province: AdvanceFigures]] = [
            2025: [
                thaiNguyen: AdvanceFigures(
                    advanced: 300_000_000, settled: 200_000_000, recovered: 0, outstanding: 100_000_000),
                hanoi: AdvanceFigures(
                    advanced: 150_000_000, settled: 100_000_000, recovered: 0, outstanding: 50_000_000),
            ],
            2026: [
                thaiNguyen: AdvanceFigures(advanced: 0, settled: 60_000_000, recovered: 40_000_000, outstanding: 0),
                hanoi: AdvanceFigures(advanced: 0, settled: 0, recovered: 0, outstanding: 50_000_000),
            ],
        ]
        // 2024: advances exist, none made or settled by that year's end.
        for year in [2024, 2025, 2026] {
            let rows = try f.store.provinceIndicators(year: year, asOf: asOf)
            #expect(rows.count == 34)
            let sums = try Self.sums(f, year: year)
            #expect(sums.count == 2)
            for row in rows {
                let expected = known[year]?[row.province] ?? .zero
                #expect(row.advances == expected, "\(row.province.name) \(year)")
                #expect(row.advances == (sums[row.province.code] ?? .zero), "\(row.province.name) \(year) by SQL")
            }
            #expect(rows.first { $0.province == caoBang }?.advances == .zero)
            // The country's block of `report indicators` (read without the orders, no province
            // to tell apart) is the provinces' figures added up, zeros (not absent) in 2024; and
            // each province's block is its row.
            let total = try f.store.indicators(IndicatorRequest(years: year...year, asOf: asOf)).years.first?.advances
            #expect(total == rows.compactMap(\.advances).reduce(.zero, +))
            #expect(year != 2024 || total == .zero)
            for province in [thaiNguyen, hanoi, caoBang] {
                let one = try f.store.indicators(IndicatorRequest(province: province, years: year...year, asOf: asOf))
                #expect(one.years.first?.advances == rows.first { $0.province == province }?.advances)
            }
        }
        // Of one field: the orders are innovation, so science holds none.
        let science = try f.store.provinceIndicators(year: 2025, field: .science, asOf: asOf)
        #expect(science.allSatisfy { $0.advances == .zero })
        let innovation = try f.store.provinceIndicators(year: 2025, field: .innovation, asOf: asOf)
        #expect(innovation.first { $0.province == hanoi }?.advances?.outstanding == 50_000_000)
        for (field, rows) in [(Field.science, science), (.innovation, innovation)] {
            let total = try f.store.indicators(IndicatorRequest(field: field, years: 2025...2025, asOf: asOf))
            #expect(total.years.first?.advances == rows.compactMap(\.advances).reduce(.zero, +), "\(field)")
        }
    }

    @Test func provincesSortByAnAdvanceFigureAndItsColumnsCarryIt() throws {
        let f = try Self.scenario()
        let asOf = try day(Self.asOf)
        #expect(try ProvinceSort.parse("advances_outstanding") == .advance(.outstanding))
        #expect(try ProvinceSort.parse(" State_Budget_Advanced ") == .advance(.advanced))
        let sorted = try f.store.provinceIndicators(
            year: 2025, sort: .advance(.outstanding), descending: true, asOf: asOf)
        #expect(sorted.prefix(2).map(\.province.name) == ["Thái Nguyên", "Hà Nội"])
        let ascending = try f.store.provinceIndicators(year: 2025, sort: .advance(.advanced), asOf: asOf)
        #expect(ascending.suffix(2).map(\.province.name) == ["Hà Nội", "Thái Nguyên"])
        // The columns: the four figures by key in JSON and CSV, what is outstanding in the table.
        let columns = Columns.provinces(year: 2025)
        let row = try #require(sorted.first)
        let json = Column.row(columns, row).serialized()
        #expect(
            json.contains(
                "\"state_budget_advanced\": 300000000,\n  \"advances_settled\": 200000000,\n  \"advances_recovered\": 0,\n  \"advances_outstanding\": 100000000,\n  \"targets_met\""
            ))
        #expect(columns.filter(\.inTable).map(\.title).contains("ADV. OUTSTANDING"))
        #expect(columns.first { $0.key == "advances_outstanding" }?.text?(row) == "100.000.000")
        // Where the figures are not known (the national store's rows), null and a dash.
        var unknown = row
        unknown.advances = nil
        #expect(Column.row(columns, unknown).serialized().contains("\"advances_outstanding\": null"))
        #expect(columns.first { $0.key == "advances_outstanding" }?.text?(unknown) == "–")
    }

    @Test func aDatabaseWithoutAdvancesGivesZerosPerProvince() throws {
        let f = try Fixture()
        _ = try f.delivered()
        let rows = try f.store.provinceIndicators(year: 2025, asOf: try day(Self.asOf))
        #expect(rows.count == 34 && rows.allSatisfy { $0.advances == .zero })
        // The indicators keep their block out until an advance is made (docs/advances.md).
        #expect(try f.store.indicators(IndicatorRequest(years: 2025...2025)).years.first?.advances == nil)
    }

    @Test func theDashboardShowsTheAdvancesNextToThePayments() throws {
        let f = try Self.scenario()
        let html = DashboardHTML(try f.store.dashboard(year: 2025, province: try Province.named("Hà Nội"))).content()
        let money = try #require(html.range(of: "<section id=\"money\">"))
        let map = try #require(html.range(of: "<section id=\"map\">"))
        let section = String(html[money.upperBound..<map.lowerBound])
        #expect(section.contains("<h3>Tạm ứng ngân sách nhà nước (ngoài các khoản thanh toán trên)</h3>"))
        for (key, amount) in [
            ("state_budget_advanced", "150.000.000"), ("advances_settled", "100.000.000"), ("advances_recovered", "0"),
            ("advances_outstanding", "50.000.000"),
        ] {
            #expect(section.contains("<code>\(key)</code></td><td class=\"num\">\(amount)</td>"), "\(key)")
        }
        // The state budget paid stays the payments' whole amount: 100 million paid in Hà Nội.
        #expect(
            section.contains(
                "<td>Ngân sách nhà nước</td><td class=\"num\">500.000.000</td><td class=\"num\">100.000.000</td>"))
        // A database without advances shows no such table.
        let plain = try Fixture()
        _ = try plain.delivered()
        #expect(!DashboardHTML(try plain.store.dashboard(year: 2025)).content().contains("Tạm ứng"))
    }
}
