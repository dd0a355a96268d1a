import Foundation
import Testing

@testable import STOrders

/// The dashboard's HTML, one definition for `storders report html` (the whole file) and the
/// server's live page (the content inside its own layout, the rules as a stylesheet).
@Suite struct DashboardHTMLTests {
    static func dashboard() throws -> Dashboard {
        let store = try Store.inMemory(actor: "kiểm thử")
        try DemoData.populate(store)
        return try store.dashboard(year: 2025)
    }

    @Test func theFileHoldsExactlyTheContentThePageShows() throws {
        let page = DashboardHTML(try Self.dashboard())
        let content = page.content()
        let document = page.document()
        #expect(document.contains("<main class=\"dashboard\">\n" + content + "</main>\n</body>\n</html>\n"))
        for id in ["targets", "indicators", "funnel", "money", "map", "trend", "fields", "results"] {
            #expect(content.contains("<section id=\"\(id)\">"), "section \(id)")
        }
        #expect(content.contains("Cần Thơ"))
        // The content carries no page of its own and nothing a strict Content-Security-Policy
        // would block: no script, no style element or attribute, nothing fetched.
        for forbidden in ["<html", "<head", "<body", "<style", "style=", "<script", "<link", "src=", "url(", "http"] {
            #expect(!content.contains(forbidden), "\(forbidden)")
        }
        #expect(document.contains("<style>" + DashboardHTML.pageCSS + DashboardHTML.css + "</style>"))
    }

    /// Every rule of the shared stylesheet applies inside `.dashboard` only, so the server's
    /// page keeps its own header, navigation and forms as they are.
    @Test func everySharedRuleIsScopedToTheDashboard() {
        var selectors: [String] = []
        var pending = ""
        var depth = 0
        for character in DashboardHTML.css {
            switch character {
            case "{":
                let selector = pending.trimmingCharacters(in: .whitespacesAndNewlines)
                if !selector.hasPrefix("@") { selectors.append(selector) }
                pending = ""
                depth += 1
            case "}":
                pending = ""
                depth -= 1
            default:
                pending.append(character)
            }
        }
        #expect(depth == 0)
        #expect(selectors.count > 30)
        for selector in selectors {
            for part in selector.split(separator: ",") {
                let trimmed = part.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(trimmed == ".dashboard" || trimmed.hasPrefix(".dashboard "), "\(trimmed)")
            }
        }
    }

    /// A title with markup is shown as text in both.
    @Test func storedTextIsEscaped() throws {
        let store = try Store.inMemory(actor: "kiểm thử")
        try DemoData.populate(store)
        let taxCode = try TaxCode(parsing: "0100109106")
        _ = try store.addEnterprise(
            name: "Công ty <b>Đậm</b> & \"Nghiêng\"", taxCode: taxCode, province: try Province.named("Hà Nội"),
            on: try Day(parsing: "2025-01-02"))
        let order = try store.registerOrder(
            enterprise: taxCode, title: "Hệ thống <script>alert(1)</script>", field: .digital,
            outputs: [NewOutput(title: "Phần mềm", type: .product, novelty: .new, value: 1_000_000)],
            on: try Day(parsing: "2025-02-01"))
        _ = try store.fund(
            order: order.code, try Funding(stateBudget: 1_000_000, fundedOn: try Day(parsing: "2025-02-02")))
        _ = try store.acceptOutput(order: order.code, number: 1, evidence: nil, on: try Day(parsing: "2025-02-03"))
        _ = try store.commercialize(
            order: order.code, channel: .sale, revenue: 5_000_000, note: nil, on: try Day(parsing: "2025-02-04"))
        let content = DashboardHTML(try store.dashboard(year: 2025)).content()
        #expect(content.contains("Hệ thống &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(content.contains("Công ty &lt;b&gt;Đậm&lt;/b&gt; &amp; &quot;Nghiêng&quot;"))
        #expect(!content.contains("<script"))
    }
}
