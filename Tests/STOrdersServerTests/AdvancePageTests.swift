import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import STOrders
import Testing

@testable import STOrdersServer

/// The advances on an order's page (docs/advances.md) as a browser uses them: the balance and
/// each advance and recovery for whoever reads the order, and for an officer of its province the
/// forms to advance and to recover (cookies, the form token), which call the library as the API's
/// routes do. A refused form answers its status with the refusal beside its field and changes
/// nothing.
@Suite struct AdvancePageTests {
    static let code = ProcessRoutesTests.code
    static let base = "/orders/\(code)"

    static func day(_ text: String) throws -> Day { try Day(parsing: text) }

    @Test func theOrderPageShowsTheBalanceEachAdvanceAndTheOfficersSteps() async throws {
        let fixture = try ProcessRoutesTests.fixture()
        try fixture.store.setAdvanceLimit(basisPoints: 3000)
        try fixture.store.makeAdvance(
            order: Self.code, amount: 80_000_000, reference: "UNC 0701/KBNN-TN – tạm ứng đợt 1",
            on: try Self.day("2026-07-01"))
        try fixture.store.recordPayment(
            order: Self.code, output: 1, amount: 50_000_000, source: .state, reference: "UNC 0710/KBNN-TN",
            on: try Self.day("2026-07-10"))
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let page = try await client.get(Self.base, &officer)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains(#"<h2 id="advances-heading">Tạm ứng</h2>"#))
            #expect(html.contains(#"<dd id="advance-advanced">80.000.000\#u{00A0}₫</dd>"#))
            #expect(html.contains(#"<dd id="advance-settled">50.000.000\#u{00A0}₫</dd>"#))
            #expect(html.contains(#"<dd id="advance-recovered">0\#u{00A0}₫</dd>"#))
            #expect(html.contains(#"<dd id="advance-outstanding">30.000.000\#u{00A0}₫</dd>"#))
            #expect(html.contains(#"<tr id="advance-1" data-kind="advance">"#))
            #expect(html.contains("UNC 0701/KBNN-TN – tạm ứng đợt 1") && html.contains("<td>30%</td>"))
            // The payment says what it settled.
            #expect(html.contains("khấu trừ 50.000.000\u{00A0}₫ tạm ứng"))
            #expect(html.contains(#"id="action-advance" href="\#(Self.base)/advances/new""#))
            #expect(html.contains(#"id="action-recover-advance" href="\#(Self.base)/advances/recover""#))

            // The enterprise sees its advances, and no step on them.
            var enterprise = try await client.signIn("enterprise")
            let own = try await client.get(Self.base, &enterprise).text
            #expect(own.contains(#"<dd id="advance-outstanding">30.000.000\#u{00A0}₫</dd>"#))
            #expect(!own.contains(#"id="action-advance""#) && !own.contains(#"id="action-recover-advance""#))
            #expect(try await client.get("\(Self.base)/advances/new", &enterprise).status == .forbidden)
            #expect(try await client.get("\(Self.base)/advances/recover", &enterprise).status == .forbidden)
            var hanoi = try await client.signIn("hanoi-officer")
            #expect(try await client.get("\(Self.base)/advances/new", &hanoi).status == .notFound)
        }
    }

    @Test func anOrderWithoutAdvancesSaysSoAndOffersNoRecovery() async throws {
        let fixture = try ProcessRoutesTests.fixture()
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let html = try await client.get(Self.base, &officer).text
            #expect(html.contains(#"<p id="no-advances">Chưa có khoản tạm ứng nào.</p>"#))
            #expect(!html.contains(#"id="advance-balance""#))
            #expect(html.contains(#"id="action-advance""#) && !html.contains(#"id="action-recover-advance""#))
        }
    }

    @Test func theOfficerAdvancesAndRecoversThroughTheForms() async throws {
        let fixture = try ProcessRoutesTests.fixture()
        let store = fixture.store
        try await fixture.server.application.test(.router) { client in
            var officer = try await client.signIn("officer")
            let form = try await client.get("\(Self.base)/advances/new", &officer)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"id="advance-form""#))
            #expect(PageAccessibilityTests.unlabelled(form.text).isEmpty)

            // No limit is set: refused on top of the form, nothing changed.
            var before = try fixture.fingerprint(Self.code)
            let unset = try await client.post(
                "\(Self.base)/advances/new", &officer,
                [("amount", "30.000.000"), ("reference", "UNC 0701/KBNN"), ("date", "2026-07-01")])
            #expect(unset.status == .conflict)
            #expect(unset.text.contains(#"id="form-error""#))
            #expect(try fixture.fingerprint(Self.code) == before)

            try store.setAdvanceLimit(basisPoints: 1000)  // 40.000.000 đồng of 400.000.000
            before = try fixture.fingerprint(Self.code)
            let above = try await client.post(
                "\(Self.base)/advances/new", &officer,
                [("amount", "50.000.000"), ("reference", "UNC 0701/KBNN"), ("date", "2026-07-01")])
            #expect(above.status == .conflict)
            #expect(above.text.contains(#"<p class="field-error" id="amount-error">"#))
            #expect(above.text.contains(#"value="UNC 0701/KBNN""#))
            let noReference = try await client.post(
                "\(Self.base)/advances/new", &officer, [("amount", "30.000.000"), ("date", "2026-07-01")])
            #expect(noReference.status == .unprocessableContent)
            #expect(noReference.text.contains(#"id="reference-error""#))
            #expect(try fixture.fingerprint(Self.code) == before)

            let made = try await client.post(
                "\(Self.base)/advances/new", &officer,
                [("amount", "30.000.000"), ("reference", "UNC 0701/KBNN – tạm ứng đợt 1"), ("date", "2026-07-01")])
            #expect(made.status == .seeOther)
            let shown = try await client.get(Self.base, &officer)
            #expect(shown.text.contains(#"id="flash">Đã ghi nhận tạm ứng cho đơn \#(Self.code).<"#))
            let (advances, _) = try store.advances(order: Self.code)
            #expect(advances.map(\.amount) == [30_000_000] && advances.first?.limitShare == 1000)
            #expect(advances.first?.reference == "UNC 0701/KBNN – tạm ứng đợt 1")

            let recoverForm = try await client.get("\(Self.base)/advances/recover", &officer)
            #expect(recoverForm.status == .ok && PageAccessibilityTests.unlabelled(recoverForm.text).isEmpty)
            before = try fixture.fingerprint(Self.code)
            let tooMuch = try await client.post(
                "\(Self.base)/advances/recover", &officer,
                [("amount", "40.000.000"), ("reason", "Hoàn trả"), ("date", "2026-07-05")])
            #expect(tooMuch.status == .conflict)
            #expect(tooMuch.text.contains(#"<p class="field-error" id="amount-error">"#))
            let noReason = try await client.post(
                "\(Self.base)/advances/recover", &officer, [("date", "2026-07-05")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.text.contains(#"id="reason-error""#))
            #expect(try fixture.fingerprint(Self.code) == before)

            // Without an amount, all that is outstanding.
            let recovered = try await client.post(
                "\(Self.base)/advances/recover", &officer,
                [
                    ("reason", "Doanh nghiệp hoàn trả toàn bộ tạm ứng"), ("reference", "GNT 0705"),
                    ("date", "2026-07-05"),
                ])
            #expect(recovered.status == .seeOther)
            let (all, balance) = try store.advances(order: Self.code)
            #expect(all.last?.kind == .recovery && all.last?.reason == "Doanh nghiệp hoàn trả toàn bộ tạm ứng")
            #expect(balance == AdvanceBalance(advanced: 30_000_000, recovered: 30_000_000))
            #expect(try store.orderDetail(code: Self.code).events.suffix(2).allSatisfy { $0.actor == "officer" })
            let after = try await client.get(Self.base, &officer).text
            #expect(after.contains(#"id="flash">Đã ghi nhận thu hồi tạm ứng của đơn \#(Self.code).<"#))
            #expect(after.contains(#"<tr id="advance-2" data-kind="recovery">"#))
            #expect(!after.contains(#"id="action-recover-advance""#))

            // An enterprise's post is the 403 page and changes nothing.
            var enterprise = try await client.signIn("enterprise")
            before = try fixture.fingerprint(Self.code)
            let post = try await client.post(
                "\(Self.base)/advances/new", &enterprise,
                [("amount", "1.000.000"), ("reference", "Tự tạm ứng"), ("date", "2026-07-06")])
            #expect(post.status == .forbidden)
            #expect(try fixture.fingerprint(Self.code) == before)
        }
    }
}
