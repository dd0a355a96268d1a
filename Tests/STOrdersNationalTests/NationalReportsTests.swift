import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import STOrders
@testable import STOrdersNational

/// Several generated province files, covering the 34 provinces between them (each owns its
/// own), with reversals, retractions, advances settled by payments and recovered (a settling
/// payment reversed among them) and a province's own target, published into one national store:
/// every national figure equals the one computed from the files, indicator by indicator and
/// advance figure by advance figure, for the country, for each province and for each year.
@Suite("national reports", .serialized, .enabled(if: TestPostgres.enabled, TestPostgres.skipped))
struct NationalReportsTests {
    /// Four offices: the provinces in `Province.all` order dealt round-robin, so each file mixes
    /// cities and provinces, and every one of the 34 belongs to exactly one file.
    static let offices: [Set<Province>] = (0..<4).map { k in
        Set(Province.all.enumerated().filter { $0.offset % 4 == k }.map(\.element))
    }
    static let years = 2023...2026
    /// The day the reports count the orders past their contract's end as of (in its year; each
    /// earlier year as of its last day), the same for the files and the national store.
    static let asOf = Day(year: 2026, month: 6, day: 30)

    struct Source {
        var store: Store
        var provinces: Set<Province>
        var path: String
    }

    /// Generates the four files, then corrects some of their records as an office would: about
    /// one paid order in fifteen has a payment reversed (in part or whole), about one
    /// commercialized order in ten has a result retracted (the order goes back to delivered
    /// when it was its only one), a few payments that settled advances are reversed and the
    /// advances they leave outstanding recovered in part (`AdvanceCorrections`), and the first
    /// office sets its first province's own target.
    static func makeSources(in directory: URL) throws -> [Source] {
        try offices.enumerated().map { index, provinces in
            let path = directory.appendingPathComponent("sở-\(index).sqlite").path
            let store = try Store.open(path: path, mode: .createIfNeeded, actor: "kiểm thử")
            _ = try store.generate(
                GeneratorOptions(orders: 700, seed: UInt64(41 + index), years: years, provinces: provinces))
            let payments = try store.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT o.code, p.number, p.amount, p.paid_on FROM payments p JOIN orders o ON o.id = p.order_id
                        WHERE p.reverses IS NULL AND p.order_id % 15 = 0 ORDER BY p.id
                        """)
            }
            var reversed = 0
            for (i, row) in payments.enumerated() {
                let paidOn = try Day(parsing: row[3])
                let amount: Int64 = row[2]
                // A correction the rules refuse (dated after the order's later steps) is skipped:
                // the count below proves enough of them were made.
                guard
                    (try? store.reversePayment(
                        order: row[0], payment: row[1], amount: i % 2 == 0 ? nil : max(1, amount / 3),
                        reason: "Chi nhầm tài khoản, hoàn trả Kho bạc", on: paidOn.adding(days: 20))) != nil
                else { continue }
                reversed += 1
            }
            let results = try store.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT o.code, r.number, r.commercialized_on FROM results r JOIN orders o ON o.id = r.order_id
                        WHERE r.order_id % 10 = 0 ORDER BY r.id
                        """)
            }
            var retracted = 0
            for row in results {
                let on = try Day(parsing: row[2])
                guard
                    (try? store.retractResult(
                        order: row[0], result: row[1], reason: "Hợp đồng bị hủy, ghi nhầm kết quả",
                        on: on.adding(days: 30))) != nil
                else { continue }
                retracted += 1
            }
            let advances = try AdvanceCorrections.make(store)
            #expect(reversed > 10, "office \(index): payments reversed")
            #expect(retracted > 5, "office \(index): results retracted")
            #expect(advances.reversed > 0 && advances.recovered > 0, "office \(index): advances corrected")
            if index == 0, let first = provinces.min(by: { $0.code < $1.code }) {
                try store.setTarget(.newOrImprovedOutputs, .count(12), province: first)
            }
            return Source(store: store, provinces: provinces, path: path)
        }
    }

    @Test func nationalFiguresEqualThoseOfTheSourcesIndicatorByIndicator() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "storders-national-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sources = try Self.makeSources(in: directory)
        let database = try await NationalDatabase.make()
        let national = try await database.connect()
        do {
            for source in sources {
                let summary = try await Publisher.publish(source.store, to: database.url)
                #expect(summary.events > 0)
            }
            #expect(try await national.verifyTotals().map(\.differences) == [0, 0, 0])
            try await compare(sources, national)
            await national.close()
            await database.drop()
        } catch {
            await national.close()
            await database.drop()
            throw error
        }
    }

    func compare(_ sources: [Source], _ national: NationalConnection) async throws {
        // The four files hold every state, reversals and retractions (else the test proves less).
        let states = try sources.reduce(into: Set<String>()) { all, source in
            all.formUnion(
                try source.store.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT state FROM orders") })
        }
        #expect(states == ["ordered", "funded", "delivered", "commercialized", "cancelled"])
        #expect(Set(sources.flatMap(\.provinces)) == Set(Province.all))

        // Each province, each year and the span: the province's own file is the expectation,
        // every indicator, the deadlines' among them.
        var onTimeShown = 0
        var pastContractEnd: Int64 = 0
        var advanceFiguresShown: [AdvanceFigures.Key: Int] = [:]
        for source in sources {
            for province in source.provinces.sorted(by: { $0.code < $1.code }) {
                let request = IndicatorRequest(province: province, years: Self.years, asOf: Self.asOf)
                let expected = try source.store.indicators(request)
                let found = try await national.indicators(request)
                // The advances block too: the same figures as the province's file.
                #expect(expected.years.contains { $0.advances != nil }, "\(province.name)")
                for (e, f) in zip(expected.years, found.years) {
                    #expect(f.advances == e.advances, "\(province.name) \(e.year) advances")
                    for key in AdvanceFigures.Key.allCases {
                        advanceFiguresShown[key, default: 0] += f.advances.map { $0[key] != 0 ? 1 : 0 } ?? 0
                    }
                }
                onTimeShown += found.years.filter { $0.total[.outputsOnTimeShare]?.value != nil }.count
                pastContractEnd += found.years.map(\.total.figures.ordersPastContractEnd).reduce(0, +)
                for (e, f) in zip(expected.years, found.years) {
                    for key in IndicatorKey.allCases {
                        #expect(f.total[key] == e.total[key], "\(province.name) \(e.year) \(key.rawValue)")
                    }
                    #expect(f.total.figures == e.total.figures, "\(province.name) \(e.year) figures")
                    #expect(f.byField.map(\.indicators) == e.byField.map(\.indicators), "\(province.name) by field")
                }
                #expect(found == expected, "\(province.name)")
            }
        }
        // Not vacuous: both deadlines' indicators have values to compare, and each advance figure
        // (advanced, settled, recovered, outstanding) is not 0 in some province's year.
        #expect(onTimeShown > 10)
        #expect(pastContractEnd > 0)
        #expect(
            advanceFiguresShown.count == 4 && advanceFiguresShown.values.allSatisfy { $0 > 0 }, "\(advanceFiguresShown)"
        )

        // Each year, by province: `report provinces` row by row from the owning file.
        for year in Self.years {
            let found = try await national.provinceIndicators(year: year, asOf: Self.asOf)
            #expect(found.count == 34)
            for row in found {
                guard let source = sources.first(where: { $0.provinces.contains(row.province) }) else {
                    Issue.record("\(row.province.name) has no source")
                    continue
                }
                let expected = try source.store.provinceIndicators(year: year, asOf: Self.asOf)
                    .first { $0.province == row.province }
                // The four advance columns too (zeros for a province without).
                #expect(row.advances != nil && row.advances == expected?.advances, "\(row.province.name) \(year)")
                #expect(row == expected, "\(row.province.name) \(year)")
            }
            // One field: the same rows, without targets.
            let digital = try await national.provinceIndicators(year: year, field: .digital, asOf: Self.asOf)
            for row in digital {
                let source = sources.first { $0.provinces.contains(row.province) }
                let expected = try source?.store.provinceIndicators(year: year, field: .digital, asOf: Self.asOf)
                    .first { $0.province == row.province }
                #expect(row == expected, "\(row.province.name) \(year) digital")
            }
        }

        // The country: the files' figures added up (each file holds its own provinces only), the
        // enterprises counted once by tax code across files, and the targets each province set.
        let request = IndicatorRequest(years: Self.years, asOf: Self.asOf)
        let found = try await national.indicators(request)
        var figures: [String: FieldedFigures] = [:]
        var advances: [Int: AdvanceFigures] = [:]
        for source in sources {
            let report = try source.store.indicators(request)
            for year in report.years {
                if let a = year.advances { advances[year.year] = (advances[year.year] ?? .zero) + a }
                var sum = figures[String(year.year)] ?? FieldedFigures()
                try sum.total.addAdditive(year.total.figures)
                for (field, set) in year.byField {
                    var f = sum.byField[field] ?? Figures()
                    try f.addAdditive(set.figures)
                    sum.byField[field] = f
                }
                figures[String(year.year)] = sum
            }
        }
        for year in Self.years {
            let engaged = try Self.enterprisesEngaged(sources, year: year)
            figures[String(year), default: FieldedFigures()].total.enterprisesInnovating = engaged.total.count
            figures[String(year), default: FieldedFigures()].total.innovativeStartups = engaged.total.startups
            for field in Field.allCases {
                let counts = engaged.byField[field] ?? (0, 0)
                figures[String(year), default: FieldedFigures()].byField[field, default: Figures()]
                    .enterprisesInnovating = counts.count
                figures[String(year), default: FieldedFigures()].byField[field, default: Figures()]
                    .innovativeStartups = counts.startups
            }
        }
        var targets = TargetTable()
        for source in sources {
            for target in try source.store.targetHistory() where target.province.map(source.provinces.contains) ?? true
            {
                targets.set(target.key, province: target.province, target.value)
            }
        }
        var expected = try IndicatorReport(request, figures: figures, targets: targets)
        // The country's advances: the files' added up.
        for i in expected.years.indices { expected.years[i].advances = advances[expected.years[i].year] }
        for (e, f) in zip(expected.years, found.years) {
            #expect(f.advances == e.advances, "country \(e.year) advances")
            for key in IndicatorKey.allCases {
                #expect(f.total[key] == e.total[key], "country \(e.year) \(key.rawValue)")
            }
            #expect(f.byField.map(\.indicators) == e.byField.map(\.indicators), "country \(e.year) by field")
        }
        #expect(found == expected)
        // Not vacuous: the country's year has outputs, money paid net of reversals and results.
        let y2025 = try #require(found.years.first { $0.year == 2025 })
        #expect(y2025.total.figures.outputsAccepted > 100)
        #expect(y2025.total.figures.results > 20)
        #expect(y2025.total.figures.stateBudgetPaid > 0)
    }

    /// The enterprises engaged in `year` across the files, each tax code once (a startup if
    /// any file says so), in total and per field: from each file's own records.
    static func enterprisesEngaged(_ sources: [Source], year: Int) throws -> (
        total: (count: Int64, startups: Int64), byField: [Field: (count: Int64, startups: Int64)]
    ) {
        var seen: [String: (startup: Bool, fields: Set<String>)] = [:]
        for source in sources {
            let rows = try source.store.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.tax_code, e.innovative_startup, t.field FROM tally_enterprises t
                        JOIN enterprises e ON e.id = t.enterprise_id WHERE t.year = ? AND t.activities > 0
                        """, arguments: [year])
            }
            for row in rows {
                let code: String = row[0]
                let startup: Bool = row[1]
                let field: String = row[2]
                var entry = seen[code] ?? (false, [])
                entry.startup = entry.startup || startup
                entry.fields.insert(field)
                seen[code] = entry
            }
        }
        var byField: [Field: (count: Int64, startups: Int64)] = [:]
        for field in Field.allCases {
            let active = seen.values.filter { $0.fields.contains(field.rawValue) }
            byField[field] = (Int64(active.count), Int64(active.filter(\.startup).count))
        }
        return ((Int64(seen.count), Int64(seen.values.filter(\.startup).count)), byField)
    }
}
