import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// A browser's view of the pages: its cookies (session, language) and the form token the pages
/// carry.
struct Browser {
    var cookies: [String: String] = [:]
    var csrf: String?

    var cookieHeader: String {
        cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    /// Headers a same-origin browser sends (`Sec-Fetch-Site: same-origin`), with its cookies.
    func headers(form: Bool = false, sameOrigin: Bool = true) -> HTTPFields {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        if form { headers[.contentType] = "application/x-www-form-urlencoded" }
        if sameOrigin, let name = HTTPField.Name("Sec-Fetch-Site") { headers[name] = "same-origin" }
        return headers
    }

    /// Keeps the cookies an answer sets (an empty value removes one).
    mutating func take(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            guard let pair = header.split(separator: ";").first else { continue }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            cookies[name] = value.isEmpty ? nil : value
        }
        if let token = PageTests.hiddenToken(response.text) { csrf = token }
    }

    /// `fields` as a form body, with the form token unless `token` is false.
    func form(_ fields: [(String, String)], token: Bool = true) -> String {
        var all = fields
        if token, let csrf { all.append(("csrf_token", csrf)) }
        return all.map { PageRenderer.queryEscaped($0.0) + "=" + PageRenderer.queryEscaped($0.1) }.joined(
            separator: "&")
    }
}

extension TestClientProtocol {
    /// A GET as `browser`, keeping what it sets.
    func get(_ uri: String, _ browser: inout Browser) async throws -> TestResponse {
        let response = try await execute(uri: uri, method: .get, headers: browser.headers())
        browser.take(response)
        return response
    }

    /// A form POST as `browser`, keeping what it sets.
    func post(
        _ uri: String, _ browser: inout Browser, _ fields: [(String, String)], token: Bool = true,
        sameOrigin: Bool = true
    ) async throws -> TestResponse {
        let response = try await execute(
            uri: uri, method: .post, headers: browser.headers(form: true, sameOrigin: sameOrigin),
            body: ByteBuffer(string: browser.form(fields, token: token)))
        browser.take(response)
        return response
    }

    /// A browser signed in as `login` through the sign-in page, holding a page's form token.
    func signIn(_ login: String) async throws -> Browser {
        var browser = Browser()
        let response = try await post(
            "/sign-in", &browser, [("login", login), ("password", APIFixture.password), ("next", "/")], token: false)
        #expect(response.status == .seeOther, "\(response.text)")
        // A signed-in page carries the form token in its layout (the sign-out form).
        let home = try await get("/", &browser)
        if home.status == .seeOther, let location = home.headers[.location] { _ = try await get(location, &browser) }
        return browser
    }
}

@Suite struct PageTests {
    static func hiddenToken(_ html: String) -> String? {
        guard let range = html.range(of: #"name="csrf_token" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let token = String(rest[..<end])
        return token.isEmpty ? nil : token
    }

    @Test func bothLanguagesHaveExactlyTheSameKeys() {
        #expect(Set(Strings.vi.keys) == Set(Strings.en.keys))
        #expect(Strings.vi.count > 30)
        for language in Language.allCases {
            for (key, value) in language.strings { #expect(!value.isEmpty, "\(language) \(key)") }
        }
    }

    @Test func everyTemplateFileIsEmbeddedAndParses() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/STOrdersServer/Pages/Templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".mustache")
        }
        #expect(Set(files.map { String($0.dropLast(".mustache".count)) }) == Set(PageRenderer.templateFiles.keys))
        let renderer = try PageRenderer()
        #expect(renderer.library.getTemplate(named: "layout") != nil)
        // Templates never use triple mustaches (unescaped output).
        for (name, bytes) in PageRenderer.templateFiles {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(name)")
            #expect(!text.contains("style=") && !text.contains("<script>") && !text.contains("onclick"), "\(name)")
        }
    }

    @Test func moneyIsGroupedAsEachLanguageWritesIt() throws {
        #expect(Language.vi.money(1_234_567) == "1.234.567\u{00A0}₫")
        #expect(Language.en.money(1_234_567) == "1,234,567\u{00A0}₫")
        #expect(Language.vi.money(0) == "0\u{00A0}₫")
        #expect(Money.format(1_200_000_000, grouping: .comma) == "1,200,000,000")
        #expect(Money.format(999) == "999")
        #expect(Language.vi.day(try Day(parsing: "2026-02-01")) == "01/02/2026")
        #expect(Language.en.day(try Day(parsing: "2026-02-01")) == "2026-02-01")
    }

    @Test func theSignInPageIsVietnameseByDefaultWithThePagesPolicyAndItsAssets() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = Browser()
            let page = try await client.get("/sign-in", &browser)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<html lang="vi">"#))
            #expect(page.text.contains("Đăng nhập"))
            #expect(page.text.contains(#"<label for="login">"#) && page.text.contains(#"<label for="password">"#))
            #expect(page.text.contains(##"href="#main""##))  // the skip link
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(!policy.contains("unsafe-inline"))
            #expect(policy.contains("style-src 'self'") && policy.contains("form-action 'self'"))
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[.cacheControl] == "no-store")

            let renderer = fixture.server.state.pages
            #expect(page.text.contains(renderer.assets.css.path) && page.text.contains(renderer.assets.js.path))
            let css = try await client.get(renderer.assets.css.path, &browser)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(css.text.contains(":focus-visible"))
            let js = try await client.get(renderer.assets.js.path, &browser)
            #expect(js.status == .ok)
            let stale = try await client.get("/assets/app.0000000000000000.css", &browser)
            #expect(stale.status == .notFound)

            // The API keeps its own stricter policy.
            let api = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(api.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'")
        }
    }

    @Test func theLanguageSwitchIsRememberedInACookie() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = Browser()
            let switched = try await client.get("/language/en?next=%2Fsign-in%3Fnext%3D%252Forders", &browser)
            #expect(switched.status == .seeOther)
            #expect(switched.headers[.location] == "/sign-in?next=%2Forders")
            #expect(browser.cookies["storders_lang"] == "en")
            let page = try await client.get("/sign-in", &browser)
            #expect(page.text.contains(#"<html lang="en">"#) && page.text.contains("Sign in"))
            #expect(page.text.contains(#"href="/language/vi?next="#))
            // Away from this site, never.
            let away = try await client.get("/language/vi?next=%2F%2Fevil.example", &browser)
            #expect(away.headers[.location] == "/")
            let unknown = try await client.get("/language/fr", &browser)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func signingInByTheFormUsesTheAPIsSessionAndGoesToASafeNext() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = Browser()
            let wrong = try await client.post(
                "/sign-in", &browser, [("login", "officer"), ("password", "sai-mật-khẩu"), ("next", "/orders")],
                token: false)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            #expect(wrong.text.contains(#"value="officer""#))  // the login is kept, never the password
            #expect(!wrong.text.contains("sai-mật-khẩu"))
            #expect(wrong.text.contains(#"aria-describedby="form-error""#))
            #expect(browser.cookies["storders_session"] == nil)

            let right = try await client.post(
                "/sign-in", &browser,
                [("login", "officer"), ("password", APIFixture.password), ("next", "//evil.example/x")], token: false)
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/")
            let cookie = try #require(browser.cookies["storders_session"])
            #expect(try fixture.store.auditLog().contains { $0.event == "login" && $0.login == "officer" })
            // The same session the API knows.
            let me = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.cookie: "storders_session=\(cookie)"])
            #expect(me.status == .ok)

            // A sign-in form posted from another site is refused.
            var other = Browser()
            var headers = other.headers(form: true, sameOrigin: false)
            headers[.origin] = "https://evil.example"
            let forged = try await client.execute(
                uri: "/sign-in", method: .post, headers: headers,
                body: ByteBuffer(string: other.form([("login", "officer"), ("password", APIFixture.password)])))
            other.take(forged)
            #expect(forged.status == .forbidden)
            #expect(other.cookies["storders_session"] == nil)
        }
    }

    @Test func failedSignInsThroughTheFormAreSlowedLikeTheAPIs() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = Browser()
            for _ in 0..<5 {
                _ = try await client.post(
                    "/sign-in", &browser, [("login", "officer"), ("password", "wrong-password")], token: false)
            }
            let throttled = try await client.post(
                "/sign-in", &browser, [("login", "officer"), ("password", APIFixture.password)], token: false)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.text.contains("Quá nhiều lần đăng nhập sai"))
            #expect(try fixture.store.auditLog().contains { $0.event == "login_throttled" && $0.login == "officer" })
        }
    }

    @Test func aPageWithoutASessionSendsToSignInAndAnEndedSessionToTheExpiredPage() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var anonymous = Browser()
            let wall = try await client.get("/orders?state=ordered", &anonymous)
            #expect(wall.status == .seeOther)
            #expect(wall.headers[.location] == "/sign-in?next=%2Forders%3Fstate%3Dordered")

            var browser = try await client.signIn("enterprise")
            fixture.clock.advance(seconds: 31 * 60)  // past the idle limit
            let expired = try await client.get("/", &browser)
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location] == "/session-expired?next=%2F")
            #expect(browser.cookies["storders_session"] == nil)
            let page = try await client.get("/session-expired?next=%2F", &browser)
            #expect(page.status == .ok)
            #expect(page.text.contains("Phiên làm việc đã hết hạn"))
            #expect(page.text.contains(#"href="/sign-in?next=%2F""#))
        }
    }

    @Test func signOutNeedsTheFormTokenAndEndsTheSession() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = try await client.signIn("auditor")
            #expect(browser.csrf != nil)
            let home = try await client.get("/", &browser)
            #expect(home.status == .ok)
            #expect(home.text.contains(#"id="who-login">auditor<"#))

            let noToken = try await client.post("/sign-out", &browser, [], token: false)
            #expect(noToken.status == .forbidden)
            #expect(noToken.text.contains("Biểu mẫu bị từ chối"))
            let crossSite = try await client.post("/sign-out", &browser, [], sameOrigin: false)
            #expect(crossSite.status == .forbidden)
            #expect(try await client.get("/", &browser).status == .ok)  // still signed in

            let out = try await client.post("/sign-out", &browser, [])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/sign-in")
            let after = try await client.get("/sign-in", &browser)
            #expect(after.text.contains(#"id="flash">Bạn đã đăng xuất.<"#))
            #expect(browser.cookies["storders_flash"] == nil)  // shown once
            let wall = try await client.get("/", &browser)
            #expect(wall.status == .seeOther)
            #expect(wall.headers[.location]?.hasPrefix("/sign-in") == true)
        }
    }

    @Test func anUnknownPageIsThe404PageInTheLayout() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = Browser()
            browser.cookies["storders_lang"] = "en"
            let missing = try await client.get("/no-such-page", &browser)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(missing.text.contains("Not found"))
            #expect(!(missing.headers[.contentSecurityPolicy] ?? "").contains("unsafe-inline"))
            // The API's unknown routes still answer JSON.
            let api = try await client.execute(uri: "/api/v1/no-such-route", method: .get)
            #expect(api.errorCode == "no_route")
        }
    }

    @Test func aForgedFlashCookieCannotMakeAPageSayAnything() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = Browser()
            browser.cookies["storders_flash"] = PageRenderer.queryEscaped("<b>owned</b>:x")
            let page = try await client.get("/sign-in", &browser)
            #expect(!page.text.contains("owned"))
            browser.cookies["storders_flash"] = PageRenderer.queryEscaped("signed_out:<script>")
            let escaped = try await client.get("/sign-in", &browser)
            #expect(!escaped.text.contains("<script>"))
        }
    }
}
