import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The dashboard, auditor and admin pages as each role sees them (HummingbirdTesting's router,
/// a browser signed in through the sign-in page): what each shows, each refusal's page and
/// status, escaping, the live dashboard's feed, and that a refused form changed nothing.
@Suite struct OversightPageTests {
    static func fixture() throws -> APIFixture { try APIFixture { $0.passwordCost = 4 } }

    /// The text inside `<div class="dashboard" id="dashboard" …>` (up to its `</div>`, the last
    /// before `</main>`), without the whitespace around it (the template indents its first line).
    static func dashboardContent(_ html: String) -> String? {
        guard let start = html.range(of: #"<div class="dashboard" id="dashboard""#),
            let open = html[start.upperBound...].range(of: ">"),
            let main = html.range(of: "</main>", options: .backwards),
            let end = html.range(of: "</div>", options: .backwards, range: open.upperBound..<main.lowerBound)
        else { return nil }
        return html[open.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func attribute(_ name: String, _ html: String) -> String? {
        guard let range = html.range(of: " \(name)=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    // MARK: The live dashboard

    @Test func anOfficerSeesItsProvincesDashboardAsReportHTMLDrawsIt() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let page = try await client.get("/dashboard?year=2026", &officer)
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(!policy.contains("unsafe-inline") && policy.contains("connect-src 'self'"))
            #expect(!page.text.contains("<script>") && !page.text.contains("style="))
            // The content is the library's, for Thái Nguyên, exactly as report html draws it.
            let content = try #require(Self.dashboardContent(page.text))
            var expected = try f.store.dashboard(year: 2026, province: try Province.named("Thái Nguyên"))
            expected.map = expected.map.filter { $0.province.name == "Thái Nguyên" }
            #expect(content == Self.trimmed(DashboardHTML(expected).content()))
            for id in ["targets", "indicators", "funnel", "money", "map", "trend", "fields", "results"] {
                #expect(content.contains("<section id=\"\(id)\">"), "\(id)")
            }
            // Its map holds its own province only; no province to choose.
            #expect(!content.contains("Hà Nội"))
            #expect(!page.text.contains(#"id="dashboard-province""#))
            // Its version is the one the feed answers this officer.
            let feed = try await client.send(.get, "/api/v1/changes", headers: f.bearer("officer"))
            #expect(Self.attribute("data-version", page.text) == (try feed.object()["version"] as? String))
            #expect(Self.attribute("data-source", page.text) == "/dashboard/content?year=2026")
            // Another province is refused, as GET /api/v1/reports/indicators refuses it.
            let other = try await client.get("/dashboard?year=2026&province=01", &officer)
            #expect(other.status == .forbidden)
        }
    }

    @Test func aNationalReaderChoosesTheProvinceAndAnEnterpriseIsRefused() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            var auditor = try await client.signIn("auditor")
            let national = try await client.get("/dashboard?year=2025", &auditor)
            #expect(national.status == .ok)
            #expect(national.text.contains(#"id="dashboard-province""#))
            #expect(
                Self.dashboardContent(national.text)
                    == Self.trimmed(DashboardHTML(try f.store.dashboard(year: 2025)).content()))
            let hanoi = try await client.get("/dashboard?year=2025&province=01", &auditor)
            #expect(hanoi.status == .ok)
            #expect(hanoi.text.contains("Hà Nội"))
            #expect(Self.attribute("data-source", hanoi.text) == "/dashboard/content?year=2025&amp;province=01")

            var enterprise = try await client.signIn("enterprise")
            for uri in ["/dashboard", "/dashboard/content"] {
                let refused = try await client.get(uri, &enterprise)
                #expect(refused.status == .forbidden, "\(uri)")
            }
            var nobody = Browser()
            let anonymous = try await client.get("/dashboard", &nobody)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/sign-in?next=") == true)
        }
    }

    /// The feed and the fragment the script uses: after a payment the version moves and the
    /// fragment shows the new figures; the fragment is the page's content, no layout.
    @Test func theDashboardFollowsTheChangeFeed() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let page = try await client.get("/dashboard?year=2026", &officer)
            let version = try #require(Self.attribute("data-version", page.text))
            let before = try await client.get("/dashboard/content?year=2026", &officer)
            #expect(before.status == .ok)
            #expect(Self.trimmed(before.text) == Self.dashboardContent(page.text))
            #expect(!before.text.contains("<html") && !before.text.contains("<nav"))

            let registered = try await client.send(
                .post, "/api/v1/orders", headers: f.bearer("officer"), APIFixture.newOrderBody)
            #expect(registered.status == .created)
            let feed = try await client.get("/api/v1/changes", &officer)
            #expect(feed.status == .ok)
            let moved = try #require(try feed.object()["version"] as? String)
            #expect(moved != version)
            let after = try await client.get("/dashboard/content?year=2026", &officer)
            #expect(after.text != before.text)
            var expected = try f.store.dashboard(year: 2026, province: try Province.named("Thái Nguyên"))
            expected.map = expected.map.filter { $0.province.name == "Thái Nguyên" }
            #expect(after.text == DashboardHTML(expected).content())
        }
    }

    @Test func theScriptIsServedFromAssetsAndFollowsTheFeed() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let page = try await client.get("/dashboard", &officer)
            let script = try #require(
                page.text.range(of: #"<script src=""#).map { range -> String in
                    let rest = page.text[range.upperBound...]
                    return String(rest[..<(rest.firstIndex(of: "\"") ?? rest.endIndex)])
                })
            #expect(script.hasPrefix("/assets/"))
            let js = try await client.get(script, &officer)
            #expect(js.status == .ok)
            #expect(js.text.contains("/api/v1/changes") && js.text.contains("data-live-dashboard"))
            let css = try #require(
                Self.attribute("href", page.text.components(separatedBy: "<link rel=\"stylesheet\"").last ?? ""))
            let sheet = try await client.get(css, &officer)
            #expect(sheet.text.contains(DashboardHTML.css))
        }
    }

    // MARK: Auditor

    @Test func verifyShowsEveryCheckToANationalAuditorOnly() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            var auditor = try await client.signIn("auditor")
            let page = try await client.get("/verify", &auditor)
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains(Language.vi.text("verify_ok")))
            for check in Verification.Check.allCases { #expect(page.text.contains(#"id="check-\#(check.rawValue)""#)) }
            #expect(page.text.contains(try f.store.verify().chainHead))
            #expect(page.text.contains(#"href="/export""#))
            for login in ["tn-auditor", "officer", "enterprise"] {
                var browser = try await client.signIn(login)
                let refused = try await client.get("/verify", &browser)
                #expect(refused.status == .forbidden, "\(login)")
            }
        }
    }

    @Test func anOrdersHistoryShowsEachEventsHashInScopeOnly() async throws {
        let f = try Self.fixture()
        // The demo's first order of Thái Nguyên, and one of Hà Nội.
        let (code, hidden) = ("19-2025-0001", "01-2025-0001")
        #expect(try f.store.orderDetail(code: hidden).order.province.name == "Hà Nội")
        try await f.server.application.test(.router) { client in
            var officer = try await client.signIn("tn-auditor")
            let page = try await client.get("/orders/\(code)/history", &officer)
            #expect(page.status == .ok, "\(page.text)")
            for chained in try f.store.chainedHistory(code: code) {
                #expect(page.text.contains(chained.hash))
                #expect(page.text.contains(#"id="event-\#(chained.id)""#))
            }
            // Another province's order is the same page as an order that does not exist.
            let other = try await client.get("/orders/\(hidden)/history", &officer)
            let missing = try await client.get("/orders/\(String(hidden.dropLast(4)))9999/history", &officer)
            #expect(other.status == .notFound && missing.status == .notFound)
            #expect(other.text == missing.text.replacingOccurrences(of: "01-2025-9999", with: hidden))
            var admin = try await client.signIn("admin")
            #expect(try await client.get("/orders/\(code)/history", &admin).status == .forbidden)
        }
    }

    @Test func theExportDownloadsTheAPIsStream() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            var auditor = try await client.signIn("auditor")
            let page = try await client.get("/export", &auditor)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"href="/export/storders.jsonl""#))
            let file = try await client.get("/export/storders.jsonl", &auditor)
            #expect(file.status == .ok)
            #expect(file.headers[.contentDisposition] == #"attachment; filename="storders-export.jsonl""#)
            let api = try await client.send(.get, "/api/v1/export", headers: f.bearer("auditor"))
            #expect(file.text == api.text)
            #expect(file.text.contains("Công ty TNHH Quang học Yên Bình"))
            var officer = try await client.signIn("officer")
            #expect(try await client.get("/export/storders.jsonl", &officer).status == .forbidden)
        }
    }

    // MARK: Admin

    @Test func anAdminManagesAccountsThroughTheForms() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            var admin = try await client.signIn("admin")
            let list = try await client.get("/accounts", &admin)
            #expect(list.status == .ok)
            for login in ["enterprise", "officer", "hanoi-officer", "auditor"] {
                #expect(list.text.contains(#"id="account-\#(login)""#))
            }
            // A refused form: its sentence beside the field, what was typed kept (never the password).
            let before = try AccountRoutesTests.accountsFingerprint(f)
            let refused = try await client.post(
                "/accounts/new", &admin,
                [("login", "can-bo.hn"), ("role", "officer"), ("province", "Hà Nội"), ("password", "ngắn")])
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains("a password has at least 10"))
            #expect(refused.text.contains(#"value="can-bo.hn""#))
            #expect(!refused.text.contains(#"value="ngắn""#))
            // The password is typed hidden and left to the browser's password manager.
            #expect(refused.text.contains(#"<input id="password" name="password" type="password" value="""#))
            #expect(refused.text.contains(#"autocomplete="new-password""#))
            #expect(try AccountRoutesTests.accountsFingerprint(f) == before)
            // Without the form token: 403, nothing changed.
            let forged = try await client.post(
                "/accounts/officer/disable", &admin, [], token: false)
            #expect(forged.status == .forbidden)
            #expect(try AccountRoutesTests.accountsFingerprint(f) == before)

            let added = try await client.post(
                "/accounts/new", &admin,
                [
                    ("login", "can-bo.hn"), ("role", "officer"), ("province", "Hà Nội"),
                    ("password", "mật-khẩu-mới-0001"), ("enterprise", ""),
                ])
            #expect(added.status == .seeOther, "\(added.text)")
            #expect(added.headers[.location] == "/accounts/can-bo.hn")
            #expect(try f.store.account(login: "can-bo.hn").province?.name == "Hà Nội")

            let disabled = try await client.post("/accounts/officer/disable", &admin, [])
            #expect(disabled.status == .seeOther)
            #expect(try f.store.account(login: "officer").disabled)
            let shown = try await client.get("/accounts/officer", &admin)
            #expect(shown.text.contains(#"id="enable-form""#))
            #expect(try f.store.auditLog(limit: 1).first?.actor == "admin")

            let role = try await client.post(
                "/accounts/hanoi-officer/role", &admin, [("role", "auditor"), ("province", ""), ("enterprise", "")])
            #expect(role.status == .seeOther, "\(role.text)")
            #expect(try f.store.account(login: "hanoi-officer").role == .auditor)
            #expect(try f.store.account(login: "hanoi-officer").province == nil)
        }
    }

    @Test func accountPagesAreAnAdminsOnly() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            let before = try f.store.accounts().map { Shape.account($0).serialized(indent: nil) }
            for login in ["officer", "auditor", "enterprise"] {
                var browser = try await client.signIn(login)
                for uri in ["/accounts", "/accounts/new", "/accounts/officer", "/national-targets"] {
                    #expect(try await client.get(uri, &browser).status == .forbidden, "\(login) \(uri)")
                }
                let post = try await client.post("/accounts/officer/disable", &browser, [])
                #expect(post.status == .forbidden, "\(login)")
            }
            // Sign-ins are in the audit log; the accounts are as they were.
            #expect(try f.store.accounts().map { Shape.account($0).serialized(indent: nil) } == before)
        }
    }

    @Test func anAdminSetsTheNationalTargets() async throws {
        let f = try Self.fixture()
        try await f.server.application.test(.router) { client in
            var admin = try await client.signIn("admin")
            let form = try await client.get("/national-targets", &admin)
            #expect(form.status == .ok)
            let bad = try await client.post("/national-targets", &admin, [("innovative_startups", "nhiều")])
            #expect(bad.status == .unprocessableContent)
            #expect(try f.store.targets(province: nil).first { $0.key == .innovativeStartups }?.value == .count(5))
            let set = try await client.post("/national-targets", &admin, [("innovative_startups", "12")])
            #expect(set.status == .seeOther)
            #expect(try f.store.targets(province: nil).first { $0.key == .innovativeStartups }?.value == .count(12))
        }
    }
}
