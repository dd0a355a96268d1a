import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The enterprise portal and the officer's workbench through HummingbirdTesting's router, as a
/// browser uses them (cookies, the form token, form posts): each page's content for each role,
/// the scope and role refusals, refused forms that keep what was typed, escaping.
@Suite struct OrderPageTests {
    /// The story's funded, delivered and commercialized order (Thái Nguyên, the story's enterprise).
    static let camera = "19-2025-0001"
    /// Hà Nội's order, outside the story enterprise's and the Thái Nguyên officer's scope.
    static let hanoi = "01-2025-0001"

    /// Registers an `ordered` order of the story's enterprise with two outputs, straight in the store.
    static func orderedOrder(_ fixture: APIFixture) throws -> String {
        let order = try fixture.store.registerOrder(
            enterprise: try TaxCode(parsing: DemoData.storyTaxCode), title: "Thấu kính phi cầu cho camera hành trình",
            field: .innovation,
            outputs: [
                NewOutput(title: "Thấu kính mẫu", type: .product, novelty: .new, value: 300_000_000),
                NewOutput(title: "Quy trình mài", type: .model, novelty: .improved, value: 200_000_000),
            ], on: try Day(parsing: "2026-02-01"))
        return order.code
    }

    @Test func myOrdersListsTheEnterprisesOwnOrdersWithTheirStateAndNextStep() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = try await client.signIn("enterprise")
            let page = try await client.get("/orders", &browser)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"id="page-title">Đơn đặt hàng của tôi<"#))
            #expect(
                page.text.contains(#"data-code="19-2025-0001""#) && page.text.contains(#"data-code="19-2025-0002""#))
            #expect(!page.text.contains(Self.hanoi))
            #expect(page.text.contains("Đã thương mại hóa") && page.text.contains("Có thể báo cáo thêm kết quả"))
            #expect(page.text.contains("Cải tiến quy trình sản xuất mô-đun camera tại KCN Yên Bình"))
            #expect(page.text.contains("2.000.000.000\u{00A0}₫"))
            #expect(page.text.contains(#"id="nav-orders" href="/orders" aria-current="page""#))
            #expect(!(page.headers[.contentSecurityPolicy] ?? "unsafe-inline").contains("unsafe-inline"))

            browser.cookies["storders_lang"] = "en"
            let english = try await client.get("/orders?state=commercialized", &browser)
            #expect(english.text.contains(#"id="page-title">My orders<"#))
            #expect(english.text.contains("2,000,000,000\u{00A0}₫"))
            #expect(english.text.contains("Further results may be reported"))
        }
    }

    @Test func anotherEnterprisesOrderIsTheSame404AsAMissingOne() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = try await client.signIn("enterprise")
            let other = try await client.get("/orders/\(Self.hanoi)", &browser)
            let missing = try await client.get("/orders/99-2099-9999", &browser)
            #expect(other.status == .notFound && missing.status == .notFound)
            // Byte for byte, but for the address asked (the language switch's way back).
            #expect(
                other.text.replacingOccurrences(of: Self.hanoi, with: "CODE")
                    == missing.text.replacingOccurrences(of: "99-2099-9999", with: "CODE"))
            #expect(other.text.contains("Không tìm thấy"))
            #expect(!other.text.contains("Thăng Long"))
            let otherStep = try await client.get("/orders/\(Self.hanoi)/results/new", &browser)
            #expect(otherStep.status == .notFound)

            var officer = try await client.signIn("hanoi-officer")
            let outside = try await client.get("/orders/\(Self.camera)", &officer)
            #expect(outside.status == .notFound)
            // In scope but not the role's: an enterprise does not fund (403 page).
            let fund = try await client.get("/orders/\(Self.camera)/fund", &browser)
            #expect(fund.status == .forbidden)
            #expect(fund.text.contains("Không được phép"))
            // Not an officer: its own inbox (docs/web.md), no targets.
            #expect(try await client.get("/inbox", &browser).status == .ok)
            #expect(try await client.get("/targets", &browser).status == .forbidden)
            var auditor = try await client.signIn("auditor")
            #expect(try await client.get("/targets", &auditor).status == .forbidden)
        }
    }

    @Test func oneOrdersPageShowsOutputsFundingPaymentsResultsAndTheHistory() async throws {
        let fixture = try APIFixture()
        // A reversal, so the payments are shown net of it.
        _ = try fixture.store.reversePayment(
            order: Self.camera, payment: 2, amount: 100_000_000, reason: "Ghi nhầm số tiền",
            on: try Day(parsing: "2026-02-11"))
        try await fixture.server.application.test(.router) { client in
            var browser = try await client.signIn("enterprise")
            let page = try await client.get("/orders/\(Self.camera)", &browser)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains(#"id="page-title">Đơn đặt hàng 19-2025-0001<"#))
            #expect(html.contains("Quy trình sản xuất mô-đun camera cải tiến"))
            #expect(html.contains(#"id="outputs-total">2.000.000.000\#u{00A0}₫<"#))
            #expect(html.contains("Ngân sách nhà nước") && html.contains("1.200.000.000\u{00A0}₫"))
            #expect(html.contains("900.000.000\u{00A0}₫"))  // enterprise funds
            #expect(html.contains(#"id="paid-total">1.900.000.000\#u{00A0}₫<"#))  // 1.2 bn + 0.8 bn − 0.1 bn
            #expect(html.contains("Điều chỉnh khoản 2: Ghi nhầm số tiền"))
            #expect(html.contains("-100.000.000\u{00A0}₫"))
            #expect(html.contains("Hợp đồng cung ứng mô-đun camera cho đối tác xuất khẩu"))
            #expect(html.contains(#"id="revenue-total">4.500.000.000\#u{00A0}₫<"#))
            #expect(html.contains(#"<ol class="timeline" id="history""#))
            #expect(html.contains("Nghiệm thu sản phẩm") && html.contains("Biên bản nghiệm thu số 12/BB-SKHCN"))
            #expect(html.contains(#"<time datetime="2025-04-02">02/04/2025</time>"#))
            // The enterprise may report a further result; it does not fund, pay, reverse or retract.
            #expect(html.contains(#"id="action-commercialize""#))
            #expect(!html.contains(#"id="action-pay""#) && !html.contains(#"id="reverse-1""#))
            #expect(!html.contains(#"id="retract-1""#))

            var officer = try await client.signIn("officer")
            let officers = try await client.get("/orders/\(Self.camera)", &officer)
            #expect(officers.text.contains(#"id="action-pay""#) && officers.text.contains(#"id="reverse-1""#))
            #expect(officers.text.contains(#"id="retract-1""#))
            #expect(!officers.text.contains(#"id="reverse-2""#))  // already reversed
            #expect(!officers.text.contains(#"id="action-fund""#))  // not ordered any more
            #expect(!officers.text.contains(#"id="action-cancel""#))  // a delivered order is never cancelled

            var auditor = try await client.signIn("tn-auditor")
            let audited = try await client.get("/orders/\(Self.camera)", &auditor)
            #expect(audited.status == .ok)
            #expect(!audited.text.contains(#"id="order-actions""#))
        }
    }

    @Test func anEnterpriseRegistersAnOrderWithTwoOutputsAddingARowWithoutJavaScript() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = try await client.signIn("enterprise")
            let form = try await client.get("/orders/new", &browser)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<label for="output-0-title" data-for="title">"#))
            #expect(!form.text.contains(#"id="output-1-title""#))
            #expect(!form.text.contains(#"id="enterprise""#))  // an enterprise registers for itself

            var fields: [(String, String)] = [
                ("row_count", "1"), ("title", "Kiểm định chất lượng thấu kính"), ("field", "innovation"),
                ("date", "2026-02-01"), ("outputs[0][title]", "Quy trình kiểm định"), ("outputs[0][type]", "model"),
                ("outputs[0][novelty]", "new"), ("outputs[0][value]", "300,000,000"),
            ]
            let added = try await client.post("/orders/new", &browser, fields + [("action", "add_row")])
            #expect(added.status == .ok)
            #expect(added.text.contains(#"id="output-1-title""#))
            #expect(added.text.contains(#"value="Quy trình kiểm định""#))  // kept
            #expect(added.text.contains(#"id="outputs-total" data-total-of="value" aria-live="polite">300.000.000"#))

            fields[0] = ("row_count", "2")
            fields += [
                ("outputs[1][title]", "Máy đo độ cong"), ("outputs[1][type]", "product"),
                ("outputs[1][novelty]", "improved"), ("outputs[1][value]", "200.000.000 ₫"),
            ]
            let registered = try await client.post("/orders/new", &browser, fields + [("action", "register")])
            #expect(registered.status == .seeOther)
            let location = try #require(registered.headers[.location])
            #expect(location.hasPrefix("/orders/19-2026-"))
            let code = String(location.dropFirst("/orders/".count))
            let detail = try fixture.store.orderDetail(code: code)
            #expect(detail.outputs.map(\.value) == [300_000_000, 200_000_000])
            #expect(detail.order.title == "Kiểm định chất lượng thấu kính")
            #expect(try fixture.store.history(code: code).first?.actor == "enterprise")

            let page = try await client.get(location, &browser)
            #expect(page.text.contains(#"id="flash">Đã đăng ký đơn \#(code).<"#))
            #expect(page.text.contains(#"id="outputs-total">500.000.000"#))
            #expect(page.text.contains("Chờ Sở quyết định cấp kinh phí"))
        }
    }

    @Test func aRefusedRegistrationKeepsWhatWasTypedAndSaysWhyBesideTheField() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var browser = try await client.signIn("enterprise")
            let before = try fixture.store.orderPage(OrderFilter(), limit: 100).orders.count
            let fields: [(String, String)] = [
                ("row_count", "2"), ("title", "Ống kính <b>đặc biệt</b>"), ("field", "science"),
                ("outputs[0][title]", "Mẫu thử"), ("outputs[0][type]", "product"), ("outputs[0][novelty]", "new"),
                ("outputs[0][value]", "1.234,5"),
                ("outputs[1][title]", "Quy trình"), ("outputs[1][type]", "model"), ("outputs[1][novelty]", "new"),
                ("outputs[1][value]", "-5"),
            ]
            let refused = try await client.post("/orders/new", &browser, fields + [("action", "register")])
            #expect(refused.status == .unprocessableContent)
            let html = refused.text
            #expect(html.contains(#"id="form-error""#))
            #expect(html.contains(#"aria-describedby="output-0-value-error" aria-invalid="true""#))
            #expect(html.contains(#"<p class="field-error" id="output-0-value-error">"#))
            #expect(html.contains("mixes thousands separators"))
            #expect(html.contains("amounts cannot be negative"))
            #expect(html.contains(#"value="1.234,5""#) && html.contains(#"value="-5""#))
            #expect(html.contains(#"value="Ống kính &lt;b&gt;đặc biệt&lt;/b&gt;""#))
            #expect(html.contains(#"<option value="science" selected>"#))
            #expect(try fixture.store.orderPage(OrderFilter(), limit: 100).orders.count == before)

            // A rule of the library (a duplicate code) is 409, beside the code field.
            let duplicate: [(String, String)] = [
                ("row_count", "1"), ("title", "Trùng mã"), ("field", "science"), ("code", Self.camera),
                ("outputs[0][title]", "Mẫu"), ("outputs[0][type]", "product"), ("outputs[0][novelty]", "new"),
                ("outputs[0][value]", "1 000 000"),
            ]
            let conflict = try await client.post("/orders/new", &browser, duplicate)
            #expect(conflict.status == .conflict)
            #expect(conflict.text.contains(#"<p class="field-error" id="code-error">"#))
            #expect(try fixture.store.orderPage(OrderFilter(), limit: 100).orders.count == before)
        }
    }

    @Test func theOfficersInboxListsWaitingOrdersOldestFirstWithTheProcessingShare() async throws {
        let fixture = try APIFixture()
        let older = try Self.orderedOrder(fixture)
        let newer = try fixture.store.registerOrder(
            enterprise: try TaxCode(parsing: DemoData.storyTaxCode), title: "Đơn mới hơn", field: .science,
            on: try Day(parsing: "2026-03-01")
        ).code
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let inbox = try await client.get("/inbox", &officer)
            #expect(inbox.status == .ok)
            let html = inbox.text
            #expect(html.contains("Hộp việc — Thái Nguyên"))
            let first = try #require(html.range(of: #"data-code="\#(older)""#))
            let second = try #require(html.range(of: #"data-code="\#(newer)""#))
            #expect(first.lowerBound < second.lowerBound)
            let waited = Day.days(from: try Day(parsing: "2026-02-01"), to: Day.today())
            #expect(html.contains(#"<td class="num" data-days>\#(waited)</td>"#))
            // Every kind of item waits in it (docs/web.md); the heading counts the rows.
            #expect(html.contains(#"data-code="\#(older)" data-kind="funding""#))
            #expect(html.contains(#"<a href="/orders/\#(newer)/fund">Cấp kinh phí</a>"#))
            let rows = html.components(separatedBy: "<tr data-code=").count - 1
            #expect(html.contains(">\(rows) việc đang chờ<"))
            // The library's indicator, not a second computation.
            let year = Day.today().year
            let report = try fixture.store.indicators(
                IndicatorRequest(province: try Province.named("Thái Nguyên"), years: year...year))
            let indicator = try #require(report.years.first?.total[.ordersDecidedShare])
            if case .ratio(let share)? = indicator.value {
                #expect(html.contains(#"id="share-value">\#(share.percent(places: 1)) %<"#))
            } else {
                #expect(html.contains(#"id="share-value">—<"#))
            }
            #expect(html.contains(#"id="share-target">80%<"#))
            #expect(!html.contains(Self.hanoi))
        }
    }

    @Test func theOfficerFundsAcceptsPaysAndReversesThroughTheForms() async throws {
        let fixture = try APIFixture()
        let code = try Self.orderedOrder(fixture)
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let form = try await client.get("/orders/\(code)/fund", &officer)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<label for="state_budget">"#))
            #expect(form.text.contains(#"aria-describedby="state_budget-hint""#))

            // Not enough to cover the outputs: the rule's sentence beside the field, 409, input kept.
            let before = try fixture.fingerprint(code)
            let short = try await client.post(
                "/orders/\(code)/fund", &officer,
                [("state_budget", "300.000.000"), ("enterprise_funds", "100,000,000")])
            #expect(short.status == .conflict)
            #expect(short.text.contains(#"<p class="field-error" id="state_budget-error">"#))
            #expect(short.text.contains("does not cover"))
            #expect(short.text.contains(#"value="300.000.000""#) && short.text.contains(#"value="100,000,000""#))
            #expect(try fixture.fingerprint(code) == before)

            let funded = try await client.post(
                "/orders/\(code)/fund", &officer,
                [("state_budget", "300.000.000"), ("enterprise_funds", "200,000,000"), ("date", "2026-02-10")])
            #expect(funded.status == .seeOther)
            #expect(funded.headers[.location] == "/orders/\(code)")
            #expect(try fixture.store.orderDetail(code: code).order.state == .funded)
            let page = try await client.get("/orders/\(code)", &officer)
            #expect(page.text.contains(#"id="flash">Đã cấp kinh phí cho đơn \#(code).<"#))
            #expect(page.text.contains(#"id="accept-1""#))

            let accepted = try await client.post(
                "/orders/\(code)/outputs/1/accept", &officer,
                [("evidence", "Biên bản nghiệm thu số 3/BB"), ("date", "2026-03-01")])
            #expect(accepted.status == .seeOther)
            #expect(try fixture.store.orderDetail(code: code).outputs[0].evidence == "Biên bản nghiệm thu số 3/BB")

            // Money refused as typed: a fraction, letters, negative — each a one-line sentence.
            for typed in ["1.234,5", "ba trăm", "-5", "0"] {
                let refused = try await client.post(
                    "/orders/\(code)/pay", &officer, [("output", "1"), ("amount", typed), ("source", "state")])
                #expect(refused.status == .unprocessableContent, "\(typed)")
                #expect(refused.text.contains(#"<p class="field-error" id="amount-error">"#), "\(typed)")
                #expect(refused.text.contains(#"value="\#(typed)""#), "\(typed)")
            }
            let tooMuch = try await client.post(
                "/orders/\(code)/pay", &officer, [("output", "1"), ("amount", "300.000.001"), ("source", "state")])
            #expect(tooMuch.status == .conflict)
            #expect(tooMuch.text.contains(#"id="amount-error""#))
            #expect(try fixture.store.orderDetail(code: code).payments.isEmpty)

            let paid = try await client.post(
                "/orders/\(code)/pay", &officer,
                [("output", "1"), ("amount", "300,000,000"), ("source", "state"), ("reference", "UNC 7/KBNN")])
            #expect(paid.status == .seeOther)
            #expect(try fixture.store.orderDetail(code: code).paidTotal == 300_000_000)

            let reversed = try await client.post(
                "/orders/\(code)/payments/1/reverse", &officer, [("reason", "Sai số tài khoản"), ("amount", "")])
            #expect(reversed.status == .seeOther)
            let detail = try fixture.store.orderDetail(code: code)
            #expect(detail.paidTotal == 0)
            #expect(detail.payments.last?.reason == "Sai số tài khoản")
            #expect(try fixture.store.history(code: code).last?.actor == "officer")
        }
    }

    @Test func aFormWithoutTheTokenOrFromAnotherOriginChangesNothing() async throws {
        let fixture = try APIFixture()
        let code = try Self.orderedOrder(fixture)
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let before = try fixture.fingerprint(code)
            let fields = [("state_budget", "500.000.000")]
            let noToken = try await client.post("/orders/\(code)/fund", &officer, fields, token: false)
            #expect(noToken.status == .forbidden)
            #expect(noToken.text.contains("Biểu mẫu bị từ chối"))
            let crossSite = try await client.post("/orders/\(code)/fund", &officer, fields, sameOrigin: false)
            #expect(crossSite.status == .forbidden)
            var headers = officer.headers(form: true, sameOrigin: false)
            headers[.origin] = "https://evil.example"
            let foreign = try await client.execute(
                uri: "/orders/\(code)/fund", method: .post, headers: headers,
                body: ByteBuffer(string: officer.form(fields)))
            #expect(foreign.status == .forbidden)
            var wrong = officer
            wrong.csrf = "not-the-token"
            let wrongToken = try await client.post("/orders/\(code)/fund", &wrong, fields)
            #expect(wrongToken.status == .forbidden)
            #expect(try fixture.fingerprint(code) == before)
            // The same form, properly sent, goes through.
            let sent = try await client.post("/orders/\(code)/fund", &officer, fields)
            #expect(sent.status == .seeOther)
        }
    }

    @Test func anEnterpriseWithdrawsWhileOrderedAndReportsAResult() async throws {
        let fixture = try APIFixture()
        let code = try Self.orderedOrder(fixture)
        try await fixture.server.application.test(.router) { client in
            var browser = try await client.signIn("enterprise")
            let page = try await client.get("/orders/\(code)", &browser)
            #expect(page.text.contains(#"id="action-cancel""#))
            let empty = try await client.post("/orders/\(code)/cancel", &browser, [("reason", "  ")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains(#"<p class="field-error" id="reason-error">Cần điền mục này.</p>"#))
            let cancelled = try await client.post("/orders/\(code)/cancel", &browser, [("reason", "Đổi kế hoạch")])
            #expect(cancelled.status == .seeOther)
            #expect(try fixture.store.orderDetail(code: code).order.state == .cancelled)

            let result = try await client.post(
                "/orders/\(Self.camera)/results/new", &browser,
                [("channel", "license"), ("revenue", "1 000 000 000 đồng"), ("note", "Cấp phép cho đối tác Đà Nẵng")])
            #expect(result.status == .seeOther)
            let results = try fixture.store.orderDetail(code: Self.camera).results
            #expect(results.last?.revenue == 1_000_000_000)
            #expect(results.last?.note == "Cấp phép cho đối tác Đà Nẵng")
        }
    }

    @Test func theOfficerSetsTheProvincesTargets() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let form = try await client.get("/targets", &officer)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<label for="orders_decided_share">"#))
            let refused = try await client.post(
                "/targets", &officer, [("orders_decided_share", "150%"), ("innovative_startups", "7")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="orders_decided_share-error""#))
            #expect(refused.text.contains(#"value="150%""#))
            let province = try Province.named("Thái Nguyên")
            #expect(
                try fixture.store.targets(province: province).first { $0.key == .innovativeStartups }?.province == nil)

            let saved = try await client.post("/targets", &officer, [("orders_decided_share", "85%")])
            #expect(saved.status == .seeOther)
            let share = try fixture.store.targets(province: province).first { $0.key == .ordersDecidedShare }
            #expect(share?.value == .share(basisPoints: 8500) && share?.province == province)
        }
    }

    @Test func userTextIsEscapedAndDiacriticsKept() async throws {
        let fixture = try APIFixture()
        let taxCode = try TaxCode(parsing: "4600100155")
        try fixture.store.addEnterprise(
            name: "<script>alert(1)</script> Công ty Đổi Mới Sáng Tạo", taxCode: taxCode,
            province: try Province.named("Thái Nguyên"), on: try Day(parsing: "2026-01-02"))
        let order = try fixture.store.registerOrder(
            enterprise: taxCode, title: "Tiêu đề \"có\" <img src=x onerror=alert(2)>", field: .digital,
            on: try Day(parsing: "2026-01-03"))
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let page = try await client.get("/orders/\(order.code)", &officer)
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert") && !page.text.contains("<img src=x"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; Công ty Đổi Mới Sáng Tạo"))
            #expect(page.text.contains("Tiêu đề &quot;có&quot; &lt;img src=x onerror=alert(2)&gt;"))
            let inbox = try await client.get("/inbox", &officer)
            #expect(!inbox.text.contains("<script>alert"))
            #expect(inbox.text.contains("Công ty Đổi Mới Sáng Tạo"))
            #expect(!page.text.contains(" style=") && !page.text.contains("<script>"))
        }
    }
}

/// Accessibility by construction: every visible input of every page has its `<label for>`, and
/// each refused field is tied to its error.
@Suite struct PageAccessibilityTests {
    /// The ids of the inputs, selects and textareas of `html` that have no `<label for>`.
    static func unlabelled(_ html: String) -> [String] {
        let controls = try? NSRegularExpression(pattern: #"<(input|select|textarea)\b([^>]*)>"#)
        let idPattern = try? NSRegularExpression(pattern: #"\bid="([^"]+)""#)
        var missing: [String] = []
        let whole = NSRange(html.startIndex..., in: html)
        for match in controls?.matches(in: html, range: whole) ?? [] {
            guard let attributesRange = Range(match.range(at: 2), in: html) else { continue }
            let attributes = String(html[attributesRange])
            if attributes.contains(#"type="hidden""#) { continue }
            let attributesWhole = NSRange(attributes.startIndex..., in: attributes)
            guard let idMatch = idPattern?.firstMatch(in: attributes, range: attributesWhole),
                let idRange = Range(idMatch.range(at: 1), in: attributes)
            else {
                missing.append(attributes)
                continue
            }
            let id = String(attributes[idRange])
            if !html.contains(#"<label for="\#(id)""#) { missing.append(id) }
        }
        return missing
    }

    @Test func everyInputOfEveryPageHasItsLabel() async throws {
        let fixture = try APIFixture()
        let code = try OrderPageTests.orderedOrder(fixture)
        try await fixture.server.application.test(.router) { client in
            var anonymous = Browser()
            let signIn = try await client.get("/sign-in", &anonymous)
            #expect(Self.unlabelled(signIn.text).isEmpty)

            var enterprise = try await client.signIn("enterprise")
            for path in [
                "/orders", "/orders/new", "/orders/\(code)", "/orders/\(code)/cancel",
                "/orders/\(OrderPageTests.camera)/results/new",
            ] {
                let page = try await client.get(path, &enterprise)
                #expect(page.status == .ok, "\(path)")
                #expect(Self.unlabelled(page.text).isEmpty, "\(path): \(Self.unlabelled(page.text))")
            }
            var officer = try await client.signIn("officer")
            for path in [
                "/inbox", "/targets", "/orders/new", "/orders/\(code)/fund", "/orders/\(OrderPageTests.camera)/pay",
                "/orders/\(OrderPageTests.camera)/payments/1/reverse",
                "/orders/\(OrderPageTests.camera)/results/1/retract", "/orders/\(code)/cancel",
            ] {
                let page = try await client.get(path, &officer)
                #expect(page.status == .ok, "\(path)")
                #expect(Self.unlabelled(page.text).isEmpty, "\(path): \(Self.unlabelled(page.text))")
            }
            // A missing output, payment or result is the 404 page.
            let noOutput = try await client.get("/orders/\(code)/outputs/9/accept", &officer)
            #expect(noOutput.status == .notFound)
            let refused = try await client.post("/orders/\(code)/pay", &officer, [("amount", "abc")])
            #expect(Self.unlabelled(refused.text).isEmpty)
        }
    }

    @Test func theOfficerRegistersForAnEnterpriseOfItsProvinceOnlyAndRetractsAResult() async throws {
        let fixture = try APIFixture()
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let form = try await client.get("/orders/new", &officer)
            #expect(form.text.contains(#"<label for="enterprise">"#))
            let row: [(String, String)] = [
                ("row_count", "1"), ("title", "Đơn do Sở đăng ký thay"), ("field", "digital"),
                ("outputs[0][title]", "Phần mềm"), ("outputs[0][type]", "product"), ("outputs[0][novelty]", "new"),
                ("outputs[0][value]", "150.000.000"),
            ]
            let before = try fixture.store.orderPage(OrderFilter(), limit: 100).orders.count
            // Hà Nội's enterprise is outside a Thái Nguyên officer's scope: as if it did not exist.
            let outside = try await client.post("/orders/new", &officer, row + [("enterprise", "0100233488")])
            #expect(outside.status == .unprocessableContent)
            #expect(outside.text.contains(#"<p class="field-error" id="enterprise-error">"#))
            #expect(outside.text.contains(#"value="0100233488""#))
            #expect(try fixture.store.orderPage(OrderFilter(), limit: 100).orders.count == before)
            let inside = try await client.post("/orders/new", &officer, row + [("enterprise", DemoData.storyTaxCode)])
            #expect(inside.status == .seeOther)

            let retracted = try await client.post(
                "/orders/\(OrderPageTests.camera)/results/1/retract", &officer, [("reason", "Hợp đồng bị hủy")])
            #expect(retracted.status == .seeOther)
            let result = try fixture.store.orderDetail(code: OrderPageTests.camera).results.first
            #expect(result?.retractedOn != nil && result?.retractReason == "Hợp đồng bị hủy")
            let again = try await client.post(
                "/orders/\(OrderPageTests.camera)/results/1/retract", &officer, [("reason", "Lần nữa")])
            #expect(again.status == .conflict)
            #expect(again.text.contains(#"id="form-error""#))
            #expect(again.text.contains(">Lần nữa</textarea>"))  // kept
        }
    }
}
