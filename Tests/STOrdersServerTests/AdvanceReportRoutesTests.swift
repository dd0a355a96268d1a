import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The state money advanced (tạm ứng) as the server reports it: GET /api/v1/reports/indicators
/// and /reports/provinces carry the four figures of `report indicators` (each key documented in
/// openapi.json), and the live dashboard shows them next to the payments.
@Suite struct AdvanceReportRoutesTests {
    static let nano = "79-2025-0001"

    /// The demo, with the nano order in Thành phố Hồ Chí Minh advanced 80 million (2026-09-01),
    /// 50 million of it settled by a state payment (2026-09-10): 30 million outstanding.
    static func advanced() throws -> APIFixture {
        let f = try APIFixture { $0.passwordCost = 4 }
        try f.store.setAdvanceLimit(basisPoints: 1250)
        try f.store.makeAdvance(
            order: nano, amount: 80_000_000, reference: "UNC 0901/KBNN-HCM – tạm ứng đợt 1",
            on: try Day(parsing: "2026-09-01"))
        try f.store.recordPayment(order: nano, output: 1, amount: 50_000_000, on: try Day(parsing: "2026-09-10"))
        return f
    }

    static let hcmc: [String: Int] = [
        "advanced": 80_000_000, "settled": 50_000_000, "recovered": 0, "outstanding": 30_000_000,
    ]
    static let none: [String: Int] = ["advanced": 0, "settled": 0, "recovered": 0, "outstanding": 0]

    /// The properties a schema of openapi.json documents.
    static func documented(_ schema: String) throws -> Set<String> {
        let data = Data(OpenAPIDocument.text.utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let properties = (schemas?[schema] as? [String: Any])?["properties"] as? [String: Any]
        return Set(try #require(properties).keys)
    }

    @Test func theReportRoutesCarryTheAdvancesAndDocumentEveryKey() async throws {
        let f = try Self.advanced()
        try await f.server.application.test(.router) { client in
            let auditor = f.bearer("auditor")
            let one = try await client.send(
                .get, "/api/v1/reports/indicators?year=2026&province=79", headers: auditor)
            #expect(one.status == .ok, "\(one.text)")
            let report = try one.object()
            #expect(report["province"] as? String == "Thành phố Hồ Chí Minh")
            #expect(report["advances"] as? [String: Int] == Self.hcmc)
            // Each answer as openapi.json documents it (the conformance test's checker).
            let document = try OpenAPISchemas()
            let reportSchema = try document.schema(of: "#/components/schemas/IndicatorReport")
            #expect(document.violations(of: report, against: reportSchema) == [])
            // A province without advances: zeros, not missing (the officer's Thái Nguyên).
            let own = try await client.send(.get, "/api/v1/reports/indicators?year=2026", headers: f.bearer("officer"))
            #expect(try own.object()["province"] as? String == "Thái Nguyên")
            #expect(try own.object()["advances"] as? [String: Int] == Self.none)
            // Over years, each year carries its own block.
            let span = try await client.send(
                .get, "/api/v1/reports/indicators?from=2025&to=2026&province=79", headers: auditor
            ).object()
            let years = try #require(span["years"] as? [[String: Any]])
            #expect(years.map { $0["advances"] as? [String: Int] } == [Self.none, Self.hcmc])
            #expect(document.violations(of: span, against: reportSchema) == [])

            // By province: every province's row has the four figures.
            let rows = try await client.send(.get, "/api/v1/reports/provinces?year=2026", headers: auditor).array()
            #expect(rows.count == 34)
            let keys = ["state_budget_advanced", "advances_settled", "advances_recovered", "advances_outstanding"]
            for row in rows {
                let expected =
                    row["province_code"] as? String == "79" ? [80_000_000, 50_000_000, 0, 30_000_000] : [0, 0, 0, 0]
                #expect(keys.map { row[$0] as? Int } == expected, "\(row["province"] ?? "?")")
            }
            #expect(Set(keys).isSubset(of: try Self.documented("ProvinceRow")))
            let rowSchema = try document.schema(of: "#/components/schemas/ProvinceRow")
            #expect(rows.flatMap { document.violations(of: $0, against: rowSchema) } == [])
            let sorted = try await client.send(
                .get, "/api/v1/reports/provinces?year=2026&sort=advances_outstanding&descending=true", headers: auditor
            ).array()
            #expect(sorted.first?["province"] as? String == "Thành phố Hồ Chí Minh")
            // An officer's list holds its province's row: Thái Nguyên, none outstanding.
            let officer = try await client.send(
                .get, "/api/v1/reports/provinces?year=2026", headers: f.bearer("officer")
            ).array()
            #expect(officer.map { $0["advances_outstanding"] as? Int } == [0])
        }
    }

    @Test func theLiveDashboardShowsTheAdvancesNextToThePayments() async throws {
        let f = try Self.advanced()
        try await f.server.application.test(.router) { client in
            var auditor = try await client.signIn("auditor")
            let page = try await client.get("/dashboard?year=2026&province=79", &auditor)
            #expect(page.status == .ok, "\(page.text)")
            let content = try #require(OversightPageTests.dashboardContent(page.text))
            let money = try #require(content.range(of: "<section id=\"money\">"))
            let section = content[money.upperBound...]
            let end = try #require(section.range(of: "</section>"))
            let shown = String(section[..<end.lowerBound])
            #expect(shown.contains("Tạm ứng ngân sách nhà nước (ngoài các khoản thanh toán trên)"))
            for (key, amount) in [
                ("state_budget_advanced", "80.000.000"), ("advances_settled", "50.000.000"),
                ("advances_recovered", "0"), ("advances_outstanding", "30.000.000"),
            ] {
                #expect(shown.contains("<code>\(key)</code></td><td class=\"num\">\(amount)</td>"), "\(key)")
            }
            // The officer of Thái Nguyên, whose orders hold no advance: the same table, zeros.
            var officer = try await client.signIn("officer")
            let own = try await client.get("/dashboard/content?year=2026", &officer)
            #expect(own.status == .ok)
            #expect(own.text.contains("<code>advances_outstanding</code></td><td class=\"num\">0</td>"))
        }
    }
}
